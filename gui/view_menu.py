"""View menu: presentation mode, the configuration panel, zoom and theme."""

from functools import partial

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenuBar

from gui.actions import add_action
from gui.theme import THEMES, ZOOMS

#: Theme name → shortcut.
THEME_KEYS = {"light": "Ctrl+Shift+L", "dark": "Ctrl+Shift+K"}


def build_view_menu(menu_bar: QMenuBar, window) -> dict[str, QAction]:
    """The View menu of ``window`` (a MainWindow); its checkable actions by object name."""
    menu = menu_bar.addMenu("&View")
    menu.setToolTipsVisible(True)
    checkable = {
        "presentation": add_action(
            menu, "presentation", "&Presentation mode", window.toggle_presentation, "F11",
            "Full screen, the panels two by two and the iteration and the error in large "
            "letters, without the menus and the configuration panel (F11; Esc leaves it)"),
        "side_panel": add_action(
            menu, "side_panel", "&Side panel", window.toggle_side_panel, "Ctrl+B",
            "Show or hide the side panel beside the decision regions: configuration, "
            "hidden space (Ctrl+B)"),
        "hidden_units": add_action(
            menu, "hidden_units", "&Hidden units on the map", window.toggle_hidden_units,
            "Ctrl+H", "Show or hide each first-layer hidden unit's line w·x + b = 0 on the "
            "decision map, labelled h1, h2…, its firing side shaded (Ctrl+H)"),
    }
    menu.addSeparator()
    add_action(menu, "zoom_in", "Zoom &in", window.zoom_in, ("Ctrl+=", "Ctrl++"),
               f"Larger text, lines and markers, up to {ZOOMS[-1]} % (Ctrl+=)")
    add_action(menu, "zoom_out", "Zoom &out", window.zoom_out, "Ctrl+-",
               f"Smaller text, lines and markers, down to {ZOOMS[0]} % (Ctrl+-)")
    add_action(menu, "zoom_reset", "&Actual size", partial(window.set_zoom, ZOOMS[0]),
               "Ctrl+0", "Text, lines and markers at 100 % (Ctrl+0)")
    menu.addSeparator()
    themes = QActionGroup(menu)
    for name in THEMES:
        key = THEME_KEYS[name]
        action = add_action(menu, f"theme_{name}", f"{name.title()} theme",
                            partial(window.set_theme, name), key,
                            f"{name.title()} colours for the window and every plot ({key})"
                            + ("; a projector shows light best" if name == "light" else ""))
        themes.addAction(action)
        checkable[f"theme_{name}"] = action
    for action in checkable.values():
        action.setCheckable(True)
    return checkable
