"""Decision-region panel: the network's output over the input plane, as the tutorial's plot.

Heatmap with a colour bar, the 0.5 contour, the first hidden layer's lines (dashed) and the
four training points, one marker and colour per class.
"""

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from engine.datasets import dataset
from engine.grid import DEFAULT_BOX
from gui import theme as themes
from gui.legend import Entry
from gui.panels.common import PanelWidget

#: Class 0 squares, class 1 crosses, as in the tutorial.
MARKERS = (("s", "class 0"), ("x", "class 1"))


class DecisionPanel(PanelWidget):
    def __init__(self, theme: themes.Theme, parent=None):
        plot = pg.PlotWidget()
        plot.setObjectName("decision_plot")
        super().__init__(plot, "Decision regions", parent)
        x_min, x_max, y_min, y_max = DEFAULT_BOX
        item = plot.getPlotItem()
        item.setAspectLocked(True)
        item.setRange(xRange=(x_min, x_max), yRange=(y_min, y_max), padding=0)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        plot.setMinimumSize(240, 200)

        self.image = pg.ImageItem(axisOrder="row-major")
        self._rect = QRectF(x_min, y_min, x_max - x_min, y_max - y_min)
        item.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(values=(0, 1), width=22, interactive=False,
                                          colorMapMenu=False)
        self.colour_bar.setImageItem(self.image, insert_in=item)
        self.contour = pg.PlotDataItem()
        self.contour.setZValue(6)
        item.addItem(self.contour)
        self.hidden_lines = pg.PlotDataItem()
        self.hidden_lines.setZValue(5)
        item.addItem(self.hidden_lines)
        self.points = [pg.ScatterPlotItem() for _ in MARKERS]
        for scatter in self.points:
            item.addItem(scatter)
        themes.keep_labels_inside(plot, item.getAxis("left"), self.colour_bar.getAxis("right"))
        self._gate = None
        self._map = None
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        item = self.plot.getPlotItem()
        bar_axis = self.colour_bar.getAxis("right")
        themes.style_axis(bar_axis, theme, "network output")
        themes.style_plot(self.plot, theme, "x₂", x_label="x₁", right_axis=bar_axis)
        self.figure.apply_theme(theme)
        self.colour_bar.setColorMap(theme.decision_colours())
        contour_pen = themes.pen(theme.contour_colour, width=theme.contour_width)
        contour_pen.setCapStyle(Qt.PenCapStyle.RoundCap)  # drawn as segments: round joints
        self.contour.setPen(contour_pen)
        dashed = Qt.PenStyle.DashLine
        self.hidden_lines.setPen(themes.pen(theme.hidden_line_colour,
                                            width=theme.hidden_line_width, style=dashed))
        entries = []
        for scatter, colour, (symbol, name) in zip(self.points, theme.class_colours, MARKERS):
            scatter.setSymbol(symbol)
            scatter.setSize(theme.marker_size)
            scatter.setBrush(pg.mkBrush(colour))
            scatter.setPen(pg.mkPen(theme.class_edge, width=1.5 * theme.zoom / 100))
            entries.append(Entry(name, colour, symbol=symbol, edge=theme.class_edge))
        self.legend.show_entries(entries + [
            Entry("output 0.5", theme.contour_colour, theme.contour_width),
            Entry("hidden units' lines", theme.hidden_line_colour, theme.hidden_line_width,
                  dashed)])
        item.update()

    def _show_points(self, gate: str):
        x, y = dataset(gate)
        for label, scatter in enumerate(self.points):
            chosen = y[:, 0] == label
            scatter.setData(x[chosen, 0], x[chosen, 1])
        self._gate = gate

    def _show_lines(self, segments):
        """Dashed line w·x + b = 0 of each first-hidden-layer unit inside the box, all in one
        item (a 16-wide layer would otherwise cost 16 items to update and paint)."""
        ends = [end for segment in segments if segment is not None for end in segment]
        xs = [x for x, _ in ends]
        ys = [y for _, y in ends]
        self.hidden_lines.setData(xs, ys, connect="pairs")

    def show_frame(self, frame):
        """Draw ``frame``'s map (only when it is a new one) and its training points."""
        gate = frame.snapshot.config.gate
        if gate != self._gate:
            self._show_points(gate)
        decision = frame.decision
        if decision is not self._map:
            self._map = decision
            self.image.setImage(decision.grid, levels=(0.0, 1.0), autoLevels=False)
            # setRect scales by the current image size, so it must follow setImage.
            self.image.setRect(self._rect)
            xs, ys = decision.contour
            self.contour.setData(xs, ys, connect="pairs")
            self._show_lines(decision.segments)
