"""Decision-region panel: the network's output over the input plane, as the tutorial's plot.

Heatmap with a colour bar, the 0.5 contour, the first hidden layer's units (each its line
w·x + b = 0 dashed, named h₁, h₂, … and its firing side w·x + b > 0 lightly shaded) and the
four training points, one marker and colour per class.
"""

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetrics, QPolygonF
from PySide6.QtWidgets import QGraphicsPolygonItem

from engine.datasets import dataset
from engine.grid import DEFAULT_BOX
from gui import theme as themes
from gui.legend import Entry
from gui.panels.common import PanelWidget

#: Class 0 squares, class 1 crosses, as in the tutorial.
MARKERS = (("s", "class 0"), ("x", "class 1"))
#: The band under the hidden units' line in the legend: faint, as their hatched sides are.
SHADE_ALPHA = 30
#: The colour bar's label steps, the finest that has room first.
BAR_STEPS = (0.2, 0.5, 1.0)
#: The firing sides' hatch lines: one pixel wide, so less transparent than a fill.
HATCH_ALPHA = 80


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
        # The shades' parent: added before the points, so drawn under them and over the map.
        self.shading = pg.ItemGroup()
        item.addItem(self.shading)
        self.shades: list[QGraphicsPolygonItem] = []  # per first-hidden-layer unit
        self.unit_labels: list[pg.TextItem] = []  # h₁, h₂, … per unit
        self.hidden_units_shown = True
        self.points = [pg.ScatterPlotItem() for _ in MARKERS]
        for scatter in self.points:
            item.addItem(scatter)
        themes.keep_labels_inside(plot, item.getAxis("left"), self.colour_bar.getAxis("right"))
        item.getViewBox().sigResized.connect(self._space_bar_values)
        self._gate = None
        self._map = None
        self._theme = theme
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
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
        for scatter, colour, (symbol, _) in zip(self.points, theme.class_colours, MARKERS):
            scatter.setSymbol(symbol)
            scatter.setSize(theme.marker_size)
            scatter.setBrush(pg.mkBrush(colour))
            scatter.setPen(pg.mkPen(theme.class_edge, width=1.5 * theme.zoom / 100))
        for unit, shade in enumerate(self.shades):
            self._style_shade(shade, unit)
        for label in self.unit_labels:
            self._style_label(label)
        self._show_legend()
        self._space_bar_values()
        item.update()

    def _space_bar_values(self, *_):
        """The colour bar's values no closer than a line and a half of their font: in a
        short map (1024×768 at 200 %) 0, 0.2, … 1.0 printed over one another (pyqtgraph
        always labels its major ticks)."""
        axis = self.colour_bar.getAxis("right")
        line = QFontMetrics(axis.style["tickFont"] or axis.font()).height()
        step = next((step for step in BAR_STEPS if axis.height() * step >= 1.5 * line),
                    BAR_STEPS[-1])
        axis.setTickSpacing(step, step / 2)

    def _show_legend(self):
        theme = self._theme
        entries = [Entry(name, colour, symbol=symbol, edge=theme.class_edge)
                   for colour, (symbol, name) in zip(theme.class_colours, MARKERS)]
        entries.append(Entry("output 0.5", theme.contour_colour, theme.contour_width))
        if self.hidden_units_shown:  # each a dashed line over its shaded firing side
            entries.append(Entry("hidden units", theme.hidden_line_colour,
                                 theme.hidden_line_width, Qt.PenStyle.DashLine,
                                 band_alpha=SHADE_ALPHA))
        self.legend.show_entries(entries)

    def _style_shade(self, shade: QGraphicsPolygonItem, unit: int):
        # Hatched, not filled: a fill tinted the map's colours (red read as brown where two
        # units fire), a hatch leaves them as they are. Neighbours hatch the other way, so
        # where two fire the lines cross.
        shade.setPen(Qt.PenStyle.NoPen)
        pattern = Qt.BrushStyle.BDiagPattern if unit % 2 == 0 else Qt.BrushStyle.FDiagPattern
        shade.setBrush(QBrush(themes.pen(self._theme.hidden_line_colour,
                                         alpha=HATCH_ALPHA).color(), pattern))

    def _style_label(self, label: pg.TextItem):
        label.setColor(self._theme.hidden_line_colour)
        label.setFont(self._theme.font(self._theme.tick_point_size, bold=True))

    def set_hidden_units_shown(self, shown: bool):
        """Show or hide the first hidden layer's lines, their names and shades together."""
        self.hidden_units_shown = shown
        for graphic in (self.hidden_lines, self.shading, *self.unit_labels):
            graphic.setVisible(shown)
        self._show_legend()

    def _show_points(self, gate: str):
        x, y = dataset(gate)
        for label, scatter in enumerate(self.points):
            chosen = y[:, 0] == label
            scatter.setData(x[chosen, 0], x[chosen, 1])
        self._gate = gate

    def _show_units(self, units):
        """Each first-hidden-layer unit (engine.decision_map.HiddenUnit): its dashed line inside the
        box (all in one item: a 16-wide layer would otherwise cost 16 items to update and
        paint), its name near the line's end and its firing side w·x + b > 0 shaded."""
        self._make_units(len(units))
        ends = [end for unit in units if unit.segment is not None for end in unit.segment]
        self.hidden_lines.setData([x for x, _ in ends], [y for _, y in ends], connect="pairs")
        for unit, shade, label in zip(units, self.shades, self.unit_labels):
            shade.setPolygon(QPolygonF() if unit.firing is None else
                             QPolygonF([QPointF(x, y) for x, y in unit.firing]))
            label.setVisible(unit.label_at is not None and self.hidden_units_shown)
            if unit.label_at is not None:
                label.setPos(*unit.label_at)

    def _make_units(self, count: int):
        """A shade and a name per unit, made when the layer's width changes."""
        if count == len(self.shades):
            return
        item = self.plot.getPlotItem()
        for shade, label in zip(self.shades, self.unit_labels):
            shade.scene().removeItem(shade)
            item.removeItem(label)
        self.shades = [QGraphicsPolygonItem(self.shading) for _ in range(count)]
        self.unit_labels = [pg.TextItem(f"h{_subscript(unit + 1)}", anchor=(0.5, 0.5))
                            for unit in range(count)]
        for unit, shade in enumerate(self.shades):
            self._style_shade(shade, unit)
        for label in self.unit_labels:
            label.setZValue(5)
            self._style_label(label)
            item.addItem(label)

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
            self._show_units(decision.units)


def _subscript(number: int) -> str:
    """``number`` in subscript digits: h₁₂, as the axes write x₁."""
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
