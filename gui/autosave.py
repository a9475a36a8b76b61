"""Autosave and recovery: the run is saved to the user's data folder every minute (when it
changed) and at close, and after a crash or a kill the next start offers it back; closing
a long run that was never saved asks first.

A clean close writes a marker beside the autosave; each autosave removes it before it
writes. So the next start finds the autosave unmarked only when the last window did not
close cleanly, and offers it back only then. Saves are the worker's (its session holds the
run; the GUI never waits on a write); at close the worker finishes them before it stops.

Each running app holds its own autosave, under a lock file: a second app shared the first's
file before, took its live run for a crashed one and offered it back, and each overwrote
the other's saves. A lock whose process is gone is stale, so the next start claims that
autosave and offers its run back.
"""

import contextlib
import os
from datetime import datetime
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLockFile, QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from engine.files import FileError, os_reason, writable_target, write_text_atomic
from engine.session_file import SESSION_SUFFIX, SavedSession, load_session
from gui.controller import LONG

#: How often the run is saved while it changes.
AUTOSAVE_MS = 60_000
#: Closing a run that Play trained for longer than this, and that is not saved, asks first:
#: a shorter one is quicker to train again than to answer a question about.
LONG_RUN_SECONDS = 60.0
#: Apps running at once that each keep an autosave; one more keeps none (and says so).
AUTOSAVES = 8


def autosave_path(slot: int = 1) -> Path:
    """Where the run of the app holding autosave ``slot`` is saved (under XDG_DATA_HOME on
    Linux, which tests redirect): autosave.xorlab, then autosave-2.xorlab, …"""
    folder = Path(platformdirs.user_data_dir("xor-lab", appauthor=False))
    return folder / (f"autosave{SESSION_SUFFIX}" if slot == 1 else
                     f"autosave-{slot}{SESSION_SUFFIX}")


def _left_by_a_crash(path: Path) -> bool:
    return path.is_file() and not clean_marker(path).exists()


def claim_autosave() -> tuple[QLockFile, Path]:
    """An autosave no running app holds, locked for this one: one a crash left behind if
    there is one (so that it is offered back), else the first free. FileError when there is
    none (all AUTOSAVES held) or none can be locked."""
    folder = autosave_path().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileError(f"cannot create {folder}: {os_reason(error)}") from None
    # Unmarked ones first: a running app's is unmarked too, but its lock turns this one away.
    slots = sorted(range(1, AUTOSAVES + 1),
                   key=lambda slot: not _left_by_a_crash(autosave_path(slot)))
    for slot in slots:
        path = autosave_path(slot)
        lock = QLockFile(f"{path}.lock")
        lock.setStaleLockTime(0)  # stale only when its process is gone, however old
        if lock.tryLock(0):
            return lock, path
        if lock.error() != QLockFile.LockError.LockFailedError:  # not another app's
            raise FileError(f"cannot lock {path} ({lock.error().name})")
    raise FileError(f"{AUTOSAVES} other XOR Lab windows are autosaving already")


def clean_marker(path: Path) -> Path:
    """The file whose presence says the autosave at ``path`` was left by a clean close."""
    return path.with_name(f"{path.name}.clean")


class Autosave(QObject):
    """The autosave of ``window``'s run (a MainWindow's). Inactive until ``start``: only
    the window a person opens (gui.app) saves to their data folder and asks questions, never
    a window that is rendered or tested."""

    def __init__(self, window):
        super().__init__(window)
        self._window, self._controller = window, window.controller
        self.path = autosave_path()
        self._lock = None  # held from start to closed: this app's autosave
        self.active = False
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_if_changed)
        self._saved_run = None  # the run as last autosaved (run_key)
        self._kept_run = None  # the run as last saved by the user (run_key)
        self._requests = set()
        self._close_after_save = False
        self._controller.request_finished.connect(self._on_request_finished)
        window.files.session_written.connect(self._on_session_written)

    def start(self, offer_restore: bool = True):
        """Autosave from now on; with ``offer_restore``, once the event loop runs, offer the
        run a crash left behind (only this app's autosave: see claim_autosave)."""
        try:
            self._lock, self.path = claim_autosave()
        except FileError as error:
            self._post(f"Not autosaving this run: {error}")
            return
        self.active = True
        self._saved_run = self._kept_run = self._run_key()  # as opened: nothing to lose
        self.timer.start()
        if offer_restore:
            QTimer.singleShot(0, self, self.offer_restore)

    def _run_key(self):
        """What tells one state of the run from another, without comparing arrays."""
        frame, controller = self._controller.latest_frame, self._controller
        live = frame.timeline.live_iteration if frame.timeline else frame.snapshot.iteration
        return live, frame.training_seconds, controller.config, controller.view

    # Saving -----------------------------------------------------------------------------
    def save_if_changed(self) -> bool:
        """Have the worker save the run, unless it is as last saved; returns whether."""
        run = self._run_key()
        if not self.active or run == self._saved_run:
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            writable_target(self.path)
        except (OSError, FileError) as error:
            self._post(f"Could not autosave the run: {error}")
            return False
        # From here on a crash leaves the autosave to be offered back, whichever run it holds.
        try:
            clean_marker(self.path).unlink(missing_ok=True)
        except OSError as error:
            self._post(f"Could not autosave the run: {error}")
            return False
        self._requests.add(self._controller.request("save", str(self.path)))
        self._saved_run = run
        return True

    def _on_request_finished(self, number: int, _value, error):
        if number not in self._requests:
            return
        self._requests.discard(number)
        if error is not None:
            self._saved_run = None  # tried again on the next tick
            self._post(f"Could not autosave the run: {error}")

    def _post(self, text: str):
        self._window.statusBar().showMessage(text, LONG)

    # Closing ----------------------------------------------------------------------------
    def may_close(self) -> bool:
        """Whether the window may close now: yes, unless a long unsaved run would be lost
        and the person cancels, or chooses to save it first (the window then closes once the
        save has succeeded)."""
        frame = self._controller.latest_frame
        if (not self.active or frame.training_seconds <= LONG_RUN_SECONDS
                or self._run_key() == self._kept_run):
            return True
        answer = ask_save_before_close(self._window, frame.training_seconds)
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer == QMessageBox.StandardButton.Save:
            self._close_after_save = self._window.files.save()
        return False

    def _on_session_written(self, written: bool):
        if written:
            self._kept_run = self._run_key()
        if self._close_after_save:
            self._close_after_save = False
            if written:
                self._window.close()

    def closing(self):
        """A clean close, before the worker stops: the run's last save is queued."""
        if self.active:
            self.timer.stop()
            self.save_if_changed()

    def closed(self):
        """After the worker stopped (its saves are done): the autosave is marked clean and
        let go."""
        if self.active:
            self.active = False
            # Unwritten, the worst outcome is that the next start offers a run not lost.
            with contextlib.suppress(FileError):
                write_text_atomic(clean_marker(self.path), "XOR Lab closed cleanly\n")
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # Recovery ---------------------------------------------------------------------------
    def offer_restore(self):
        """If the last run ended in a crash or a kill, ask whether to go on with it; the one
        declined is deleted."""
        path = self.path
        if self._lock is None or not _left_by_a_crash(path):
            return  # not this app's autosave (another app's live run), or nothing lost
        try:
            saved = load_session(path)
            when = datetime.fromtimestamp(os.stat(path).st_mtime)
        except (OSError, FileError) as error:
            self._post(f"Could not restore the autosaved run: {error}")
            return
        answer = ask_restore(self._window, when, saved)
        if answer == QMessageBox.StandardButton.Yes:
            self._controller.open_session(saved, f"the run autosaved at {when:%H:%M}")
        elif answer == QMessageBox.StandardButton.Discard:
            with contextlib.suppress(OSError):  # then it is offered again: nothing is lost
                path.unlink(missing_ok=True)
        else:
            # Neither (the question closed, the app told to quit): the crashed run stays as
            # it is, to be offered at the next start, so nothing here may overwrite it or
            # mark it clean.
            self.timer.stop()
            self.active = False
            self._post("The autosaved run is kept: it will be offered again at the next start")


def _message_box(parent, title: str, text: str, detail: str, buttons: dict,
                 default) -> QMessageBox.StandardButton:
    """Ask with ``buttons`` (standard button → its text); the button chosen."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setInformativeText(detail)
    for button, label in buttons.items():
        box.addButton(button).setText(label)
    box.setDefaultButton(default)
    box.exec()
    clicked = box.clickedButton()
    return QMessageBox.StandardButton.NoButton if clicked is None else box.standardButton(clicked)


def ask_restore(parent, when: datetime, saved: SavedSession) -> QMessageBox.StandardButton:
    """Yes (Restore), Discard, or anything else (closed: the autosave is kept for now)."""
    buttons = QMessageBox.StandardButton
    return _message_box(
        parent, "Restore the run?", f"Restore the run from {when:%H:%M on %d %B %Y}?",
        f"XOR Lab did not close properly last time. The run it was training was saved at "
        f"iteration {saved.state.iteration:,}; restored, it is paused there.",
        {buttons.Yes: "Restore", buttons.Discard: "Discard"}, buttons.Yes)


def ask_save_before_close(parent, seconds: float) -> QMessageBox.StandardButton:
    """Save (Save…), Discard (Don't save) or Cancel."""
    buttons = QMessageBox.StandardButton
    minutes = f"{seconds / 60:.0f} minutes" if seconds >= 90 else "a minute"
    return _message_box(
        parent, "Save the run?", "Save this run before closing?",
        f"It has trained for {minutes} and is not saved; closing without saving loses it.",
        {buttons.Save: "Save…", buttons.Discard: "Don't save", buttons.Cancel: "Cancel"},
        buttons.Save)
