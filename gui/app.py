"""Application entry point: ``gui.app.main(args)`` opens the window and runs the event loop."""

import argparse
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from engine import __version__
from engine.config import PRESETS
from gui import settings, theme
from gui.about import app_icon

#: The desktop entry's name without ".desktop": taskbars group the window under it (as
#: "XOR Lab" with its icon, not as "python3").
DESKTOP_FILE_NAME = "xor-lab"


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="xor-lab", description="Watch a small neural "
                                     "network learn XOR by backpropagation, live.")
    parser.add_argument("file", nargs="?",
                        help="a session (.xorlab) or weights file (.json) to open")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tutorial",
                        help="configuration to open with (default: tutorial)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(args)


def style_application(app: QApplication):
    """Name, version, icon and a lecture-hall font size for every widget."""
    # The names QSettings files are kept under: gui.settings names them too.
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    font = QFont(app.font())
    font.setPointSize(theme.LIGHT.ui_point_size)
    app.setFont(font)


def main(args: list[str] | None = None) -> int:
    """Open the XOR Lab window; return the exit code (0 on a normal close)."""
    options = parse_args(sys.argv[1:] if args is None else args)
    from gui.main_window import MainWindow  # after argument errors, which need no Qt

    app = QApplication.instance() or QApplication([sys.argv[0]])
    style_application(app)
    # Ctrl+C in the terminal quits (Python cannot run its handler inside Qt's event loop).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    window = MainWindow(PRESETS[options.preset])
    window.resize(1600, 1000)
    window.show()
    if options.file:
        # Once the window is up, so that a file that cannot be opened is explained in a
        # dialog over it (and the tutorial's network stays).
        QTimer.singleShot(0, lambda: window.open_path(options.file))
    return app.exec()
