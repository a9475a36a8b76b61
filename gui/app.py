"""Application entry point: ``gui.app.main(args)`` opens the window and runs the event loop."""

import argparse
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from engine import __version__
from engine.config import PRESETS
from gui import desktop_entry, icon_files, settings, theme
from gui.about import app_icon

#: The desktop entry's name without ".desktop": taskbars group the window under it (as
#: "XOR Lab" with its icon, not as "python3").
DESKTOP_FILE_NAME = icon_files.NAME


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="xor-lab", description="Watch a small neural "
                                     "network learn XOR by backpropagation, live.")
    parser.add_argument("file", nargs="?",
                        help="a session (.xorlab) or weights file (.json) to open")
    parser.add_argument("--preset", choices=sorted(PRESETS), default=None,
                        help="configuration to open with (default: the last one used, "
                        "else tutorial)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--install-desktop-entry", action="store_true",
                      help="add XOR Lab to your application menu, with its icon, and open "
                      ".xorlab files with it (under $XDG_DATA_HOME, default ~/.local/share)")
    mode.add_argument("--uninstall-desktop-entry", action="store_true",
                      help="remove what --install-desktop-entry wrote")
    mode.add_argument("--smoke-test", action="store_true",
                      help="check that XOR Lab works here: open the window, train 1,000 "
                      "updates, save a screenshot, print its path and exit (status 0 if all "
                      "went well)")
    parser.add_argument("--screenshot", metavar="PATH.png", type=Path,
                        help="where --smoke-test saves the window (default: a new temporary "
                        "folder)")
    options = parser.parse_args(args)
    if options.file and (options.install_desktop_entry or options.uninstall_desktop_entry):
        parser.error("a desktop entry option takes no file")
    if options.file and options.smoke_test:
        parser.error("--smoke-test takes no file")
    if options.screenshot and not options.smoke_test:
        parser.error("--screenshot goes with --smoke-test")
    return options


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


def start_application() -> QApplication:
    """The QApplication (made once), named and styled; Ctrl+C in the terminal quits."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    style_application(app)
    # Python cannot run its own handler while Qt's event loop runs.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return app


def main(args: list[str] | None = None) -> int:
    """Open the XOR Lab window, or with a desktop entry option install or remove the desktop
    entry (before any QApplication exists), or run the smoke test; return the exit code (0
    on a normal close)."""
    options = parse_args(sys.argv[1:] if args is None else args)
    if options.install_desktop_entry:
        return desktop_entry.command(desktop_entry.install)
    if options.uninstall_desktop_entry:
        return desktop_entry.command(desktop_entry.uninstall)
    if options.smoke_test:
        from gui import smoke_test

        return smoke_test.command(options.screenshot, PRESETS[options.preset or "tutorial"])
    from gui.main_window import MainWindow  # after argument errors, which need no Qt

    app = start_application()
    # The remembered configuration (unless --preset or a file is given), view and layout;
    # the first window is sized from the screen.
    window = MainWindow.remembered(options.preset, options.file)
    window.show()
    if options.file:
        # Once the window is up, so that a file that cannot be opened is explained in a
        # dialog over it (and the tutorial's network stays).
        QTimer.singleShot(0, lambda: window.open_path(options.file))
    return app.exec()
