"""The window's commands as QActions: one place for texts, shortcuts, icons and tooltips."""

from PySide6.QtGui import QAction, QIcon, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QMenu, QStyle, QWidget

#: objectName → (text, shortcut or shortcuts, standard icon, tooltip). The object names are
#: the stable handles tests and scripts use. A presenter's clicker sends Page Up and Page
#: Down: they play/pause and step.
ACTIONS = {
    "play_pause": ("Play", ("Space", "PgUp"), QStyle.StandardPixmap.SP_MediaPlay,
                   "Start or pause training (Space; a presenter's clicker: Page Up)"),
    "step": ("Step", ("Right", "PgDown"), QStyle.StandardPixmap.SP_MediaSeekForward,
             "Pause and do exactly one gradient-descent update (Right arrow; a presenter's "
             "clicker: Page Down)"),
    "step_100": ("Step ×100", "Shift+Right", QStyle.StandardPixmap.SP_MediaSkipForward,
                 "Pause and do 100 updates (Shift+Right)"),
    "reset": ("Reset", "Ctrl+R", QStyle.StandardPixmap.SP_MediaSkipBackward,
              "Back to iteration 0 with the same seed: identical starting weights (Ctrl+R)"),
    "reseed": ("Reseed", "Ctrl+Shift+R", QStyle.StandardPixmap.SP_BrowserReload,
               "Draw a new random seed and restart from new random weights (Ctrl+Shift+R)"),
    "quit": ("Quit", "Ctrl+Q", QStyle.StandardPixmap.SP_DialogCloseButton,
             "Close XOR Lab (Ctrl+Q)"),
}


#: Icons are drawn this large, sharp at a 300 % zoom of a 24 px toolbar icon.
ICON_PIXELS = 72


def create_actions(parent: QWidget) -> dict[str, QAction]:
    actions = {}
    for name, (text, shortcut, _, tip) in ACTIONS.items():
        action = QAction(text, parent)
        _describe(action, name, shortcut, tip)
        actions[name] = action
    tint_icons(actions)
    return actions


def tint_icons(actions: dict[str, QAction]):
    """Each action's icon in its window's text colour: the style's own icons are black,
    which a dark theme would hide."""
    for name, action in actions.items():
        playing = name == "play_pause" and action.text() == "Pause"
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else ACTIONS[name][2]
        action.setIcon(_tinted(action.parent(), icon))


def _tinted(window: QWidget, icon: QStyle.StandardPixmap) -> QIcon:
    pixmap = window.style().standardIcon(icon).pixmap(ICON_PIXELS, ICON_PIXELS)
    painter = QPainter(pixmap)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), window.palette().color(QPalette.ColorRole.ButtonText))
    painter.end()
    return QIcon(pixmap)


def add_action(menu: QMenu, name: str, text: str, slot, shortcut, tip: str) -> QAction:
    """A menu entry: its object name, shortcut (or shortcuts) and tooltip, calling
    ``slot()``. Every action has a shortcut, listed by Help ▸ Keyboard shortcuts."""
    action = menu.addAction(text)
    _describe(action, name, shortcut, tip)
    action.triggered.connect(lambda *_: slot())
    return action


def _describe(action: QAction, name: str, shortcut, tip: str):
    action.setObjectName(name)
    keys = shortcut if isinstance(shortcut, tuple) else (shortcut,)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.setToolTip(tip)
    action.setStatusTip(tip)


def show_playing(action: QAction, playing: bool):
    """Play/Pause is one action whose text and icon say what a click will do."""
    action.setText("Pause" if playing else "Play")
    tint_icons({"play_pause": action})
