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
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPolygonF
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
        self.setFixedSize(self.width_for(self.fontMetrics()), self.fontMetrics().height())

    @staticmethod
    def width_for(metrics: QFontMetrics) -> int:
        return round(metrics.height() * 1.8)

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


def wrap(widths, room: int, spacing: int) -> list[list[int]]:
    """The indices of items ``widths`` wide in lines at most ``room`` wide (an item wider
    than that alone on its line), ``spacing`` between neighbours."""
    lines, line, line_width = [], [], 0
    for index, width in enumerate(widths):
        if line and line_width + spacing + width > room:
            lines.append(line)
            line, line_width = [], 0
        line_width += (spacing if line else 0) + width
        line.append(index)
    return lines + [line] if line else lines


class FlowLayout(QLayout):
    """Lays its items out in lines, starting a new line when one is full: the first item
    (a title) on the left of the first line, the others right-aligned."""

    def __init__(self, parent=None, spacing: int = 12):
        super().__init__(parent)
        self._items = []
        self.setSpacing(spacing)
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
        width += self.spacing() * max(0, len(self._items) - 1)
        height = max((item.sizeHint().height() for item in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self):
        # As narrow as the panel is made: the header's fonts shrink to fit (Legend), and
        # a long title ("Hidden space, principal plane (…)") must not widen the window.
        height = max((item.minimumSize().height() for item in self._items), default=0)
        return QSize(0, height)

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Place the items in ``rect`` (when ``place``); the height they need."""
        margins = self.contentsMargins()
        rect = rect.marginsRemoved(margins)
        widths = [item.sizeHint().width() for item in self._items]
        lines = [[self._items[i] for i in line]
                 for line in wrap(widths, rect.width(), self.spacing())]
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
                x -= self.spacing()
            y += height
        return y - rect.y() + margins.top() + margins.bottom()


#: A panel's header (title and legend) keeps to this many lines while its fonts may shrink
#: to fit: at 1024×768 and 200 % four one-entry lines left the panel under the decision
#: map less than 20 px of plot...
HEADER_LINES = 2
#: ...to one of these shares of the theme's sizes, the largest that fits (at 200 % the
#: smallest is still larger than at 100 %).
HEADER_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
#: Pixels an estimated line width may be off from what the widgets lay out.
SLACK = 6


class Legend(QWidget):
    """A panel's ``title``, then its entries, each a swatch and its name, in lines that
    wrap; title and entries shrink together (HEADER_SCALES) to fit HEADER_LINES."""

    def __init__(self, title: QLabel, parent=None):
        super().__init__(parent)
        self.setObjectName("legend")
        self.title = title
        self._flow = FlowLayout(self)
        self._flow.setContentsMargins(8, 2, 8, 0)
        self._flow.addWidget(title)
        self.entries: tuple[Entry, ...] = ()
        self._theme = None
        self.scale = 1.0

    def names(self) -> list[str]:
        return [entry.name for entry in self.entries]

    def show_entries(self, entries):
        """List ``entries`` (Entry values), replacing what was listed."""
        entries = tuple(entries)
        if entries == self.entries:
            return
        self.entries = entries
        self._fit(self.width())

    def set_title(self, text: str):
        self.title.setText(text)
        self._fit(self.width())

    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
        self._fit(self.width(), force=True)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit(event.size().width())

    def _fit(self, width: int, force: bool = False):
        """Fonts at the largest scale whose header fits ``width``; the entries built again
        when it changed (a swatch is sized from the font) or they did."""
        if self._theme is None:
            return
        scale = self._fitting_scale(width)
        built = [self._flow.itemAt(i).widget().entry for i in range(1, self._flow.count())]
        if not force and scale == self.scale and tuple(built) == self.entries:
            return
        self.scale = scale
        self.title.setFont(self._title_font(scale))
        self.setFont(self._entry_font(scale))
        while (item := self._flow.takeAt(1)) is not None:  # all but the title
            item.widget().hide()  # now: a grab before the deletion must not show it
            item.widget().deleteLater()
        for entry in self.entries:
            self._flow.addWidget(self._entry_widget(entry))
        self.updateGeometry()

    def _title_font(self, scale: float):
        return self._theme.font(self._theme.title_point_size * scale, bold=True)

    def _entry_font(self, scale: float):
        return self._theme.font(self._theme.tick_point_size * scale)

    def _fitting_scale(self, width: int) -> float:
        margins = self._flow.contentsMargins()
        room = width - margins.left() - margins.right() - SLACK
        for scale in HEADER_SCALES:
            title = QFontMetrics(self._title_font(scale)).horizontalAdvance(self.title.text())
            metrics = QFontMetrics(self._entry_font(scale))
            widths = [title] + [_entry_width(metrics, entry) for entry in self.entries]
            if (max(widths) <= room
                    and len(wrap(widths, room, self._flow.spacing())) <= HEADER_LINES):
                return scale
        return HEADER_SCALES[-1]

    def _entry_widget(self, entry: Entry) -> QWidget:
        widget = QWidget(self)
        widget.entry = entry
        layout = QHBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(_swatch_gap(self.fontMetrics()))
        layout.addWidget(Swatch(entry, widget))
        layout.addWidget(QLabel(entry.name, widget))
        return widget


def _swatch_gap(metrics: QFontMetrics) -> int:
    return round(metrics.height() * 0.3)


def _entry_width(metrics: QFontMetrics, entry: Entry) -> int:
    """An entry's width as _entry_widget lays it out: swatch, gap, name."""
    return (Swatch.width_for(metrics) + _swatch_gap(metrics)
            + metrics.horizontalAdvance(entry.name))


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
        self.legend.apply_theme(theme)
