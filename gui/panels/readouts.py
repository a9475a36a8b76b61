"""What a log panel draws over its curves at an iteration: the hover readout under the
mouse, and the marker of the recorded moment the other views show while scrubbing."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt

from gui import theme as themes


class HoverReadout(QObject):
    """A crosshair and a label on the point of a log panel's curves nearest the mouse: the
    series' name, the iteration and the value.

    ``series()`` gives (value name, [(series name, x (n,), y (n,)), …]) of what is drawn;
    it is asked on mouse moves only, so that a frame costs nothing more than before.
    """

    def __init__(self, plot: pg.PlotWidget, series):
        super().__init__(plot)
        self._plot, self._series = plot, series
        self._view = plot.getPlotItem().getViewBox()
        self.vertical = pg.InfiniteLine(angle=90, movable=False)
        self.horizontal = pg.InfiniteLine(angle=0, movable=False)
        self.dot = pg.ScatterPlotItem(size=9)
        self.label = pg.TextItem()
        for item in self.items:
            item.setZValue(1000)  # over every curve
            item.hide()
            # In the view, not the PlotItem: it would list the dot among the panel's curves.
            self._view.addItem(item, ignoreBounds=True)
        #: The point shown: (series name, iteration, value), or None.
        self.point = None
        plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        plot.viewport().installEventFilter(self)

    @property
    def items(self):
        return (self.vertical, self.horizontal, self.dot, self.label)

    def text(self) -> str:
        return self.label.toPlainText() if self.point is not None else ""

    def apply_theme(self, theme: themes.Theme):
        line = themes.pen(theme.foreground, width=theme.axis_width, style=Qt.PenStyle.DashLine,
                          alpha=140)
        self.vertical.setPen(line)
        self.horizontal.setPen(line)
        self.dot.setPen(themes.pen(theme.background, width=theme.axis_width))
        self.dot.setBrush(pg.mkBrush(theme.foreground))
        self.dot.setSize(theme.marker_size * 0.45)
        self.label.setColor(theme.foreground)
        self.label.setFont(theme.font(theme.tick_point_size))
        # Opaque enough to read over the grid and the curves.
        self.label.fill = pg.mkBrush(themes.pen(theme.background, alpha=225).color())
        self.label.border = themes.pen(theme.foreground, width=1, alpha=120)
        self.label.update()

    def hide(self):
        self.point = None
        for item in self.items:
            item.hide()

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Leave:
            self.hide()
        return False

    def _on_mouse_moved(self, scene_pos):
        view = self._view
        value_name, series = self._series()
        if not series or not view.sceneBoundingRect().contains(scene_pos):
            self.hide()
            return
        mouse = view.mapSceneToView(scene_pos)
        pixel_x, pixel_y = view.viewPixelSize()
        nearest = None  # (squared distance in pixels, name, x, y)
        for name, xs, ys in series:
            # Distances on screen: the y axis shows log10 of the values.
            distance = (((xs - mouse.x()) / pixel_x) ** 2
                        + ((np.log10(ys) - mouse.y()) / pixel_y) ** 2)
            index = int(np.argmin(distance))
            # Within a pixel the earlier series wins: the legend's curve over its raw shadow.
            if nearest is None or distance[index] < nearest[0] - 1.0:
                nearest = (distance[index], name, float(xs[index]), float(ys[index]))
        _, name, x, y = nearest
        self._show(name, x, y, value_name)

    def _show(self, name: str, x: float, y: float, value_name: str):
        self.point = (name, x, y)
        log_y = np.log10(y)
        self.vertical.setPos(x)
        self.horizontal.setPos(log_y)
        self.dot.setData([x], [log_y])
        self.label.setText(f"{name}\niteration {x:,.0f}\n{value_name} {y:.3g}")
        # The label on the side of the point towards the middle of the plot: it stays inside.
        (x_low, x_high), (y_low, y_high) = self._view.viewRange()
        self.label.setAnchor((1.0 if x > (x_low + x_high) / 2 else 0.0,
                              0.0 if log_y > (y_low + y_high) / 2 else 1.0))
        self.label.setPos(x, log_y)
        for item in self.items:
            item.show()


class MomentMarker:
    """A vertical line at the recorded iteration a scrubbed frame shows (gui's history
    scrubber): where on the curves the decision map, truth table and diagram are. Hidden on
    the live state."""

    def __init__(self, plot: pg.PlotWidget):
        self.line = pg.InfiniteLine(angle=90, movable=False)
        self.line.setZValue(900)  # over the curves, under the hover readout
        self.line.hide()
        plot.getPlotItem().getViewBox().addItem(self.line, ignoreBounds=True)
        #: The iteration marked, or None.
        self.at = None

    def apply_theme(self, theme: themes.Theme):
        self.line.setPen(themes.pen(theme.foreground, width=theme.pen_width,
                                    style=Qt.PenStyle.DashDotLine))

    def show_frame(self, frame):
        timeline = frame.timeline
        at = None if timeline is None or timeline.live else timeline.iteration
        if at != self.at:
            self.at = at
            self.line.setVisible(at is not None)
            if at is not None:
                self.line.setPos(at)
