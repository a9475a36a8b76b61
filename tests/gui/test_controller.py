"""One source of truth, one protocol for views, errors that cross threads as objects."""

import time
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QLabel

from engine.config import PRESETS
from engine.session import TrainingSession
from engine.trainer import Status
from engine.view_settings import ViewSettings
from gui.controller import TrainingController
from gui.panels.common import TracePanel
from gui.theme import LIGHT
from gui.worker import FRAME_INTERVAL


def test_widgets_follow_the_controller(driver):
    window, controller = driver.window, driver.window.controller
    controller.set_seed(7)
    assert window.seed_box.text() == "7"
    controller.set_config(controller.config.replace(learning_rate=0.25, hidden=(3,)))
    assert window.config_panel.editors["learning_rate"].text() == "0.25"
    assert window.config_panel.editors["hidden"].text() == "3"
    snapshot = driver.wait_for(lambda s: s.config.hidden == (3,))
    assert snapshot.config == controller.config == window.config
    controller.set_speed(None)
    assert window.speed.slider.value() == window.speed.slider.maximum()
    controller.set_grid_every(250)
    assert window.heatmap_every.value() == 250
    controller.set_show_deltas(True)
    assert window.gradient_panel.show_deltas.isChecked()


def test_editing_a_field_reaches_the_controller_and_the_session(driver):
    editor = driver.window.config_panel.editors["target_error"]
    editor.setText("1e-3")
    editor.editingFinished.emit()
    assert driver.window.controller.config.target_error == 1e-3
    assert driver.wait_for(lambda s: s.config.target_error == 1e-3).iteration == 0


def test_the_smoothing_slider_changes_what_the_error_panel_draws(driver):
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    panel = driver.window.error_panel
    assert not np.array_equal(panel.smooth_curve.yData, panel.raw_curve.yData)
    panel.smoothing.setValue(0)
    driver.qtbot.waitUntil(
        lambda: np.array_equal(panel.smooth_curve.yData, panel.raw_curve.yData))
    assert driver.window.controller.view.smoothing == 0.0


def test_an_unknown_command_is_an_error(driver):
    with pytest.raises(ValueError, match="unknown training command 'fly'"):
        driver.window.controller.worker.send("fly")


def test_a_failing_command_reaches_the_status_bar_as_an_exception(driver):
    failures = []
    controller = driver.window.controller
    controller.worker.failed.connect(failures.append)
    controller.play()
    controller.worker.send("step", 0)  # the session refuses it
    driver.qtbot.waitUntil(lambda: len(failures) == 1, timeout=300_000)
    assert isinstance(failures[0], ValueError)
    driver.qtbot.waitUntil(lambda: not controller.playing)
    assert driver.window.statusBar().currentMessage().startswith(
        "Training error: step needs a whole number")
    stopped = driver.wait_paused().iteration
    driver.trigger("step")  # the worker lives on
    assert driver.wait_for(lambda s: s.iteration != stopped).iteration == stopped + 1


def test_every_view_takes_frames_and_themes(driver, check_axis_labels):
    window = driver.window
    assert len(window.views) == 11
    driver.trigger("step_100")  # log axes over (0, 1) before the restyle
    driver.wait_for(lambda s: s.iteration == 100)
    window.apply_theme(replace(LIGHT, tick_point_size=14, label_point_size=15,
                               title_point_size=17))
    for plot in window.findChildren(pg.PlotWidget):
        axis = plot.getPlotItem().getAxis("left")
        assert axis.style["tickFont"].pointSize() == 14, plot.objectName()
        # values shown as they are: restyling once turned 0.1 into "100" (an SI "milli")
        assert axis.autoSIPrefixScale == 1.0, plot.objectName()
    check_axis_labels(window)


def test_a_large_network_draws_each_wide_layer_as_a_band(driver):
    window = driver.window
    window.controller.set_config(PRESETS["tutorial"].replace(hidden=(16, 16, 16, 16)))
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1 and s.config.hidden == (16, 16, 16, 16))
    for panel in (window.gradient_panel, window.parameter_panel):
        assert isinstance(panel, TracePanel)
        items = panel.plot.getPlotItem().listDataItems()
        bands = [item for item in items if item.opts["fillLevel"] == "enclosed"]
        assert bands, panel.plot.objectName()
        assert len(items) <= 2 * 5 + 4  # a line and a band per entry, not an item per series
    assert window.gradient_panel.legend.names() == [
        "hidden layer 1", "hidden layer 2", "hidden layer 3", "hidden layer 4", "output layer"]


def test_frames_are_sent_by_wall_time_not_per_update(driver):
    # 100,000 updates/s: batches of 1,000 updates every 10 ms, the tutorial's run in ~4 s;
    # a frame per batch would be 390 frames, well over one per FRAME_INTERVAL
    driver.window.controller.set_speed(1e5)
    first = len(driver.frames)
    started = time.perf_counter()
    driver.trigger("play_pause")
    driver.qtbot.waitUntil(lambda: len(driver.frames) > first + 1
                           and driver.frames[-1].snapshot.status is Status.CONVERGED,
                           timeout=300_000)
    seconds = time.perf_counter() - started
    frames = driver.frames[first:]
    # Play answered at once, then at most one frame per FRAME_INTERVAL, and the converged one
    assert len(frames) <= 3 + seconds / FRAME_INTERVAL
    assert frames[-1].snapshot.iteration == 390_111


def test_a_frame_from_before_play_does_not_stop_it(driver):
    controller = driver.window.controller
    old = controller.latest_frame  # iteration 0, not running, stamped before any Play
    controller.play()
    controller._on_frame_ready(replace(old, command=0))  # arrives late
    assert controller.playing
    controller._on_frame_ready(replace(old, command=controller._play_command))
    assert not controller.playing  # the session's answer to Play says it is not running


def test_a_decimal_comma_is_a_decimal_point_and_an_ambiguous_number_is_refused(driver):
    panel, status = driver.window.config_panel, driver.window.statusBar()
    editor = panel.editors["learning_rate"]
    editor.setText("0,5")
    editor.editingFinished.emit()
    assert driver.window.config.learning_rate == 0.5
    assert editor.text() == "0.5"
    editor = panel.editors["target_error"]
    editor.setText("1,000")
    editor.editingFinished.emit()
    assert driver.window.config.target_error == 1e-4
    assert editor.text() == "0.0001"
    assert status.currentMessage().startswith("Target error: '1,000' could mean 1000 or 1.000")


def test_a_bad_seed_is_refused_and_the_seed_kept(driver):
    box = driver.window.seed_box
    for text in ("4,2", "-1", "4294967296", "seven"):
        box.setText(text)
        box.editingFinished.emit()
        assert box.text() == "42", text
        assert driver.window.statusBar().currentMessage().startswith("Seed: "), text
    assert driver.window.config.seed == 42


def test_the_toolbar_controls_reach_the_controller(driver):
    window = driver.window
    window.speed.slider.setValue(20)
    assert window.controller.view.speed == pytest.approx(100.0)
    window.heatmap_every.setValue(500)
    assert window.controller.view.grid_every == 500
    window.gradient_panel.show_deltas.setChecked(True)
    assert window.controller.view.show_deltas


def test_a_new_theme_restyles_the_legends(driver):
    window = driver.window
    window.apply_theme(replace(LIGHT, tick_point_size=17))
    for panel in (window.error_panel, window.decision_panel):
        assert panel.legend.entries
        labels = panel.legend.findChildren(QLabel)
        names = [label for label in labels if label.text() in panel.legend.names()]
        assert names and all(label.font().pointSize() == 17 for label in names)


@pytest.fixture
def steps_run(monkeypatch):
    """The ``n`` of every step a session performs, in order."""
    done = []
    original = TrainingSession.step

    def counting_step(session, n=1):
        done.append(n)
        return original(session, n)

    monkeypatch.setattr(TrainingSession, "step", counting_step)
    return done


@pytest.mark.parametrize("restart", ["reset", "new_seed", "new_network", "open_session"])
def test_a_restart_drops_the_steps_queued_before_it(qtbot, steps_run, restart):
    # All queued before the worker starts, so what it drops does not depend on timing.
    controller = TrainingController(PRESETS["tutorial"], ViewSettings())
    frames = []
    controller.frame_received.connect(frames.append)
    try:
        for _ in range(30):
            controller.step(100)
        if restart == "reset":
            controller.reset()
        elif restart == "new_seed":
            controller.set_seed(7)  # as Reseed does, with a seed of its choosing
        elif restart == "new_network":
            controller.set_config(controller.config.replace(hidden=(3,)))
        else:
            saved = TrainingSession(PRESETS["tutorial"].replace(seed=7)).saved()
            controller.open_session(saved, "lecture.xorlab")
        controller.step(1)  # queued after the restart: it runs
        controller.start()
        qtbot.waitUntil(lambda: bool(frames) and frames[-1].snapshot.iteration == 1)
    finally:
        controller.shutdown()
    assert steps_run == [1]  # the 30 Step×100 never ran
    assert [frame.snapshot.iteration for frame in frames] == [0, 1]
    assert frames[-1].snapshot.config == controller.config


def test_a_live_change_keeps_the_steps_queued_before_it(qtbot, steps_run):
    controller = TrainingController(PRESETS["tutorial"], ViewSettings())
    frames = []
    controller.frame_received.connect(frames.append)
    try:
        controller.step(100)
        controller.set_config(controller.config.replace(learning_rate=0.25))
        controller.start()
        qtbot.waitUntil(lambda: bool(frames) and frames[-1].snapshot.config.learning_rate == 0.25)
    finally:
        controller.shutdown()
    assert steps_run == [100]
    assert frames[-1].snapshot.iteration == 100
