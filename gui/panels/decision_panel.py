"""Decision-region panel: the network's output over the input plane, as the tutorial's plot.

Heatmap with a colour bar, the 0.5 contour, the first hidden layer's lines (dashed) and the
four training points, one marker and colour per class.
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from engine.datasets import dataset
from engine.grid import DEFAULT_BOX
from gui import theme
from gui.panels.common import PanelWidget

#: Class 0 red squares, class 1 blue crosses, as in the tutorial.
MARKERS = (("s", "class 0"), ("x", "class 1"))


def decision_colour_map() -> pg.ColorMap:
    return pg.ColorMap(np.array(theme.DECISION_STOPS), list(theme.DECISION_COLOURS))


class DecisionPanel(PanelWidget):
    def __init__(self, parent=None):
        plot = pg.PlotWidget()
        plot.setObjectName("decision_plot")
        super().__init__(plot, parent)
        theme.style_plot(plot, "Decision regions", "x₂", x_label="x₁")
        x_min, x_max, y_min, y_max = DEFAULT_BOX
        item = plot.getPlotItem()
        item.setAspectLocked(True)
        item.setRange(xRange=(x_min, x_max), yRange=(y_min, y_max), padding=0)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        plot.setMinimumSize(320, 320)

        self.image = pg.ImageItem(axisOrder="row-major")
        self._rect = QRectF(x_min, y_min, x_max - x_min, y_max - y_min)
        item.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(
            values=(0, 1), colorMap=decision_colour_map(), width=22, interactive=False,
            pen=theme.FOREGROUND, colorMapMenu=False)
        self.colour_bar.setImageItem(self.image, insert_in=item)
        bar_axis = self.colour_bar.getAxis("right")
        bar_axis.setTickFont(item.getAxis("left").style["tickFont"])
        bar_axis.setLabel("network output", size=f"{theme.LABEL_POINT_SIZE}pt")
        theme.fit_side_label(item, bar_axis, widest_value="0.8")

        contour_pen = theme.pen("#000000", width=3)
        contour_pen.setCapStyle(Qt.PenCapStyle.RoundCap)  # drawn as segments: round joints
        self.contour = pg.PlotDataItem(pen=contour_pen)
        self.contour.setZValue(6)
        item.addItem(self.contour)
        self._lines = []
        theme.legend(plot)
        self.points = []
        for colour, (symbol, name) in zip(theme.CLASS_COLOURS, MARKERS):
            scatter = pg.ScatterPlotItem(
                symbol=symbol, size=22, brush=pg.mkBrush(colour),
                pen=pg.mkPen("#ffffff" if symbol == "s" else colour, width=1.5), name=name)
            item.addItem(scatter)
            self.points.append(scatter)
        self._gate = None
        self._grid = None

    def _show_points(self, gate: str):
        x, y = dataset(gate)
        for label, scatter in enumerate(self.points):
            chosen = y[:, 0] == label
            scatter.setData(x[chosen, 0], x[chosen, 1])
        self._gate = gate

    def _show_lines(self, segments):
        """Dashed line w·x + b = 0 of each first-hidden-layer unit (hidden when outside)."""
        item = self.plot.getPlotItem()
        while len(self._lines) < len(segments):
            line = pg.PlotDataItem(pen=theme.pen("#555555", width=1.5,
                                                 style=Qt.PenStyle.DashLine))
            line.setZValue(5)
            item.addItem(line)
            self._lines.append(line)
        for index, line in enumerate(self._lines):
            segment = segments[index] if index < len(segments) else None
            if segment is None:
                line.setData([], [])
            else:
                (x0, y0), (x1, y1) = segment
                line.setData([x0, x1], [y0, y1])

    def show_frame(self, frame):
        """Draw ``frame``'s map (only when it is a new one) and its training points."""
        gate = frame.snapshot.config.gate
        if gate != self._gate:
            self._show_points(gate)
        if frame.grid is not self._grid:
            self._grid = frame.grid
            self.image.setImage(frame.grid, levels=(0.0, 1.0), autoLevels=False)
            # setRect scales by the current image size, so it must follow setImage.
            self.image.setRect(self._rect)
            xs, ys = frame.contour
            self.contour.setData(xs, ys, connect="pairs")
            self._show_lines(frame.segments)
