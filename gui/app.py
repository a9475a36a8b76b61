"""Application entry point: ``gui.app.main(args)`` opens the window and runs the event loop."""

import argparse
import os
import signal
import socket
import sys
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from engine import __version__
from engine.config import PRESETS
from gui import desktop_entry, icon_files, settings, theme
from gui.about import app_icon
from gui.crash import reporting_crashes

#: The desktop entry's name without ".desktop": taskbars group the window under it (as
#: "XOR Lab" with its icon, not as "python3").
DESKTOP_FILE_NAME = icon_files.NAME
#: Ctrl+C in the terminal, a kill, a logout: they close the window as its close button does
#: (the settings written, the worker stopped) instead of killing the process.
CLOSING_SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: Without a display: Qt would abort (status 134) with a message few would understand.
EXIT_NO_DISPLAY = 2


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


def missing_display(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt would find no display to open a window on: Linux without DISPLAY or
    WAYLAND_DISPLAY, unless QT_QPA_PLATFORM names a platform that needs none (offscreen)."""
    if not platform.startswith("linux"):
        return False
    # "wayland;xcb" is a list to try; "xcb:option" passes an option
    chosen = [name.split(":")[0] for name in environ.get("QT_QPA_PLATFORM", "").split(";")]
    if any(name and not name.startswith(("xcb", "wayland")) for name in chosen):
        return False
    return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def start_application() -> QApplication:
    """The QApplication (made once), named and styled."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    style_application(app)
    return app


@contextmanager
def closing_on_signals(window: QWidget):
    """While in the block, CLOSING_SIGNALS close ``window`` as its close button does.

    Python runs a signal's handler only when the interpreter next gets control, which it may
    not while Qt's loop waits for events; so the C-level handler writes the signal's number
    to a socket (signal.set_wakeup_fd) whose notifier wakes the loop, and the closing is done
    in that slot, between events, not wherever Python happened to be.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def on_wakeup():
        try:
            numbers = reader.recv(64)
        except BlockingIOError:
            return
        if any(number in CLOSING_SIGNALS for number in numbers):
            window.close()

    notifier.activated.connect(on_wakeup)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    # A Python handler must be set for the wakeup byte to be written; the slot does the work.
    previous = {number: signal.signal(number, lambda *_: None) for number in CLOSING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


class QuitWithWindow(QObject):
    """Once ``window`` has closed, close every other window, so that the application ends
    as its last window closes: a modal dialog left open (a file dialog, a question) would
    otherwise keep the process alive, with nothing left to answer it for. No explicit quit:
    one that lands after the event loop has returned (a dialog's loop ran this) left Qt
    refusing to process any event again in this process.
    """

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            # The window may still refuse; look once it has handled the event (in whichever
            # event loop runs next: a dialog's own, while it is open).
            QTimer.singleShot(0, self._after_close)
        return False

    def _after_close(self):
        if self._window.isVisible():
            return
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                # reject(): the code that opened a dialog sees a cancel, as if Esc were
                # pressed (a message box without an Escape button ignores close()).
                widget.reject() if isinstance(widget, QDialog) else widget.close()


def main(args: list[str] | None = None) -> int:
    """Open the XOR Lab window, or with a desktop entry option install or remove the desktop
    entry (before any QApplication exists), or run the smoke test; return the exit code (0
    on a normal close)."""
    options = parse_args(sys.argv[1:] if args is None else args)
    if options.install_desktop_entry:
        return desktop_entry.command(desktop_entry.install)
    if options.uninstall_desktop_entry:
        return desktop_entry.command(desktop_entry.uninstall)
    if missing_display():
        print("xor-lab: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are "
              "unset): set QT_QPA_PLATFORM=offscreen to run without one, or train headless "
              "with `main.py train`", file=sys.stderr)
        return EXIT_NO_DISPLAY
    if options.smoke_test:
        from gui import smoke_test

        previous = signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C ends it at once
        try:
            return smoke_test.command(options.screenshot, PRESETS[options.preset or "tutorial"])
        finally:
            signal.signal(signal.SIGINT, previous)
    from gui.main_window import MainWindow  # after argument errors, which need no Qt

    app = start_application()
    # The remembered configuration (unless --preset or a file is given), view and layout;
    # the first window is sized from the screen.
    window = MainWindow.remembered(options.preset, options.file)
    window.show()
    # Autosave from now on; offer a crashed run back unless a file was asked for.
    window.autosave.start(offer_restore=not options.file)
    if options.file:
        # Once the window is up, so that a file that cannot be opened is explained in a
        # dialog over it (and the tutorial's network stays).
        QTimer.singleShot(0, lambda: window.open_path(options.file))
    QuitWithWindow(window)
    with reporting_crashes(window), closing_on_signals(window):
        return app.exec()
