"""The window's toolbars: the training commands, the seed, the speed and the heatmap
interval, each its own toolbar so that they can wrap onto more rows on a narrow screen
(1024 px, or a large zoom) instead of hiding controls behind an overflow chevron."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget


def build_toolbars(window: QMainWindow, actions: list[QAction], seed: QWidget, speed: QWidget,
                   heatmap_every: QWidget) -> list[QToolBar]:
    """The toolbars, in order, added to ``window``'s top area."""
    training = QToolBar("Training")
    training.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    training.addActions(actions)
    toolbars = [training]
    for title, widgets in (("Seed", [QLabel(" Seed "), seed]), ("Speed", [speed]),
                           ("Heatmap", [QLabel(" Heatmap every "), heatmap_every,
                                        QLabel(" iterations ")])):
        toolbar = QToolBar(title)
        for widget in widgets:
            toolbar.addWidget(widget)
        toolbars.append(toolbar)
    for toolbar in toolbars:
        toolbar.setObjectName(f"{toolbar.windowTitle().lower()}_toolbar")  # saveState's key
        window.addToolBar(toolbar)
    return toolbars


def wrap_toolbars(window: QMainWindow, toolbars: list[QToolBar]):
    """Lay the shown ``toolbars`` (all in the top area, in this order) out in as few rows as
    fit the window's width, with the first one's texts beside their icons unless icons
    alone (their tooltips name them) save a row. No toolbar then hides a control behind
    its overflow chevron."""
    tool_buttons = toolbars[0]
    shown = [toolbar for toolbar in toolbars if toolbar.isVisibleTo(window)]
    width = window.width()
    styles = Qt.ToolButtonStyle.ToolButtonTextBesideIcon, Qt.ToolButtonStyle.ToolButtonIconOnly
    rows = []
    for style in styles:
        tool_buttons.setToolButtonStyle(style)
        rows.append(_rows(shown, width))
    if len(rows[0]) <= len(rows[1]):
        tool_buttons.setToolButtonStyle(styles[0])
    for toolbar in toolbars:
        window.removeToolBarBreak(toolbar)
    for row in (rows[0] if len(rows[0]) <= len(rows[1]) else rows[1])[1:]:
        window.insertToolBarBreak(row[0])


def _rows(toolbars: list[QToolBar], width: int) -> list[list[QToolBar]]:
    """``toolbars`` in rows no wider than ``width`` (one per row when even that is not)."""
    rows, used = [[]], 0
    for toolbar in toolbars:
        needed = toolbar.sizeHint().width()
        if rows[-1] and used + needed > width:
            rows.append([])
            used = 0
        rows[-1].append(toolbar)
        used += needed
    return rows
