"""The live training window, driven through its public object names."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QAction

from engine.config import PRESETS
from engine.trainer import Status

TUTORIAL_PREDICTIONS = [0.01505756, 0.98652214, 0.98652109, 0.01448912]


def layers_equal(a, b) -> bool:
    return all(np.array_equal(wa, wb) and np.array_equal(ba, bb)
               for (wa, ba), (wb, bb) in zip(a, b))


def test_opens_paused_at_iteration_zero_with_every_panel_drawn(driver):
    window = driver.window
    assert window.windowTitle() == "XOR Lab"
    snapshot = window.latest_snapshot()
    assert snapshot.iteration == 0
    assert snapshot.config == PRESETS["tutorial"]
    assert driver.state() == "ready"
    for name in ("play_pause", "step", "reset", "reseed"):
        action = window.findChild(QAction, name)
        assert action is not None and action.shortcut().toString() and action.toolTip()
    assert window.findChild(QAction, "play_pause").shortcut().toString() == "Space"
    for name in ("error_plot", "gradient_plot", "parameter_plot", "decision_plot"):
        plot = window.findChild(pg.PlotWidget, name)
        assert plot is not None, name
        if name != "decision_plot":
            curves = [c for c in plot.getPlotItem().listDataItems() if c.yData is not None]
            assert curves and all(np.all(c.yData > 0) for c in curves), name
            # one point per series at iteration 0: drawn as dots, on an axis starting at 0
            series = [c for c in curves if c.opts["symbol"] is not None]
            assert series, name
            x_min, _ = plot.getPlotItem().viewRange()[0]
            assert -0.1 < x_min <= 0, name


def test_single_point_dots_give_way_to_lines_once_training_runs(driver):
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    plot = driver.window.findChild(pg.PlotWidget, "gradient_plot")
    assert all(c.opts["symbol"] is None for c in plot.getPlotItem().listDataItems())


def test_play_advances_and_pause_stops(driver):
    driver.trigger("play_pause")
    driver.wait_for(lambda s: s.iteration > 0)
    assert driver.state() == "running"
    driver.trigger("play_pause")
    paused = driver.wait_paused()
    assert driver.state() == "paused"
    # The worker answered the pause with one frame and then emits nothing until told to:
    # the next frame is the step's, exactly one iteration later.
    count = len(driver.frames)
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration != paused.iteration)
    assert len(driver.frames) == count + 1
    assert driver.window.latest_snapshot().iteration == paused.iteration + 1


def test_step_does_exactly_one_update_and_step_100_a_hundred(driver):
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    driver.trigger("step_100")
    assert driver.wait_for(lambda s: s.iteration >= 101).iteration == 101


def test_reset_restores_iteration_zero_and_identical_parameters(driver):
    initial = driver.window.latest_snapshot()
    driver.trigger("step_100")
    moved = driver.wait_for(lambda s: s.iteration == 100)
    assert not layers_equal(moved.layers, initial.layers)
    driver.trigger("reset")
    reset = driver.wait_for(lambda s: s.iteration == 0)
    assert layers_equal(reset.layers, initial.layers)
    assert reset.config.seed == 42


def test_reseed_changes_parameters_and_the_seed_box(driver):
    initial = driver.window.latest_snapshot()
    driver.trigger("reseed")
    reseeded = driver.wait_for(lambda s: s.config.seed != 42)
    assert not layers_equal(reseeded.layers, initial.layers)
    assert driver.window.seed_box.text() == str(reseeded.config.seed)
    assert reseeded.iteration == 0


def test_typing_a_seed_restarts_from_it(driver):
    driver.window.seed_box.setText("7")
    driver.window.seed_box.editingFinished.emit()
    assert driver.wait_for(lambda s: s.config.seed == 7).iteration == 0


def test_tutorial_converges_at_unlimited_speed_to_the_tutorial_numbers(driver):
    driver.window.speed.set_unlimited()
    driver.trigger("play_pause")
    final = driver.wait_for(lambda s: s.status is not Status.RUNNING)
    assert final.status is Status.CONVERGED
    assert final.iteration == 390_111
    assert np.allclose(final.predictions.ravel(), TUTORIAL_PREDICTIONS, rtol=0, atol=1e-8)
    assert driver.state() == "converged"
    message = driver.window.statusBar().currentMessage()
    assert message.startswith("Converged after 390,111 iterations (error 9.")
    assert message.endswith("< 1e-04)")
    assert driver.window.findChild(QAction, "play_pause").text() == "Play"
    # Reset then Play at once, before the reset frame is even drawn: a new run starts from
    # 0 and converges again. It lasts ~0.05 s, less than a few frame intervals, so the
    # worker may send no frame between Play's and the last: the frames it sends are checked
    # (reset at 0, Play's frame running, then converged), not what a redraw happened to show.
    first_new = len(driver.frames)
    driver.trigger("reset")
    driver.trigger("play_pause")
    driver.qtbot.waitUntil(
        lambda: len(driver.frames) > first_new + 2
        and driver.frames[-1].snapshot.status is Status.CONVERGED, timeout=300_000)
    new_run = driver.frames[first_new:]
    assert new_run[0].snapshot.iteration == 0 and not new_run[0].running
    assert new_run[1].snapshot.iteration == 0 and new_run[1].running
    again = driver.wait_for(lambda s: s is driver.frames[-1].snapshot)
    assert again.iteration == 390_111
    assert driver.state() == "converged"


def test_play_on_a_finished_run_explains_why_nothing_happens(driver):
    editor = driver.window.config_panel.editors["max_iterations"]
    editor.setText("50")
    editor.editingFinished.emit()
    driver.trigger("play_pause")
    driver.wait_for(lambda s: s.status is Status.MAX_ITERATIONS)
    driver.qtbot.waitUntil(lambda: driver.state() == "max iterations")
    driver.trigger("play_pause")
    driver.qtbot.waitUntil(
        lambda: driver.window.findChild(QAction, "play_pause").text() == "Play")
    assert driver.window.statusBar().currentMessage().startswith(
        "Stopped at the maximum of 50 iterations")


def test_learning_rate_changes_while_running_without_reset(driver):
    driver.trigger("play_pause")
    before = driver.wait_for(lambda s: s.iteration > 0)
    editor = driver.window.config_panel.editors["learning_rate"]
    editor.setText("0.5")
    editor.editingFinished.emit()
    after = driver.wait_for(lambda s: s.config.learning_rate == 0.5
                            and s.iteration > before.iteration)
    assert driver.state() == "running"
    iterations = [frame.snapshot.iteration for frame in driver.frames]
    assert iterations == sorted(iterations), "the run restarted"
    assert after.config.seed == 42


def test_bad_hidden_layout_is_rejected_and_keeps_the_config(driver):
    editor = driver.window.config_panel.editors["hidden"]
    editor.setText("2,x")
    editor.editingFinished.emit()
    message = driver.window.statusBar().currentMessage()
    assert message.startswith("Hidden layout: must be whole numbers")
    assert editor.text() == "2"
    assert driver.window.config.hidden == (2,)


def test_changing_the_hidden_layout_restarts_and_says_so(driver):
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    editor = driver.window.config_panel.editors["hidden"]
    editor.setText("4, 3")
    editor.editingFinished.emit()
    restarted = driver.wait_for(lambda s: s.config.hidden == (4, 3))
    assert restarted.iteration == 0
    assert "restarted" in driver.window.statusBar().currentMessage()
    assert driver.window.gradient_panel.legend.names() == [
        "hidden layer 1", "hidden layer 2", "output layer"]


def test_every_preset_loads_at_iteration_zero(driver):
    for name, config in PRESETS.items():
        driver.trigger("step")
        driver.wait_for(lambda s: s.iteration > 0)
        driver.trigger(f"preset_{name}")
        snapshot = driver.wait_for(lambda s, c=config: s.config == c and s.iteration == 0)
        assert snapshot.config.layer_sizes == config.layer_sizes


def test_heatmap_has_the_grid_shape_and_the_four_points(driver):
    panel = driver.window.decision_panel
    assert panel.image.image.shape == (96, 96)
    drawn = [scatter.getData() for scatter in panel.points]
    assert [len(x) for x, _ in drawn] == [2, 2]
    class_0 = sorted(zip(*map(list, drawn[0])))
    class_1 = sorted(zip(*map(list, drawn[1])))
    assert class_0 == [(0.0, 0.0), (1.0, 1.0)]
    assert class_1 == [(0.0, 1.0), (1.0, 0.0)]
    first = panel.image.image
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    assert panel.image.image is not first  # refreshed on step
    inside = [unit.segment for unit in driver.window.drawn_frame().decision.units
              if unit.segment is not None]
    drawn = panel.hidden_lines.getData()[0]
    assert len(drawn if drawn is not None else []) == 2 * len(inside)


def test_deltas_toggle_draws_the_per_sample_deltas(driver):
    panel = driver.window.gradient_panel
    panel.show_deltas.setChecked(True)
    driver.wait_for(lambda s: driver.window.drawn_frame().show_deltas)
    curves = panel.plot.getPlotItem().listDataItems()
    # (2, 2, 1): 4 samples × 2 hidden deltas and 4 samples × 1 output delta, 1 point each.
    assert sorted(len(curve.yData) for curve in curves) == [4, 8]


def test_axis_labels_are_inside_their_panels_and_clear_of_the_tick_values(driver,
                                                                        check_axis_labels):
    check_axis_labels(driver.window)
