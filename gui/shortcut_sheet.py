"""Help ▸ Keyboard shortcuts (the ? key): every command of the window and its keys, read
from the actions themselves, so the sheet cannot fall out of date."""

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs import open_once


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(command, keys, what it does) for every action of ``window`` with a shortcut, in
    menu order, each once."""
    rows, seen = [], set()
    for action in command_actions(window):
        if action in seen or not action.shortcuts():
            continue
        seen.add(action)
        keys = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText)
                         for key in action.shortcuts())
        rows.append((action.text().replace("&", "").rstrip("…"), keys, action.toolTip()))
    return rows


def command_actions(window: QWidget) -> list[QAction]:
    """The actions of every menu of ``window``'s menu bar, submenus' entries included (not
    the entries that open them), menu by menu. (Not through QAction.menu(): in PySide6 6.10
    the menu it returns is deleted with its Python wrapper.)"""
    menus = window.menuBar().findChildren(QMenu)
    openers = {menu.menuAction() for menu in menus}
    return [action for menu in menus for action in menu.actions()
            if action not in openers and not action.isSeparator()]


def shortcut_sheet(window: QWidget) -> QDialog:
    """A dialog with the table of ``shortcut_rows``."""
    dialog = QDialog(window)
    dialog.setObjectName("shortcut_sheet")
    dialog.setWindowTitle("Keyboard shortcuts — XOR Lab")
    rows = shortcut_rows(window)
    table = QTableWidget(len(rows), 3, dialog)
    table.setObjectName("shortcut_table")
    table.setHorizontalHeaderLabels(["Command", "Keys", "What it does"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(1000, 640)
    return dialog


def show_sheet(window: QWidget) -> QDialog:
    """Open the sheet without blocking (one at a time)."""
    return open_once(window, QDialog, "shortcut_sheet", shortcut_sheet)
