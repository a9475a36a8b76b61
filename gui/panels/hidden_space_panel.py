"""Hidden-space panel: the four samples where the output unit sees them, and its line.

In the input plane no line separates XOR's classes; in the plane of the last hidden layer
one does once the network has learnt. The points are marked by class as on the decision
map, each named by its input; the output unit's line w·h + b = 0 (ŷ = 0.5) is drawn as
the decision map draws ŷ = 0.5.
"""

import pyqtgraph as pg

from engine.hidden_space import hidden_space
from gui import theme as themes
from gui.legend import Entry
from gui.panels.common import PanelWidget
from gui.panels.decision_panel import MARKERS

#: A label's gap from its point, in its own heights: clear of the marker at any zoom (the
#: marker and the font grow together).
LABEL_GAP = 0.25
#: Labels lie on a veil of the background this opaque: readable across the line.
VEIL_ALPHA = 190


class HiddenSpacePanel(PanelWidget):
    def __init__(self, theme: themes.Theme, parent=None):
        plot = pg.PlotWidget()
        plot.setObjectName("hidden_space_plot")
        super().__init__(plot, "Hidden space", parent)
        item = plot.getPlotItem()
        item.getViewBox().setMouseEnabled(x=False, y=False)
        plot.setMinimumSize(160, 100)  # a tab beside the configuration: it may be short
        self.boundary = pg.PlotDataItem()
        self.boundary.setZValue(5)
        item.addItem(self.boundary)
        self.points = [pg.ScatterPlotItem() for _ in MARKERS]
        for scatter in self.points:
            scatter.setZValue(6)
            item.addItem(scatter)
        # Over the line, under the markers.
        self.labels = [pg.TextItem() for _ in range(4)]
        for label in self.labels:
            label.setZValue(5.5)
            item.addItem(label)
        themes.keep_labels_inside(plot, item.getAxis("left"))
        self._theme = theme
        self._anatomy = None
        self._box = None
        self._axes = ("h₁", "h₂")
        self.space = None  # the HiddenSpace drawn
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
        x_label, y_label = self._axes
        themes.style_plot(self.plot, theme, y_label, x_label=x_label)
        self.figure.apply_theme(theme)
        self.boundary.setPen(themes.pen(theme.contour_colour, width=theme.contour_width))
        entries = []
        for scatter, colour, (symbol, name) in zip(self.points, theme.class_colours, MARKERS):
            scatter.setSymbol(symbol)
            scatter.setSize(theme.marker_size)
            scatter.setBrush(pg.mkBrush(colour))
            scatter.setPen(pg.mkPen(theme.class_edge, width=1.5 * theme.zoom / 100))
            entries.append(Entry(name, colour, symbol=symbol, edge=theme.class_edge))
        font = theme.font(theme.tick_point_size)
        for label in self.labels:
            label.setFont(font)
            label.setColor(theme.foreground)
            label.fill = pg.mkBrush(themes.pen(theme.background, alpha=VEIL_ALPHA).color())
            label.update()
        self.legend.show_entries(entries + [
            Entry("output 0.5", theme.contour_colour, theme.contour_width)])
        self.plot.getPlotItem().update()

    def show_frame(self, frame):
        """Draw the hidden space of ``frame``'s network (when its pass is a new one)."""
        anatomy = frame.anatomy
        if anatomy is None or anatomy is self._anatomy:
            return
        self._anatomy = anatomy
        config = frame.snapshot.config
        space = self.space = hidden_space(anatomy, frame.snapshot.layers, config.activation)
        if space is None:  # activations overflowed: nothing to place
            for scatter in self.points:
                scatter.setData([], [])
            for item in self.labels:
                item.setText("")
            self.boundary.setData([], [])
            return
        title = ("Hidden space" if space.kept is None else
                 f"Hidden space, principal plane ({round(space.kept * 100)} % of the spread)")
        if title != self.legend.title.text():
            self.legend.set_title(title)
        if space.axes != self._axes:
            self._axes = space.axes
            x_label, y_label = space.axes
            themes.style_plot(self.plot, self._theme, y_label, x_label=x_label)
            if not y_label:  # one unit, drawn against 0: no name (style_plot keeps the last)
                self.plot.getPlotItem().getAxis("left").setLabel("")
        if space.box != self._box:
            self._box = space.box
            x_min, x_max, y_min, y_max = space.box
            self.plot.getPlotItem().setRange(xRange=(x_min, x_max), yRange=(y_min, y_max),
                                             padding=0)
        for label, scatter in enumerate(self.points):
            chosen = space.classes == label
            scatter.setData(space.points[chosen, 0], space.points[chosen, 1])
        for item, text, (x, y), (right, up) in zip(self.labels, space.labels, space.points,
                                                    space.toward):
            item.setText(text)  # pyqtgraph re-lays the text out only when it changes
            # Beside its point towards the box's middle, where there is room for it.
            item.setAnchor((0.0 if right > 0 else 1.0,
                            1.0 + LABEL_GAP if up > 0 else -LABEL_GAP))
            item.setPos(x, y)
        if space.boundary is None:
            self.boundary.setData([], [])
        else:
            (x0, y0), (x1, y1) = space.boundary
            self.boundary.setData([x0, x1], [y0, y1])
