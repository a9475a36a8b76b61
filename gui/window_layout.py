"""The window's central layout: the three log panels stacked on the left; on the right the
readout (presentation mode), the decision map over its truth table and the side panel's
tabs; the history scrubber along the bottom. Splitters are named: their sizes are
remembered under these names."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget


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
    column.addWidget(_column(decision, stretch_first=True))
    column.addWidget(side)
    column.setStretchFactor(0, 3)
    column.setStretchFactor(1, 2)
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
