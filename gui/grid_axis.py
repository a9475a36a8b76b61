"""GridAxis: a pyqtgraph axis whose grid lines are drawn solid, under the data, by an item
of their own.

pyqtgraph's axis draws its grid as translucent lines in its own picture, over the data: its
bounding rectangle spans the plot, so every new curve repaints it, and blending the lines
cost ~0.6 ms each time, ~4 ms of each frame's 22 at 1920×1080, zoom 200 %, where a solid
line costs a tenth of a translucent one. Here the lines are a ``GridLines`` item at the
back of the plot, each in the colour its translucent self had over the plot's background
(``background``), and the axis keeps to its strip: while training only the lines are
redrawn under the new curves, and the labels only when the range changes. pyqtgraph's own
code still places every tick and line.
"""

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen, QPicture
from PySide6.QtWidgets import QGraphicsItem

#: Under the plot's items (its child group), over its background rectangle (at −1e6); the
#: vertical lines over the horizontal ones, which are the fainter (many decades' minor ticks).
GRID_Z = -1e5


class GridAxis(pg.AxisItem):
    """An axis drawing its labels, its grid (``setGrid``) in a ``GridLines`` of its linked
    view; ``background``: the plot's colour, which the grid's translucent colours go over."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.background = QColor("white")
        self._grid_specs = []  # (pen, [QLineF, …]): the grid lines, in the view's terms
        self._grid_lines = None

    def linkToView(self, view):  # noqa: N802 - pyqtgraph's name
        super().linkToView(view)
        if self._grid_lines is None:
            self._grid_lines = GridLines(self)
        self._grid_lines.setParentItem(view)

    def boundingRect(self):
        grid, self.grid = self.grid, False  # the strip alone: the lines are the view's
        try:
            return super().boundingRect()
        finally:
            self.grid = grid

    def paint(self, painter, option, widget=None):
        self.picture_now()
        self.picture.play(painter)

    def picture_now(self):
        """Make the picture (and the grid lines) as pyqtgraph's paint does, if a change has
        dropped it."""
        if self.picture is not None:
            return
        self._grid_specs = []
        picture = QPicture()
        painter = QPainter(picture)
        try:
            if self.style["tickFont"]:
                painter.setFont(self.style["tickFont"])
            specs = self.generateDrawSpecs(painter)
            if specs is not None:
                self.drawPicture(painter, *specs)
        finally:
            painter.end()
        self.picture = picture
        if self._grid_lines is not None:
            self._grid_lines.update()

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802, N803 - Qt's
        view = self.linkedView()
        if self.grid is False or view is None:
            super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
            return
        # With a grid the ticks are the grid lines, up to the axis: one solid pen and one
        # drawLines per level of ticks.
        for pen, start, end in tickSpecs:
            if not self._grid_specs or self._grid_specs[-1][0] is not pen:
                self._grid_specs.append((pen, []))
            self._grid_specs[-1][1].append(QLineF(self.mapToItem(view, start),
                                                  self.mapToItem(view, end)))
        self._grid_specs = [(self._solid(pen), lines) for pen, lines in self._grid_specs]
        super().drawPicture(p, axisSpec, [], textSpecs)

    def _solid(self, pen: QPen) -> QPen:
        """``pen`` in the opaque colour it has over ``background``."""
        colour, alpha = pen.color(), pen.color().alphaF()
        solid = QPen(pen)
        solid.setColor(QColor.fromRgbF(
            *(alpha * over + (1 - alpha) * under for over, under in (
                (colour.redF(), self.background.redF()),
                (colour.greenF(), self.background.greenF()),
                (colour.blueF(), self.background.blueF())))))
        return solid

    def resizeEvent(self, event=None):  # noqa: N802 - Qt's name
        self._grid_moves()
        super().resizeEvent(event)

    def linkedViewChanged(self, view=None, newRange=None):  # noqa: N802, N803 - pyqtgraph's
        self._grid_moves()
        super().linkedViewChanged(view, newRange)

    def _grid_moves(self):
        """The plot may have moved or resized: the lines' rectangle with it (pyqtgraph's
        constructor resizes the axis before the lines exist)."""
        lines = self.__dict__.get("_grid_lines")
        if lines is not None:
            lines.prepareGeometryChange()


class GridLines(QGraphicsItem):
    """The grid lines of a ``GridAxis``, at the back of the view it is linked to."""

    def __init__(self, axis: GridAxis):
        super().__init__()
        self._axis = axis
        self.setZValue(GRID_Z + (axis.orientation in ("top", "bottom")))

    def boundingRect(self):
        view = self.parentItem()
        if view is None or self._axis.grid is False:
            return QRectF()
        return view.boundingRect()

    def paint(self, painter, option, widget=None):
        self._axis.picture_now()
        painter.setRenderHint(painter.RenderHint.Antialiasing, False)
        for pen, lines in reversed(self._axis._grid_specs):  # the fainter minor lines first
            painter.setPen(pen)
            painter.drawLines(lines)
