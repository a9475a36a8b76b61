"""The File menu and each panel's right-click menu, bound to a window's FileCommands."""

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from engine.animation_file import mp4_missing
from engine.recording import MAX_SECONDS
from gui import settings
from gui.actions import add_action as _action
from gui.recorder import CONTENTS

#: Figure names (the window's ``figure_widget`` and ``main.py render --panel`` take them)
#: and their menu texts.
FIGURES = {
    "window": "Whole window",
    "error": "Error panel",
    "gradients": "Gradients panel",
    "parameters": "Parameters panel",
    "decision": "Decision regions panel",
}
PNG_SCALES = (1, 2, 3, 4)


#: Shortcuts of the figures, in FIGURES order.
FIGURE_KEYS = ("Ctrl+E", "Ctrl+Alt+1", "Ctrl+Alt+2", "Ctrl+Alt+3", "Ctrl+Alt+4")


def build_file_menu(menu_bar: QMenuBar, commands, quit_action: QAction) -> QMenu:
    """File: Open, Recent, Save, Save as, Export ▸, Record animation ▸, Quit."""
    menu = menu_bar.addMenu("&File")
    menu.setObjectName("file_menu")
    menu.setToolTipsVisible(True)
    _action(menu, "open", "&Open…", commands.ask_open, "Ctrl+O",
            "Open a saved session (.xorlab) or weights file (.json); you can also drop one "
            "on the window")
    recent = menu.addMenu("Open &recent")
    recent.setObjectName("recent_menu")
    recent.aboutToShow.connect(partial(_fill_recent, recent, commands))
    menu.addSeparator()
    _action(menu, "save_session", "&Save session", commands.save, "Ctrl+S",
            "Save everything on screen (network, history, view settings) to reopen and go on "
            "training later, exactly")
    _action(menu, "save_session_as", "Save session &as…", commands.ask_save_as,
            "Ctrl+Shift+S", "Save the session under a new name")
    _build_export_menu(menu.addMenu("&Export"), commands)
    _build_record_menu(menu.addMenu("&Record animation"), commands)
    menu.addSeparator()
    menu.addAction(quit_action)
    return menu


def _build_export_menu(menu: QMenu, commands):
    menu.setObjectName("export_menu")
    menu.setToolTipsVisible(True)
    figures = menu.addMenu("&Figure")
    for (name, text), key in zip(FIGURES.items(), FIGURE_KEYS):
        _action(figures, f"export_figure_{name}", f"{text}…",
                partial(commands.ask_figure, name), key,
                f"Export the {text.lower()} as PNG (at the scale below), SVG or PDF (vector)")
    figures.addSeparator()
    group = QActionGroup(figures)
    for scale in PNG_SCALES:
        action = _action(figures, f"png_scale_{scale}",
                         f"PNG at {scale}×" + ("  (slides)" if scale == 2 else ""),
                         partial(setattr, commands, "png_scale", float(scale)),
                         f"Ctrl+Alt+Shift+{scale}",
                         f"Export and copy PNG images at {scale} times the size on screen")
        action.setCheckable(True)
        action.setChecked(scale == commands.png_scale)
        action.setActionGroup(group)
    _action(menu, "export_history", "&History as CSV…", partial(commands.ask_data,
            "export_history"), "Ctrl+Shift+H",
            "Every recorded point: iteration, error, each gradient and each parameter")
    _action(menu, "export_grid", "&Decision grid as CSV…", partial(commands.ask_data,
            "export_grid"), "Ctrl+Shift+G", "The decision map on screen: x1, x2, network output")
    _action(menu, "export_weights", "&Weights as JSON…", partial(commands.ask_data,
            "save_weights"), "Ctrl+Shift+W",
            "The network's weights and biases and its configuration; File ▸ Open and "
            "main.py train --load-weights read it")


def _build_record_menu(menu: QMenu, commands):
    menu.setObjectName("record_menu")
    menu.setToolTipsVisible(True)
    starts = [_action(menu, f"record_{content}", f"{text}…",
                      partial(commands.ask_record, content), key,
                      "From now until the run stops (or Stop below): a GIF or MP4 of at most "
                      f"{MAX_SECONDS} s, one frame every K iterations, the iteration stamped")
              for (content, (text, _)), key in zip(CONTENTS.items(),
                                                   ("Ctrl+Shift+A", "Ctrl+Alt+A"))]
    stop = _action(menu, "stop_recording", "&Stop recording", commands.recorder.stop,
                   "Ctrl+Shift+X",
                   "End the clip here and save it")
    missing = mp4_missing()
    if missing:
        menu.addSeparator()
        menu.addAction(f"GIF only: {missing}").setEnabled(False)

    def _on_about_to_show():
        busy = commands.recorder.busy
        for action in starts:
            action.setEnabled(not busy)
        stop.setEnabled(busy)

    menu.aboutToShow.connect(_on_about_to_show)


def _fill_recent(menu: QMenu, commands):
    menu.clear()
    files = settings.recent_files()
    for path in files:
        action = menu.addAction(Path(path).name)
        action.setToolTip(path)
        action.triggered.connect(lambda *_, p=path: commands.open_path(p))
    if not files:
        menu.addAction("No recent files").setEnabled(False)


def add_panel_menu(plot: QWidget, name: str, commands):
    """Right-click on ``plot``: "Export this panel…" and "Copy image"."""
    plot.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    plot.customContextMenuRequested.connect(
        lambda position: panel_menu(plot, name, commands).popup(plot.mapToGlobal(position)))


def panel_menu(plot: QWidget, name: str, commands) -> QMenu:
    menu = QMenu(plot)
    menu.setObjectName(f"panel_menu_{name}")
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # One-off entries of the menu of a right click: the File menu has the shortcuts.
    _action(menu, "export_panel", "Export this panel…", partial(commands.ask_figure, name),
            (), "PNG, SVG or PDF of this panel")
    _action(menu, "copy_image", "Copy image", partial(commands.copy_figure, name), (),
            "Put the panel on the clipboard, for pasting into slides")
    return menu
