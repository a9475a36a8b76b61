"""pytest-qt setup: offscreen Qt, a window fixture, and a guard against leaked threads."""

import os
import tempfile
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings (recent files, last folder), the autosave and crash logs in folders of this
# run's own, not the user's: an autosave left by a killed run would otherwise be offered back
# in a real dialog.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="xor-lab-test-settings-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="xor-lab-test-data-")
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="xor-lab-test-state-")

import pyqtgraph as pg  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QThread  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from engine.config import PRESETS  # noqa: E402
from engine.trainer import Trainer  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

#: Generous: waits end as soon as the condition holds; this only bounds a broken run.
TIMEOUT_MS = 300_000


@pytest.fixture(scope="session", autouse=True)
def compiled_loops_ready():
    """Both compiled loops loaded, as on any start after the first: windows then train
    compiled from their first update, so their numbers are those of an engine session
    (tests of the first run make the loops unready themselves)."""
    for config in (PRESETS["tutorial"], PRESETS["tutorial"].replace(hidden=(2, 2))):
        Trainer(config).step(1)


@pytest.fixture(autouse=True)
def no_thread_left_running(monkeypatch):
    """Fail a test that leaves a QThread, or a thread of the window's, running (checked after
    qtbot closed its widgets)."""
    started = []
    original_start = QThread.start

    def recording_start(thread, *args):
        started.append(thread)
        return original_start(thread, *args)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = [thread for thread in started if _is_running(thread)]
    for thread in running:  # do not abort the interpreter: stop it, then fail the test
        thread.quit()
        thread.wait()
    assert not running, f"{len(running)} QThread(s) left running by the test"
    # The window's own Python threads (figure writers, the animation encoder).
    helpers = [thread for thread in threading.enumerate()
               if thread.name.startswith("xor-lab-") and thread.is_alive()]
    for thread in helpers:
        thread.join()
    assert not helpers, f"threads left running by the test: {[t.name for t in helpers]}"


def _is_running(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # the C++ object is gone, so is its thread
        return False


class Driver:
    """Drives a MainWindow the way a user (or an outside script) would."""

    def __init__(self, qtbot, window: MainWindow):
        self.qtbot = qtbot
        self.window = window
        self.frames = []
        window.controller.frame_received.connect(self.frames.append)

    def trigger(self, name: str):
        action = self.window.findChild(QAction, name)
        assert action is not None, name
        action.trigger()

    def wait_for(self, condition, timeout=TIMEOUT_MS):
        """Wait until ``condition(latest drawn snapshot)`` holds."""
        self.qtbot.waitUntil(lambda: condition(self.window.latest_snapshot()), timeout=timeout)
        return self.window.latest_snapshot()

    def wait_paused(self):
        """Wait for the worker's reply to a pause (its frame says it is not running)."""
        self.qtbot.waitUntil(lambda: self.frames and not self.frames[-1].running,
                             timeout=TIMEOUT_MS)
        self.qtbot.waitUntil(lambda: self.window.latest_snapshot() is self.frames[-1].snapshot,
                             timeout=TIMEOUT_MS)
        return self.frames[-1].snapshot

    def state(self) -> str:
        return self.window.statusBar().fields["state"].text()


@pytest.fixture
def driver(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return Driver(qtbot, window)


@pytest.fixture
def dialogs(monkeypatch):
    """The file error dialogs shown, as (title, text), instead of modal boxes."""
    shown = []
    monkeypatch.setattr("gui.file_commands.QMessageBox.critical",
                        lambda parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def check_axis_labels():
    """A check that every axis label of a window lies inside its panel, clear of the tick
    values."""
    return _check_axis_labels


def _check_axis_labels(window):
    QApplication.processEvents()  # the layout requests a restyle posted
    window.grab()  # lays out and paints, so the axes know their tick text widths
    for plot in window.findChildren(pg.PlotWidget):
        inside = plot.sceneRect().adjusted(2, 2, -2, -2)
        for axis in plot.scene().items():
            if not (isinstance(axis, pg.AxisItem) and axis.isVisible()
                    and axis.label.isVisible()):
                continue
            name = f"{plot.objectName()}: {axis.labelText!r}"
            margin = axis.label.document().documentMargin()  # empty space around the text
            label = axis.label.mapRectToScene(
                axis.label.boundingRect().adjusted(margin, margin, -margin, -margin))
            assert inside.contains(label), name
            if axis.orientation in ("left", "right"):
                left = axis.mapToScene(0, 0).x()
                values = axis.textWidth + axis.style["tickTextOffset"][0]
                if axis.orientation == "right":
                    assert label.left() >= left + values, name
                else:
                    assert label.right() <= left + axis.width() - values, name
