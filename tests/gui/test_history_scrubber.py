"""The history scrubber: drag back through the run, every view follows; branch or go live."""

import numpy as np
from PySide6.QtWidgets import QPushButton, QSlider

from engine.layout import flatten
from gui.history_scrubber import HistoryScrubber
from gui.theme import LIGHT


def _drawn(driver):
    return driver.window.drawn_frame()


def test_dragging_back_draws_the_recorded_moment_and_play_returns_to_live(driver):
    window = driver.window
    for _ in range(3):
        driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 300)
    slider = window.findChild(QSlider, "history_scrubber")
    driver.qtbot.waitUntil(lambda: slider.maximum() == 300 and slider.value() == 300)
    slider.setValue(120)  # as a drag or a click on the track does
    driver.wait_for(lambda s: s.iteration == 120)
    frame = _drawn(driver)
    assert not frame.timeline.live
    history = window.controller.worker._session.trainer.history
    np.testing.assert_array_equal(flatten(frame.snapshot.layers), history.parameters[120])
    assert frame.decision.iteration == 120
    assert window.statusBar().fields["iteration"].text() == "iteration 120"
    assert driver.state() == "history"
    assert "recorded" in window.scrubber.position.text()
    assert frame.error.x[-1] == 300  # the curves still show the whole run
    for panel in (window.error_panel, window.gradient_panel, window.parameter_panel):
        assert panel.moment.at == 120 and panel.moment.line.isVisible()  # marked on them
    assert window.findChild(QPushButton, "branch").isEnabled()
    # The inspector's steps act on the live run: not offered on a recorded moment.
    window.side_panel.setCurrentIndex(window.side_panel.count() - 1)
    assert not any(button.isEnabled() for button in window.inspector.buttons.values())

    driver.trigger("play_pause")  # Play without branching: the live run goes on
    driver.wait_for(lambda s: s.iteration > 300)
    driver.trigger("play_pause")
    driver.wait_paused()
    assert _drawn(driver).timeline.live
    assert not window.findChild(QPushButton, "branch").isEnabled()
    assert window.error_panel.moment.at is None and not window.error_panel.moment.line.isVisible()


def test_continue_from_here_branches_a_run_from_the_recorded_parameters(driver):
    window = driver.window
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    slider = window.findChild(QSlider, "history_scrubber")
    driver.qtbot.waitUntil(lambda: slider.maximum() == 100)
    slider.setValue(40)
    moment = driver.wait_for(lambda s: s.iteration == 40)
    window.findChild(QPushButton, "branch").click()
    driver.qtbot.waitUntil(lambda: _drawn(driver).timeline.live
                           and _drawn(driver).timeline.rows == 41)
    driver.trigger("step")
    after = driver.wait_for(lambda s: s.iteration == 41)
    np.testing.assert_array_equal(flatten(moment.layers), window.controller.worker._session
                                  .trainer.history.parameters[40])
    assert after.error < moment.error  # one more descent step from that moment
    assert "branch" in window.statusBar().currentMessage()


def test_a_converged_run_keeps_its_marker_while_its_history_is_scrubbed(driver):
    window = driver.window
    window.speed.set_unlimited()
    driver.trigger("play_pause")
    driver.wait_for(lambda s: s.status.value == "converged")
    panel = window.error_panel
    converged_at = panel.converged_at
    assert converged_at == window.latest_snapshot().iteration
    window.findChild(QSlider, "history_scrubber").setValue(100)
    driver.qtbot.waitUntil(lambda: not _drawn(driver).timeline.live)
    assert panel.converged_at == converged_at and panel.converged_marker.isVisible()


def test_a_narrow_row_keeps_room_for_the_slider(qtbot):
    """1024 px at 200 %: the row's name goes and the button shortens (their tooltips say
    it all), so that the slider keeps a third of the row."""
    row = HistoryScrubber(LIGHT.zoomed(200))
    qtbot.addWidget(row)
    row.show()
    row.resize(1024, 60)
    qtbot.waitUntil(lambda: row.width() == 1024)
    assert not row.name.isVisible() and row.branch.text() == "Continue"
    assert row.slider.width() >= 1024 / 3 - 20
    row.resize(1900, 60)
    qtbot.waitUntil(lambda: row.width() == 1900)
    assert row.name.isVisible() and row.branch.text() == "Continue from here"
