"""The Training, Presets and Tools menus."""

from functools import partial

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

from engine.config import PRESET_TITLES, PRESETS
from gui.actions import add_action


def build_training_menus(menu_bar: QMenuBar, training: list[QAction], gradient_check,
                         load_preset):
    """Training: the ``training`` commands and ``gradient_check()``; Presets: one entry per
    preset, calling ``load_preset(name)``."""
    menu = menu_bar.addMenu("&Training")
    menu.addActions(training)
    menu.addSeparator()
    add_action(menu, "gradient_check", "&Gradient check…", gradient_check, "Ctrl+G",
               "Compare backprop's gradients ∂E_sum/∂θ with finite differences of E_sum, "
               "parameter by parameter, for the state shown (Ctrl+G)")
    menu.setToolTipsVisible(True)
    presets = menu_bar.addMenu("&Presets")
    for number, name in enumerate(PRESETS, start=1):
        # Ctrl+1 … Ctrl+9, then Ctrl+Shift+1 …: one digit each.
        key = f"Ctrl+{number}" if number <= 9 else f"Ctrl+Shift+{number - 9}"
        add_action(presets, f"preset_{name}", PRESET_TITLES[name], partial(load_preset, name),
                   key, f"Load the '{name}' configuration and restart at iteration 0 ({key})")
    presets.setToolTipsVisible(True)


def build_tools_menu(menu_bar: QMenuBar, open_sweeps):
    """Tools: Sweep… calls ``open_sweeps()``."""
    tools = menu_bar.addMenu("T&ools")
    add_action(tools, "sweep", "&Sweep…", open_sweeps, "Ctrl+Shift+P",
               "Train many seeds of this configuration, for up to two varied settings, in the "
               "background: how often and how fast they converge (Ctrl+Shift+P)")
    tools.setToolTipsVisible(True)
