"""Autosave and recovery: the run is kept in the user's data folder, offered back after a
crash, and a long unsaved run is not closed without asking."""

import signal
import subprocess
import sys

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from engine.config import PRESETS
from engine.session_file import load_session, save_session
from engine.trainer import Trainer
from engine.view_settings import ViewSettings
from gui import autosave
from gui.main_window import MainWindow

#: Generous, as the conftest's: a wait ends as soon as its condition holds.
TIMEOUT_MS = 300_000



class Answers:
    """Message boxes answered by clicking the button labelled ``answer``; what they asked."""

    def __init__(self):
        self.asked = []
        self.answer = None

    def exec(self, box):
        self.asked.append(box.text())
        if self.answer is not None:  # None: closed without an answer
            buttons = {button.text(): button for button in box.buttons()}
            buttons[self.answer].click()
        return 0


@pytest.fixture
def answers(monkeypatch):
    answered = Answers()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: answered.exec(box))
    return answered


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """The user's data folder, here a temporary one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "xor-lab"


@pytest.fixture
def open_window(qtbot, answers, data_folder):
    """Opens windows as gui.app does (autosaving), each closed at the end without saving."""
    windows = []

    def open_one(offer_restore=False):
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        window.autosave.start(offer_restore=offer_restore)
        windows.append(window)
        return window

    yield open_one
    answers.answer = "Don't save"
    for window in windows:
        window.close()


def train(qtbot, window, iterations: int):
    window.findChild(QAction, "step_100" if iterations == 100 else "step").trigger()
    qtbot.waitUntil(lambda: window.latest_snapshot().iteration == iterations, timeout=TIMEOUT_MS)


def leave_a_crashed_run(data_folder, name="autosave.xorlab", iterations=250):
    """What a window killed mid-run leaves: an autosave and no clean-close marker."""
    trainer = Trainer(PRESETS["tutorial"])
    trainer.step(iterations)
    data_folder.mkdir(parents=True, exist_ok=True)
    save_session(data_folder / name, trainer.config, trainer.state(), ViewSettings())


def test_the_autosave_timer_saves_the_run_when_it_changed(qtbot, open_window, data_folder):
    window = open_window()
    path = data_folder / "autosave.xorlab"
    window.autosave.timer.timeout.emit()
    assert not path.exists()  # nothing has happened yet: nothing to keep
    train(qtbot, window, 100)
    window.autosave.timer.timeout.emit()
    qtbot.waitUntil(path.exists, timeout=TIMEOUT_MS)
    saved = load_session(path)
    assert saved.state.iteration == 100 and saved.config == PRESETS["tutorial"]
    assert not window.autosave.save_if_changed()  # unchanged since: not saved again


def test_a_clean_close_offers_nothing_at_the_next_start(qtbot, open_window, answers,
                                                        data_folder):
    window = open_window()
    train(qtbot, window, 100)
    window.autosave.timer.timeout.emit()
    qtbot.waitUntil((data_folder / "autosave.xorlab").exists, timeout=TIMEOUT_MS)
    assert window.close()

    open_window().autosave.offer_restore()
    assert answers.asked == []


def test_after_a_crash_the_next_window_offers_the_run_back(qtbot, open_window, answers,
                                                           data_folder):
    leave_a_crashed_run(data_folder)
    answers.answer = "Restore"

    window = open_window(offer_restore=True)
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=TIMEOUT_MS)
    assert answers.asked[0].startswith("Restore the run from ")
    qtbot.waitUntil(lambda: window.latest_snapshot().iteration == 250, timeout=TIMEOUT_MS)
    assert "autosaved" in window.statusBar().currentMessage()


def test_an_unanswered_question_keeps_the_run_for_the_next_start(qtbot, open_window,
                                                                   answers, data_folder):
    leave_a_crashed_run(data_folder)
    window = open_window()
    window.autosave.offer_restore()  # answers.answer is None: the box is closed
    train(qtbot, window, 100)
    window.autosave.timer.timeout.emit()
    answers.answer = "Don't save"
    assert window.close()

    answers.answer = "Restore"
    restored = open_window()
    restored.autosave.offer_restore()
    assert len(answers.asked) == 2
    qtbot.waitUntil(lambda: restored.latest_snapshot().iteration == 250, timeout=TIMEOUT_MS)


def test_a_discarded_run_is_not_offered_again(qtbot, open_window, answers, data_folder):
    leave_a_crashed_run(data_folder, iterations=0)
    answers.answer = "Discard"
    open_window().autosave.offer_restore()
    assert len(answers.asked) == 1
    open_window().autosave.offer_restore()
    assert len(answers.asked) == 1


@pytest.fixture
def long_run(qtbot, open_window, monkeypatch):
    """A window whose run Play trained for longer than LONG_RUN_SECONDS (set to 0 here)."""
    monkeypatch.setattr(autosave, "LONG_RUN_SECONDS", 0.0)
    window = open_window()
    window.findChild(QAction, "play_pause").trigger()
    qtbot.waitUntil(lambda: window.controller.latest_frame.snapshot.iteration > 0,
                    timeout=TIMEOUT_MS)
    window.findChild(QAction, "play_pause").trigger()
    qtbot.waitUntil(lambda: not window.controller.latest_frame.running, timeout=TIMEOUT_MS)
    return window


def test_closing_a_long_unsaved_run_asks_and_cancel_keeps_it_open(long_run, answers):
    answers.answer = "Cancel"
    assert not long_run.close()
    assert answers.asked == ["Save this run before closing?"]
    assert long_run.isVisible() and long_run.controller.is_alive()

    answers.answer = "Don't save"
    assert long_run.close()
    assert not long_run.controller.is_alive()


def test_save_before_closing_writes_the_run_then_closes(qtbot, long_run, answers, tmp_path):
    path = tmp_path / "kept.xorlab"
    long_run.files.current_path = path  # as if saved there before: Save writes it again
    answers.answer = "Save…"
    assert not long_run.close()  # not yet: once the run is saved
    qtbot.waitUntil(lambda: not long_run.isVisible(), timeout=TIMEOUT_MS)
    assert load_session(path).state.iteration == long_run.controller.latest_frame.snapshot.iteration
    assert answers.asked == ["Save this run before closing?"]


def test_a_short_run_closes_without_asking(qtbot, open_window, answers):
    window = open_window()
    train(qtbot, window, 100)  # Step, not Play: no training time
    assert window.close()
    assert answers.asked == []


def test_a_second_app_keeps_its_own_autosave_and_offers_nothing(qtbot, open_window,
                                                                 answers, data_folder):
    first = open_window()
    train(qtbot, first, 100)
    first.autosave.timer.timeout.emit()  # the first app's live run, unmarked while it runs
    qtbot.waitUntil((data_folder / "autosave.xorlab").exists, timeout=TIMEOUT_MS)

    second = open_window(offer_restore=True)
    train(qtbot, second, 1)
    second.autosave.timer.timeout.emit()
    qtbot.waitUntil((data_folder / "autosave-2.xorlab").exists, timeout=TIMEOUT_MS)
    assert answers.asked == []  # the first app's run is not taken for a crashed one
    assert load_session(data_folder / "autosave.xorlab").state.iteration == 100


def test_the_autosave_of_an_app_that_was_killed_is_offered_back(qtbot, open_window, answers,
                                                                 data_folder):
    # A process that locks autosave-2 (as a second app does), saves into it, and is killed.
    leave_a_crashed_run(data_folder, "autosave-2.xorlab")
    killed = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys; from PySide6.QtCore import QLockFile; "
         "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0); "
         "os.kill(os.getpid(), signal.SIGKILL)",
         str(data_folder / "autosave-2.xorlab.lock")], timeout=TIMEOUT_MS / 1000)
    assert killed.returncode == -signal.SIGKILL
    assert (data_folder / "autosave-2.xorlab.lock").exists()
    answers.answer = "Restore"

    window = open_window(offer_restore=True)
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.latest_snapshot().iteration == 250, timeout=TIMEOUT_MS)
    assert window.autosave.path == data_folder / "autosave-2.xorlab"


def test_when_every_autosave_is_held_the_window_says_it_does_not_autosave(
        open_window, data_folder, monkeypatch):
    monkeypatch.setattr(autosave, "AUTOSAVES", 2)
    others = [autosave.claim_autosave() for _ in range(2)]  # two other apps
    window = open_window()
    assert not window.autosave.active
    assert window.statusBar().currentMessage() == (
        "Not autosaving this run: 2 other XOR Lab windows are autosaving already")
    assert sorted(path.name for _, path in others) == ["autosave-2.xorlab", "autosave.xorlab"]
