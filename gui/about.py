"""XOR Lab's identity on screen: its icon, the About box and the Help menu that shows them."""

import sys
from collections.abc import Callable
from importlib import metadata

from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QMenuBar, QMessageBox, QWidget

from engine import __version__
from gui.actions import add_action
from gui.dialogs import open_once
from gui.help_pages import MENU_TEXT, open_help_pages
from gui.icon_files import ICON_SIZES, ICONS
from gui.shortcut_sheet import show_sheet

#: Sizes above the largest PNG (a HiDPI taskbar, the About box at 2×) come from the SVG.
SVG_SIZE = 512
ABOUT_PIXELS = 96

TUTORIAL_AUTHOR = "Alex McFarlane"
TUTORIAL_TITLE = "Introduction to Neural Nets in Python with XOR"
#: What XOR Lab runs on: name, module, distribution and licence (SPDX where one exists).
LIBRARIES = (
    ("PySide6", "PySide6", "PySide6-Essentials", "LGPLv3"),
    ("pyqtgraph", "pyqtgraph", "pyqtgraph", "MIT"),
    ("numpy", "numpy", "numpy", "BSD-3-Clause"),
    ("numba", "numba", "numba", "BSD-2-Clause"),
    ("Pillow", "PIL", "Pillow", "MIT-CMU (HPND)"),
)


def app_icon() -> QIcon:
    """The icon at every size: each PNG exactly as drawn, larger ones from the SVG."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(ICONS / f"xor-lab-{size}.png"), QSize(size, size))
    icon.addFile(str(ICONS / "xor-lab.svg"), QSize(SVG_SIZE, SVG_SIZE))
    return icon


def library_versions() -> list[tuple[str, str, str]]:
    """(name, version, licence) of Qt (the library loaded, not the one PySide6 was built
    against) and of each library XOR Lab is built on."""
    return [("Qt", qVersion(), "LGPLv3")] + [
        (name, _version(module, distribution), licence)
        for name, module, distribution, licence in LIBRARIES]


def _version(module: str, distribution: str) -> str:
    """The version of a module already imported (a frozen app may carry no package
    metadata), else of its installed distribution (importing numba just to ask takes about
    half a second)."""
    version = getattr(sys.modules.get(module), "__version__", None)
    if version is not None:
        return str(version)
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def about_text() -> tuple[str, str]:
    """The About box's heading and body, as rich text."""
    heading = f"<h2>XOR Lab {__version__}</h2>"
    rows = "".join(f"<tr><td>{name}</td><td>&nbsp;{version}&nbsp;</td><td>{licence}</td></tr>"
                   for name, version, licence in library_versions())
    body = (
        "<p>Watch a small neural network learn the XOR function by backpropagation, "
        "live.</p>"
        f"<p>Built from {TUTORIAL_AUTHOR}'s tutorial <i>{TUTORIAL_TITLE}</i>: its network, "
        "its maths and its printed numbers.</p>"
        "<p>XOR Lab is free software under the MIT licence. It is built on:</p>"
        f"<table>{rows}</table>"
    )
    return heading, body


def about_box(parent: QWidget | None = None) -> QMessageBox:
    """Help ▸ About XOR Lab, built but not shown."""
    box = QMessageBox(parent)
    box.setObjectName("about_box")
    box.setWindowTitle("About XOR Lab")
    box.setTextFormat(Qt.TextFormat.RichText)
    heading, body = about_text()
    box.setText(heading)
    box.setInformativeText(body)
    ratio = parent.devicePixelRatioF() if parent is not None else 1.0
    box.setIconPixmap(app_icon().pixmap(QSize(ABOUT_PIXELS, ABOUT_PIXELS), ratio))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def show_about(parent: QWidget) -> QMessageBox:
    """Open the About box over ``parent`` without blocking (the one already open, if any)."""
    return open_once(parent, QMessageBox, "about_box", about_box)


def build_help_menu(menu_bar: QMenuBar, parent: QWidget,
                    restore_defaults: Callable[[], None]) -> QMenu:
    """Help: What am I looking at? (Ctrl+F1), Keyboard shortcuts (?), Restore defaults
    (which calls ``restore_defaults``), About XOR Lab (F1), About Qt."""
    menu = menu_bar.addMenu("&Help")
    menu.setObjectName("help_menu")
    menu.setToolTipsVisible(True)
    add_action(menu, "help_pages", f"&{MENU_TEXT}", lambda: open_help_pages(parent), "Ctrl+F1",
               "A page per panel: what it plots and the formula each number comes from, in "
               "the tutorial's notation (Ctrl+F1)")
    add_action(menu, "keyboard_shortcuts", "&Keyboard shortcuts", lambda: show_sheet(parent),
               ("?", "Ctrl+/"), "Every command and its keys (?)")
    add_action(menu, "restore_defaults", "&Restore defaults…", restore_defaults,
               "Ctrl+Alt+Shift+D",
               "Forget the remembered window layout, view settings, configuration and "
               "recent files, and go back to the tutorial's network (asks first)")
    menu.addSeparator()
    about = add_action(menu, "about", "&About XOR Lab", lambda: show_about(parent), "F1",
                       "The version, the tutorial XOR Lab is built from, and the libraries it "
                       "uses with their licences (F1)")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about_qt = add_action(menu, "about_qt", "About &Qt",
                          lambda: QMessageBox.aboutQt(parent, "About Qt"), "Shift+F1",
                          "The version and licence of Qt")
    about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)
    return menu
