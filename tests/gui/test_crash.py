"""Unexpected exceptions, in a slot, the worker or any thread: one dialog with a report to
copy, a log file, and the app goes on."""

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from engine import __version__
from gui import crash
from gui.crash import MAX_LOGGED, CrashDialog, reporting_crashes


@pytest.fixture(autouse=True)
def log_home(tmp_path, monkeypatch):
    """The user's log folder in this test's own folder (platformdirs follows XDG_STATE_HOME
    on Linux; elsewhere the folder itself is redirected)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(crash, "log_folder", lambda: tmp_path / "xor-lab" / "log")
    return tmp_path / "xor-lab" / "log"


def crash_dialogs():
    return [widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, CrashDialog) and widget.isVisible()]


def raise_in_a_slot(message: str):
    def slot():
        raise RuntimeError(message)

    QTimer.singleShot(0, slot)


def test_an_exception_in_a_slot_shows_a_report_to_copy_and_logs_it(qtbot, log_home, capsys):
    with reporting_crashes() as reporter:
        raise_in_a_slot("the decision map has no rows")
        qtbot.waitUntil(lambda: bool(crash_dialogs()))
        (dialog,) = crash_dialogs()
        text = dialog.report.toPlainText()
        assert dialog.report.isReadOnly()
        assert "RuntimeError: the decision map has no rows" in text
        assert "in slot" in text  # the traceback, down to the function that raised
        assert f"XOR Lab {__version__}" in text and "Python " in text and "PySide6 " in text
        dialog.copy_button.click()
        assert QApplication.clipboard().text() == text
        (log,) = log_home.iterdir()
        assert log.read_text(encoding="utf-8") == text
        assert str(log) in dialog.intro.text()
        # the app keeps running: the event loop goes on serving timers
        with qtbot.waitSignal(reporter.reported):
            raise_in_a_slot("again")
        dialog.close()
    assert "the decision map has no rows" in capsys.readouterr().err  # the terminal too


def test_a_storm_of_exceptions_opens_one_dialog_and_counts_the_rest(qtbot, log_home):
    with reporting_crashes() as reporter:
        for number in range(100):
            raise_in_a_slot(f"error {number}")
        qtbot.waitUntil(lambda: reporter.count == 100)
        (dialog,) = crash_dialogs()
        assert "error 0" in dialog.report.toPlainText()  # the first, which started it
        assert dialog.more.text().startswith("99 more errors since this one")
        (log,) = log_home.iterdir()
        assert log.read_text(encoding="utf-8").count("RuntimeError: error") == MAX_LOGGED
        dialog.close()
        raise_in_a_slot("after the storm")  # a new dialog once the last one is closed
        qtbot.waitUntil(lambda: bool(crash_dialogs()))
        assert "after the storm" in crash_dialogs()[0].report.toPlainText()
        crash_dialogs()[0].close()


def test_an_exception_in_another_thread_is_reported(qtbot):
    def fail():
        raise OSError("the figure writer lost its disk")

    with reporting_crashes():
        thread = threading.Thread(target=fail, name="figure-writer")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(crash_dialogs()))
        text = crash_dialogs()[0].report.toPlainText()
        assert "OSError: the figure writer lost its disk" in text
        assert "thread figure-writer" in text
        crash_dialogs()[0].close()


def test_a_training_error_is_reported_and_training_goes_on(driver):
    controller = driver.window.controller
    with reporting_crashes(driver.window):
        controller.worker.send("step", 0)  # the session refuses it: a bug if the GUI sent it
        driver.qtbot.waitUntil(lambda: bool(crash_dialogs()))
        (dialog,) = crash_dialogs()
        assert "ValueError: step needs a whole number" in dialog.report.toPlainText()
        assert dialog.parent() is driver.window
        driver.trigger("step")
        assert driver.wait_for(lambda s: s.iteration == 1).iteration == 1
        dialog.close()


def test_an_unwritable_log_folder_is_said_in_the_dialog(qtbot, log_home):
    log_home.parent.mkdir(parents=True)
    log_home.write_text("a file where the folder should be")
    with reporting_crashes():
        raise_in_a_slot("nowhere to log")
        qtbot.waitUntil(lambda: bool(crash_dialogs()))
        assert "could not be logged" in crash_dialogs()[0].intro.text()
        crash_dialogs()[0].close()


def test_the_hooks_are_given_back(qtbot):
    before = sys.excepthook, threading.excepthook
    with reporting_crashes():
        assert sys.excepthook is not before[0]
    assert (sys.excepthook, threading.excepthook) == before


def test_an_error_in_the_report_itself_goes_to_the_terminal_once(qtbot, monkeypatch,
                                                                 capsys):
    monkeypatch.setattr(crash.CrashDialog, "show_report",
                        lambda *args: (_ for _ in ()).throw(RuntimeError("dialog broke")))
    with crash.reporting_crashes() as reporter:
        crash.report(ValueError("the first error"))
        qtbot.waitUntil(lambda: "dialog broke" in capsys.readouterr().err)
    assert reporter.count == 1  # not reported again through the excepthook, for ever
