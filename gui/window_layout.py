"""The window's central layout: the three log panels stacked on the left; on the right the
readout (presentation mode), the decision map over its truth table and the side panel's
tabs; the history scrubber along the bottom. Splitters are named: their sizes are
remembered under these names."""

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


def central_widget(stacked, readout: QWidget, decision, side: QWidget,
                   scrubber: QWidget) -> QWidget:
    """``stacked`` panels on the left; ``readout``, the ``decision`` widgets (the map, then
    what stays under it) and ``side`` on the right; ``scrubber`` under both."""
    plots = QSplitter(Qt.Orientation.Vertical)
    plots.setObjectName("plots_splitter")
    for panel in stacked:
        plots.addWidget(panel)
    column = QSplitter(Qt.Orientation.Vertical)
    column.setObjectName("side_splitter")
    column.addWidget(_MapOverTable(*decision))
    column.addWidget(side)
    column.setStretchFactor(0, 2)
    column.setStretchFactor(1, 1)
    right = _column((readout, column), stretch_first=False)
    columns = QSplitter(Qt.Orientation.Horizontal)
    columns.setObjectName("main_splitter")
    columns.addWidget(plots)
    columns.addWidget(right)
    columns.setStretchFactor(0, 3)
    columns.setStretchFactor(1, 2)
    return _column((columns, scrubber), stretch_first=True)


def side_tabs(pages: dict[str, QWidget]) -> QTabWidget:
    """The side panel: one tab per page (title → widget). Presentation mode and Ctrl+B
    hide it; its pages scroll rather than make the window taller than a 720-line
    projector."""
    tabs = QTabWidget()
    tabs.setObjectName("side_panel")
    tabs.setDocumentMode(True)
    for title, page in pages.items():
        tabs.addTab(page, title)
    return tabs


def sideways(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area that scrolls it sideways when the column is narrower than
    it, rather than widening the column (its own height follows the area's)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class _MapOverTable(QWidget):
    """``map`` over ``table``: the table whole (its size hint's height) while the map keeps
    at least its least height; with less room the table gives way first, down to its own
    least height (it scrolls). A box layout would shrink both, or let the map take all."""

    def __init__(self, map_widget: QWidget, table: QWidget):
        super().__init__()
        self._map, self._table = map_widget, table
        table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(map_widget, stretch=1)
        layout.addWidget(table)

    def minimumSizeHint(self):  # noqa: N802 - Qt's name
        # The table's least, not the height it was last given.
        least = self._map.minimumSizeHint(), self._table.minimumSizeHint()
        return QSize(max(size.width() for size in least), sum(size.height() for size in least))

    def event(self, event):
        if event.type() == QEvent.Type.LayoutRequest:  # a zoom changed the table's height
            self._fit(self.height())
        return super().event(event)

    def resizeEvent(self, event):  # noqa: N802 - Qt's name
        self._fit(event.size().height())
        super().resizeEvent(event)

    def _fit(self, height: int):
        room = height - self._map.minimumSizeHint().height()
        table = self._table
        table.setFixedHeight(max(table.minimumSizeHint().height(),
                                 min(table.sizeHint().height(), room)))


def _column(widgets, stretch_first: bool) -> QWidget:
    """``widgets`` one under the other, edge to edge; the first or the last takes the room
    left."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    last = len(widgets) - 1
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, stretch=int(index == (0 if stretch_first else last)))
    return column


def larger_than_screen(window: QWidget) -> str:
    """"" when ``window`` fits its screen; else what it needs and what fits instead (a
    zoom can make the least window larger than the screen, which it then grows past)."""
    needed, screen = window.minimumSizeHint(), window.screen().availableGeometry().size()
    if needed.width() <= screen.width() and needed.height() <= screen.height():
        return ""
    return (f": the window needs {needed.width()}×{needed.height()} pixels, more than this "
            "screen has; presentation mode (F11) fits it, or zoom out (Ctrl+-)")
