"""Dialogs opened from the menus: one at a time, never blocking the window."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget


def open_once(parent: QWidget, kind: type, name: str, build, modal: bool = True) -> QDialog:
    """The ``kind`` dialog named ``name`` over ``parent``: the one already open, brought to
    the front, else ``build(parent)`` opened without blocking (deleted when closed). Not
    ``modal``, the window stays usable beside it (a page read while the panels train)."""
    dialog = parent.findChild(kind, name)
    if dialog is None:
        dialog = build(parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if modal:
            dialog.open()
        else:
            dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
