"""Closing the window in any state stops the worker thread (the autouse guard checks it);
a signal closes it the same way, and the app exits whatever is open."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from engine.session import TrainingSession
from gui import app as gui_app
from gui import settings
from gui.main_window import MainWindow
from gui.worker import TrainingWorker

ROOT = Path(__file__).resolve().parents[2]


def close_and_check(window):
    window.close()
    assert not window.controller.is_alive()


def test_close_while_running(driver):
    driver.trigger("play_pause")
    driver.wait_for(lambda s: s.iteration > 0)
    close_and_check(driver.window)


def test_close_while_paused(driver):
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    close_and_check(driver.window)


def test_close_right_after_reseed(driver):
    driver.trigger("reseed")
    close_and_check(driver.window)


def test_close_right_after_opening(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.findChild(QAction, "play_pause").trigger()
    close_and_check(window)


def test_close_with_steps_queued_drops_them(driver, monkeypatch):
    # The first Step×100 holds the worker until the close has asked it to stop, so the other
    # 29 are all still queued then, whatever the machine's speed.
    steps, stop_sent = [], threading.Event()
    original_step, original_stop = TrainingSession.step, TrainingWorker.stop

    def held_step(session, n=1):
        steps.append(n)
        stop_sent.wait()
        return original_step(session, n)

    def stop(worker):
        original_stop(worker)
        stop_sent.set()

    monkeypatch.setattr(TrainingSession, "step", held_step)
    monkeypatch.setattr(TrainingWorker, "stop", stop)
    for _ in range(30):
        driver.trigger("step_100")
    driver.qtbot.waitUntil(lambda: bool(steps))
    close_and_check(driver.window)
    assert steps == [100]  # the one under way; the 29 queued behind it never ran


@pytest.fixture
def remembered_settings():
    """The settings main() writes, forgotten afterwards (they would be the next test's)."""
    yield settings
    settings.forget_all()


def run_main_until(action):
    """gui.app.main() on the tutorial, calling ``action(window)`` once the window is shown;
    main's exit code."""
    def when_shown():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows:
            action(windows[0])
        else:  # not shown yet: look again on the next pass of the event loop
            QTimer.singleShot(0, when_shown)

    QTimer.singleShot(0, when_shown)
    return gui_app.main(["--preset", "tutorial"])


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_closes_the_window_as_its_close_button_does(qapp, remembered_settings,
                                                              number):
    windows = []

    def play_then_signal(window):
        windows.append(window)
        window.controller.set_seed(1234)
        window.controller.play()
        os.kill(os.getpid(), number)

    assert run_main_until(play_then_signal) == 0
    assert not windows[0].isVisible() and not windows[0].controller.is_alive()
    assert remembered_settings.remembered_config().seed == 1234  # written as at a close
    # main() gave the signals back: the test run's own Ctrl+C works again
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# The window's own dialogs hide with it; one that is not its child stayed open, and kept the
# process alive with the window gone.
@pytest.mark.parametrize("over_the_window", [True, False])
def test_a_signal_with_a_modal_dialog_open_still_exits(qapp, remembered_settings,
                                                       over_the_window):
    answers = []

    def ask(window):
        # The question waits in an event loop of its own; the signal arrives during it.
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))
        answers.append(QMessageBox.question(window if over_the_window else None, "Reset?",
                                            "Reset the network?"))

    assert run_main_until(ask) == 0
    assert len(answers) == 1 and answers[0] != QMessageBox.StandardButton.Yes  # a cancel
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_without_a_display_main_says_so_and_exits_2(tmp_path):
    environ = {name: value for name, value in os.environ.items()
               if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py")], env=environ,
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "main.py train" in lines[0]
