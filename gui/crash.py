"""Unexpected exceptions, in the GUI thread or any other: a report (the traceback, the
versions, the platform) shown in a dialog to copy from and written to a log file, and the app
keeps running.

``reporting_crashes`` installs it (gui/app.py does, for the window's lifetime): it becomes
``sys.excepthook`` (PySide6 hands it what a slot raises), ``threading.excepthook``, and what
``report`` calls for the errors the worker and the window's slots catch themselves. Without
it, ``report`` prints the traceback, as before, so tests and scripts see their errors.
"""

import contextlib
import os
import platform
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine import __version__
from engine.files import FileError, write_text_atomic
from gui.about import library_versions

#: The first reports of a run are logged in full; a storm (a view raising on every frame) is
#: only counted, not written a thousand times.
MAX_LOGGED = 20


def log_folder() -> Path:
    """The user's log folder for XOR Lab (on Linux ``$XDG_STATE_HOME/xor-lab/log``)."""
    return Path(platformdirs.user_log_dir("xor-lab", appauthor=False))


def crash_report(kind: type, error: BaseException, trace) -> str:
    """The traceback, when and in which thread, and what it ran on: what a bug report needs."""
    lines = traceback.format_exception(kind, error, trace)
    return "".join([
        *lines, "\n",
        f"XOR Lab {__version__}, {time.strftime('%Y-%m-%d %H:%M:%S')}, "
        f"thread {threading.current_thread().name}\n",
        f"Python {platform.python_version()}, "
        + ", ".join(f"{name} {version}" for name, version, _ in library_versions()) + "\n",
        f"{platform.platform()}\n",
    ])


class CrashDialog(QDialog):
    """The report in a read-only box with a Copy button; counts the errors that follow."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle("XOR Lab: an unexpected error")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.report = QPlainTextEdit()
        self.report.setObjectName("crash_report")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.more = QLabel()
        self.more.setObjectName("crash_count")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("copy_report")
        self.copy_button.setToolTip("Copy the report, to paste into a bug report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QApplication.clipboard().setText(self.report.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.report, self.more, buttons):
            layout.addWidget(widget)
        self.resize(760, 460)

    def show_report(self, text: str, where: str):
        self.intro.setText("XOR Lab hit an error it did not expect. It keeps running, but what "
                           f"it shows may be wrong. {where}")
        self.report.setPlainText(text)
        self.more.clear()

    def count_more(self, count: int):
        self.more.setText(f"{count:,} more error{'s' if count > 1 else ''} since this one "
                          "(the first ones are in the log).")


class CrashReporter(QObject):
    """Takes reports from any thread; logs and shows them in the GUI thread it lives in."""

    #: A report, from whichever thread raised (delivered queued to the GUI thread).
    reported = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._parent = parent
        self.count = 0
        self._unseen = 0  # reports since the one the dialog shows
        self.dialog: CrashDialog | None = None
        self._log: Path | None = None
        self._logged: list[str] = []
        self._showing = False
        self.reported.connect(self._on_reported)

    def report(self, kind: type, error: BaseException, trace):
        """From any thread: the terminal gets the traceback now, the user the dialog soon."""
        text = crash_report(kind, error, trace)
        with contextlib.suppress(OSError, ValueError):  # no terminal left to print on
            print(text, file=sys.stderr, end="")
        self.reported.emit(text)

    def _on_reported(self, text: str):
        # An error in here would come back through the excepthook to here, for ever (it
        # ended in a segfault): it goes to the terminal alone.
        if self._showing:
            return
        self._showing = True
        try:
            self._show(text)
        except Exception:  # noqa: BLE001 - see above
            with contextlib.suppress(OSError, ValueError):
                traceback.print_exc()
        finally:
            self._showing = False

    def _show(self, text: str):
        self.count += 1
        where = self._write_log(text)
        if self.dialog is not None and self.dialog.isVisible():
            self._unseen += 1
            self.dialog.count_more(self._unseen)
            return
        if self.dialog is None:
            self.dialog = CrashDialog(self._parent)
        self._unseen = 0
        self.dialog.show_report(text, where)
        self.dialog.show()  # not exec(): the window goes on working beside it
        self.dialog.raise_()

    def _write_log(self, text: str) -> str:
        """Add ``text`` to this run's log (one file per run, rewritten atomically); where
        it went, in words for the dialog."""
        if len(self._logged) >= MAX_LOGGED:
            return f"Its report was not logged: {MAX_LOGGED} already are, in {self._log}."
        self._logged.append(text)
        try:
            if self._log is None:
                name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
                self._log = log_folder() / name
            self._log.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self._log, "\n".join(self._logged))
        except (FileError, OSError) as error:
            return f"Its report could not be logged: {error}."
        return f"Its report is also in {self._log}."


_installed: CrashReporter | None = None


def report(error: BaseException):
    """Report an exception that was caught to keep something alive (the worker's loop, a
    slot): to the installed reporter, else as a traceback on stderr."""
    if _installed is not None:
        _installed.report(type(error), error, error.__traceback__)
    else:
        traceback.print_exception(error, file=sys.stderr)


@contextmanager
def reporting_crashes(parent: QWidget | None = None):
    """Report every unexpected exception (see the module's docstring) while in the block;
    the dialogs open over ``parent``. Yields the CrashReporter."""
    global _installed
    reporter = CrashReporter(parent)
    previous = sys.excepthook, threading.excepthook

    def on_exception(kind, error, trace):
        if issubclass(kind, KeyboardInterrupt):
            previous[0](kind, error, trace)
        else:
            reporter.report(kind, error, trace)

    def on_thread_exception(args):
        if not issubclass(args.exc_type, SystemExit):  # a thread's way to end, not an error
            reporter.report(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook, threading.excepthook = on_exception, on_thread_exception
    _installed = reporter
    try:
        yield reporter
    finally:
        sys.excepthook, threading.excepthook = previous
        _installed = None
