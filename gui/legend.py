"""A panel's title and legend, as Qt widgets above its plot.

Inside the plot a legend covers data: at 1024×768 the decision map's legend hid the
training point (1, 1) and the log panels' legends the last stretch of the curves, which is
where the run is heading. Above the plot it covers nothing, wraps onto more lines when the
panel is narrow or the zoom large, and is exported with the panel (a panel's figure is its
``PanelFigure`` widget, drawn by gui.figures like any other).
"""

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from gui import theme as themes


@dataclass(frozen=True)
class Entry:
    """What a legend shows for one named thing: a line or, with a ``symbol``, a marker."""

    name: str
    colour: str
    width: float = 2.0
    style: Qt.PenStyle = Qt.PenStyle.SolidLine
    #: "s" a square or "x" a cross, outlined in ``edge``; None for a line.
    symbol: str | None = None
    edge: str | None = None
    #: A shaded band this opaque behind the line (a group drawn as its range).
    band_alpha: int | None = None


class Swatch(QWidget):
    """An entry's sample: as wide as two of the legend font's letters, one line tall."""

    def __init__(self, entry: Entry, parent=None):
        super().__init__(parent)
        self.entry = entry
        height = self.fontMetrics().height()
        self.setFixedSize(round(height * 1.8), height)

    def paintEvent(self, event):
        entry, painter = self.entry, QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.width(), self.height()
        if entry.symbol is None:
            if entry.band_alpha is not None:
                band = QColor(entry.colour)
                band.setAlpha(entry.band_alpha)
                painter.fillRect(QRectF(0, height * 0.25, width, height * 0.5), band)
            # At least 2 px: a 1 px sample of a colour is hard to tell from the next one.
            painter.setPen(themes.pen(entry.colour, max(2.0, entry.width), entry.style))
            painter.drawLine(QPointF(1, height / 2), QPointF(width - 1, height / 2))
        else:
            side = height * 0.8
            painter.translate(width / 2, height / 2)
            painter.setPen(themes.pen(entry.edge or entry.colour, 1.5))
            painter.setBrush(QColor(entry.colour))
            if entry.symbol == "s":
                painter.drawRect(QRectF(-side / 2, -side / 2, side, side))
            else:
                painter.drawPolygon(_cross(side))
        painter.end()


def _cross(side: float) -> QPolygonF:
    """An × ``side`` wide with arms a seventh of that thick, as pyqtgraph's "x" marker."""
    half, arm = side / 2, side * 0.14
    points = [(0, arm), (half - arm, half), (half, half - arm), (arm, 0),
              (half, arm - half), (half - arm, -half), (0, -arm),
              (arm - half, -half), (-half, arm - half), (-arm, 0),
              (-half, half - arm), (arm - half, half)]
    return QPolygonF([QPointF(x, y) for x, y in points])


class FlowLayout(QLayout):
    """Lays its items out in lines, starting a new line when one is full: the first item
    (a title) on the left of the first line, the others right-aligned."""

    def __init__(self, parent=None, spacing: int = 12):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self):
        width = sum(item.sizeHint().width() for item in self._items)
        width += self._spacing * max(0, len(self._items) - 1)
        height = max((item.sizeHint().height() for item in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Place the items in ``rect`` (when ``place``); the height they need."""
        margins = self.contentsMargins()
        rect = rect.marginsRemoved(margins)
        lines, line, line_width = [], [], 0
        for item in self._items:
            width = item.sizeHint().width()
            if line and line_width + self._spacing + width > rect.width():
                lines.append(line)
                line, line_width = [], 0
            line_width += (self._spacing if line else 0) + width
            line.append(item)
        if line:
            lines.append(line)
        y = rect.y()
        for line in lines:
            height = max(item.sizeHint().height() for item in line)
            x = rect.right() + 1
            for item in reversed(line):
                x -= item.sizeHint().width()
                if item is self._items[0]:
                    x = rect.x()
                if place:
                    item.setGeometry(QRect(x, y, item.sizeHint().width(), height))
                x -= self._spacing
            y += height
        return y - rect.y() + margins.top() + margins.bottom()


class Legend(QWidget):
    """A panel's ``title``, then its entries, each a swatch and its name, in lines that
    wrap."""

    def __init__(self, title: QLabel, parent=None):
        super().__init__(parent)
        self.setObjectName("legend")
        self._flow = FlowLayout(self)
        self._flow.setContentsMargins(8, 2, 8, 0)
        self._flow.addWidget(title)
        self.entries: tuple[Entry, ...] = ()

    def names(self) -> list[str]:
        return [entry.name for entry in self.entries]

    def show_entries(self, entries):
        """List ``entries`` (Entry values), replacing what was listed."""
        entries = tuple(entries)
        if entries == self.entries:
            return
        self.entries = entries
        while (item := self._flow.takeAt(1)) is not None:  # all but the title
            item.widget().deleteLater()
        for entry in entries:
            self._flow.addWidget(self._entry_widget(entry))
        self.updateGeometry()

    def _entry_widget(self, entry: Entry) -> QWidget:
        widget = QWidget(self)
        layout = QHBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(round(self.fontMetrics().height() * 0.3))
        layout.addWidget(Swatch(entry, widget))
        layout.addWidget(QLabel(entry.name, widget))
        return widget

    def apply_theme(self, theme: themes.Theme):
        """The entries again, at ``theme``'s font size (a swatch is sized from it)."""
        self.setFont(theme.font(theme.tick_point_size))
        entries, self.entries = self.entries, ()
        self.show_entries(entries)


class PanelFigure(QWidget):
    """What a panel exports and shows: its title and legend over its plot, on the plot's
    background."""

    def __init__(self, plot: pg.PlotWidget, title: str, parent=None):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.title = QLabel(title)
        self.title.setObjectName(f"{plot.objectName()}_title")
        self.legend = Legend(self.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.legend)
        layout.addWidget(plot, stretch=1)

    def apply_theme(self, theme: themes.Theme):
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.foreground))
        self.setPalette(palette)
        self.title.setFont(theme.font(theme.title_point_size, bold=True))
        self.legend.apply_theme(theme)
