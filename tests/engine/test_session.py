"""TrainingSession driven without Qt: commands, pacing against a fake clock, frames."""

import numpy as np
import pytest

from engine.config import PRESETS, TrainingConfig
from engine.frame import (
    ERROR_POINTS,
    EXPLODING_PARAMETER,
    LINE_POINTS,
    LOG_FLOOR,
    MAX_LINES,
    PARAMETER_GROUPS,
    display_rows,
    magnitudes,
)
from engine.layout import flatten
from engine.session import MAX_BEHIND, MIN_BATCH_SECONDS, TrainingSession
from engine.session_file import saved_from_weights
from engine.smoothing import ewma
from engine.trainer import Status, Trainer
from engine.view_settings import ViewSettings

TUTORIAL_PREDICTIONS = [0.01505756, 0.98652214, 0.98652109, 0.01448912]


class FakeClock:
    """Seconds that move only when told to, plus ``tick`` on every reading."""

    def __init__(self, tick=0.0):
        self.now = 100.0
        self.tick = tick

    def __call__(self):
        self.now += self.tick
        return self.now


def session_of(config=PRESETS["tutorial"], speed=None, tick=0.001, **view):
    return TrainingSession(config, ViewSettings(speed=speed, **view), clock=FakeClock(tick))


def play_until_stopped(session, limit=10_000):
    session.play()
    for _ in range(limit):
        if not session.running:
            return
        session.advance(0.02)
    raise AssertionError("the run did not stop")


def test_opens_paused_at_iteration_zero():
    session = session_of()
    frame = session.frame()
    assert not session.running and not frame.running
    assert frame.snapshot.iteration == 0
    assert frame.snapshot.config == PRESETS["tutorial"]
    assert session.advance(1.0) == 0


def test_play_trains_and_pause_stops():
    session = session_of()
    session.play()
    assert session.advance(0.02) > 0
    reached = session.iteration
    session.pause()
    assert session.advance(1.0) == 0
    assert session.iteration == reached
    assert session.idle_seconds() is None  # paused: the driver waits for a command


def test_step_does_exactly_n_updates_and_pauses():
    session = session_of()
    session.play()
    session.advance(0.001)
    start = session.iteration
    assert session.step(100) == 100
    assert session.iteration == start + 100
    assert not session.running
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="step"):
            session.step(bad)


def test_reset_restores_the_identical_start():
    session = session_of()
    start = flatten(session.frame().snapshot.layers)
    session.step(50)
    session.reset()
    assert session.iteration == 0
    assert np.array_equal(flatten(session.frame().snapshot.layers), start)


def test_reseed_restarts_from_the_seeds_weights():
    session = session_of()
    session.step(10)
    session.reseed(7)
    snapshot = session.frame().snapshot
    assert snapshot.iteration == 0 and snapshot.config.seed == 7
    expected = Trainer(PRESETS["tutorial"].replace(seed=7)).layers
    assert np.array_equal(flatten(snapshot.layers), flatten(expected))


def test_a_live_config_change_keeps_the_run_going():
    session = session_of()
    session.play()
    session.advance(0.01)
    before = session.iteration
    assert session.set_config(session.config.replace(learning_rate=0.5)) is False
    assert session.running and session.iteration == before
    session.advance(0.01)
    assert session.iteration > before
    assert session.frame().snapshot.config.learning_rate == 0.5


def test_a_restarting_config_change_starts_over_paused():
    session = session_of()
    session.play()
    session.advance(0.01)
    assert session.set_config(session.config.replace(hidden=(4, 3))) is True
    frame = session.frame()
    assert not session.running and frame.snapshot.iteration == 0
    assert frame.snapshot.config.layer_sizes == (2, 4, 3, 1)
    with pytest.raises(TypeError):
        session.set_config({"hidden": (2,)})


def test_rate_limit_follows_the_clock():
    clock = FakeClock()
    session = TrainingSession(PRESETS["tutorial"], ViewSettings(speed=100.0), clock=clock)
    session.play()
    assert session.advance(0.02) == 0  # no time has passed: nothing is due
    assert session.idle_seconds() == pytest.approx(MIN_BATCH_SECONDS)
    clock.now += 0.2
    assert session.idle_seconds() == 0.0
    done = 0
    for _ in range(20):  # chunks grow from 1 towards what the clock allows
        done += session.advance(0.02)
    assert done == 20 and session.iteration == 20
    for _ in range(10):  # the clock goes on: so does the run, at 100/s exactly
        clock.now += 0.2
        for _ in range(5):
            session.advance(0.02)
    assert session.iteration == 220
    session.set_speed(1.0)  # slow motion restarts the clock from here
    clock.now += 0.2
    session.advance(0.02)
    assert session.iteration == 220
    clock.now += 0.8
    for _ in range(5):
        session.advance(0.02)
    assert session.iteration == 221


def test_a_run_that_fell_behind_goes_on_at_the_speed_rather_than_racing():
    """Numpy while the compiled loop is prepared, or a stall: at most MAX_BEHIND seconds'
    worth is caught up, never everything the clock missed."""
    clock = FakeClock()
    session = TrainingSession(PRESETS["tutorial"], ViewSettings(speed=1000.0), clock=clock)
    session.play()
    clock.now += 10.0  # the driver could not train for 10 s
    for _ in range(50):
        session.advance(0.02)
    assert session.iteration == int(1000 * MAX_BEHIND)
    for _ in range(10):  # then 1 s of the clock, kept up with: 1,000 more
        clock.now += 0.1
        for _ in range(5):
            session.advance(0.02)
    assert session.iteration == pytest.approx(int(1000 * MAX_BEHIND) + 1000, abs=1)


def test_unlimited_speed_converges_to_the_tutorial_numbers_and_stops_play():
    session = session_of()
    play_until_stopped(session)
    frame = session.frame()
    assert not frame.running
    assert frame.snapshot.status is Status.CONVERGED
    assert frame.snapshot.iteration == 390_111
    assert np.allclose(frame.snapshot.predictions.ravel(), TUTORIAL_PREDICTIONS, atol=1e-8)
    assert frame.decision.iteration == 390_111  # the final map is the converged network's
    session.play()  # a finished run does not start again
    assert not session.running


def test_updates_per_second_is_measured_while_playing():
    clock = FakeClock()
    session = TrainingSession(PRESETS["tutorial"], ViewSettings(speed=1000.0), clock=clock)
    session.play()
    for _ in range(10):
        clock.now += 0.1
        session.advance(0.02)
    assert session.frame().updates_per_second == pytest.approx(1000.0, rel=0.05)
    session.pause()
    session.advance(0.02)
    assert session.frame().updates_per_second == 0.0


def test_the_decision_map_refreshes_every_n_iterations_while_playing():
    clock = FakeClock()
    session = TrainingSession(PRESETS["tutorial"], ViewSettings(speed=1000.0, grid_every=300),
                              clock=clock)
    first = session.frame().decision
    assert first.iteration == 0 and first.grid.shape == (96, 96)
    session.play()
    clock.now += 0.2
    session.advance(0.02)
    assert session.iteration == 200
    assert session.frame().decision is first  # fewer than 300 iterations: kept
    clock.now += 0.2
    session.advance(0.02)
    assert session.frame().decision.iteration == 400
    session.step(1)  # paused: always the current network's
    assert session.frame().decision.iteration == 401


def test_reseed_at_iteration_zero_draws_a_new_map():
    session = session_of()
    first = session.frame().decision
    session.reseed(3)
    assert not np.array_equal(session.frame().decision.grid, first.grid)


def test_frames_are_bounded_and_read_only_copies():
    # a run that never converges, so that the history halves its resolution many times
    config = PRESETS["tutorial"].replace(target_error=1e-300, max_iterations=10**7)
    session = session_of(config)
    session.step(2_000_000)
    frame = session.frame()
    assert len(frame.error.x) <= ERROR_POINTS
    assert frame.error.x[0] == 0 and frame.error.x[-1] == 2_000_000
    for trace in (*frame.gradients, *frame.parameters):
        assert trace.lines.shape[1] == len(trace.x) <= LINE_POINTS
        assert trace.x[-1] == 2_000_000
        assert np.all(trace.lines >= 1e-12)
        assert not trace.lines.flags.writeable
    layers = [w.copy() for w, _ in frame.snapshot.layers]
    session.step(10)  # the session moves on; the frame it handed out does not
    assert all(np.array_equal(w, old) for (w, _), old in zip(frame.snapshot.layers, layers))
    assert not frame.snapshot.layers[0][0].flags.writeable


def test_traces_follow_the_tutorial_plot_groups():
    session = session_of()
    session.step(10)
    frame = session.frame()
    # gradients: hidden layer (w 2×2, b 2) then the output layer (w 2, b 1)
    assert [t.key for t in frame.gradients] == [0, 1]
    assert [len(t.lines) for t in frame.gradients] == [6, 3]
    assert [t.key for t in frame.parameters] == list(PARAMETER_GROUPS)
    assert [len(t.lines) for t in frame.parameters] == [2, 1, 4, 2]
    grads = session.trainer.grads
    assert np.allclose(np.sort(frame.gradients[1].lines[:, -1]),
                       np.sort(np.abs(np.concatenate([grads[1][0].ravel(), grads[1][1].ravel()]))))
    session.set_show_deltas(True)
    deltas = session.frame()
    assert deltas.show_deltas
    assert [len(t.lines) for t in deltas.gradients] == [8, 4]  # 4 samples × (2, 1) units


def test_a_wide_layer_is_drawn_as_its_range_and_mean():
    session = session_of(TrainingConfig(hidden=(16, 16)))
    session.step(5)
    frame = session.frame()
    hidden_1 = frame.gradients[0]  # 2·16 weights + 16 biases
    assert hidden_1.lines.shape[0] == 1 and hidden_1.band.shape == (2, len(hidden_1.x))
    assert np.all(hidden_1.band[0] <= hidden_1.lines[0])
    assert np.all(hidden_1.lines[0] <= hidden_1.band[1])
    output = frame.gradients[2]  # 16 weights + 1 bias: more than MAX_LINES
    assert output.band is not None
    assert all(t.band is None for t in frame.parameters if t.key == ("output", "b"))
    assert len(frame.parameters[1].lines) <= MAX_LINES


def test_smoothing_is_a_view_setting():
    session = session_of()
    session.step(300)
    raw = session.frame()
    assert not np.array_equal(raw.error.smooth, raw.error.raw)
    session.set_smoothing(0.0)
    assert np.array_equal(session.frame().error.smooth, raw.error.raw)
    with pytest.raises(ValueError):
        session.set_smoothing(1.0)


@pytest.mark.parametrize("field, value", [
    ("smoothing", True), ("smoothing", "0.5"), ("show_deltas", 1), ("show_deltas", "yes"),
    ("grid_every", 2.5), ("speed", float("nan")),
])
def test_view_settings_name_the_field_that_is_wrong(field, value):
    with pytest.raises(ValueError, match=field):
        ViewSettings(**{field: value})


def test_magnitudes_are_safe_on_a_log_axis():
    shown = magnitudes([-2.0, 0.0, np.nan, np.inf, -np.inf, 1e-20])
    assert shown.tolist() == [2.0, LOG_FLOOR, LOG_FLOOR, 1e300, 1e300, LOG_FLOOR]


def test_chunks_are_sized_anew_for_a_slower_network():
    clock = FakeClock()
    session = TrainingSession(PRESETS["tutorial"], ViewSettings(speed=None), clock=clock)

    def costs(trainer, seconds_per_update):  # each update moves the fake clock
        step = trainer.step

        def timed(n):
            clock.now += n * seconds_per_update
            return step(n)

        trainer.step = timed

    costs(session.trainer, 1e-7)
    session.play()
    for _ in range(5):
        session.advance(0.02)  # chunks grow to ~200,000 updates of the fast network
    session.set_config(session.config.replace(hidden=(16, 16, 16, 16)))
    costs(session.trainer, 1e-4)  # a thousand times slower per update
    session.play()
    for _ in range(5):
        started = clock.now
        session.advance(0.02)
        assert clock.now - started < 0.1  # never a 20-second chunk: commands wait for it


def test_drawn_rows_stay_put_as_the_history_grows():
    before, after = display_rows(1500, 200), display_rows(1501, 200)
    assert len(before) <= 200 and len(after) <= 200
    assert before[0] == 0 and before[-1] == 1499 and after[-1] == 1500
    assert set(before[:-1]) <= set(after)  # only the last row moved


def test_the_error_is_smoothed_over_every_recorded_point():
    session = session_of()
    session.step(5000)  # more points recorded than drawn
    frame = session.frame()
    history = session.trainer.history
    recorded = history.error[:history.count]
    assert history.iterations[history.count - 1] == 5000  # the last point is the state's
    assert len(frame.error.x) < len(recorded)
    assert frame.error.smooth[-1] == pytest.approx(ewma(recorded, 0.6)[-1], rel=1e-12)


@pytest.mark.parametrize("bad", [dict(speed=float("inf")), dict(speed=0.0), dict(speed=True),
                                 dict(grid_every=0), dict(grid_every=2.5),
                                 dict(smoothing=1.0), dict(smoothing=-0.1)])
def test_view_settings_reject_what_the_pacing_cannot_use(bad):
    with pytest.raises(ValueError):
        ViewSettings(**bad)


def test_a_recording_gives_frames_of_exact_iterations_each_drawn_as_then():
    session = TrainingSession(PRESETS["tutorial"])
    session.step(200)
    session.start_recording()
    assert session.frame().recording.frames == 1
    session.step(1000)  # steps land on every capture point
    assert session.frame().recording.every == 4
    frames = session.stop_recording()
    assert [f.snapshot.iteration for f in frames] == list(range(200, 1201, 4))
    for frame in frames[::50]:
        iteration = frame.snapshot.iteration
        assert frame.decision.iteration == iteration and not frame.running
        assert frame.error.x[-1] == iteration and frame.error.raw[-1] == frame.snapshot.error
        assert frame.gradients[0].x[-1] == iteration
    # The same moment as a live frame would have shown it.
    replay = TrainingSession(PRESETS["tutorial"])
    replay.step(200 + 4 * 100)
    live = replay.frame()
    assert np.array_equal(live.decision.grid, frames[100].decision.grid)
    assert np.array_equal(live.error.raw[-1], frames[100].error.raw[-1])
    assert session.frame().recording is None


def test_a_new_network_ends_a_recording():
    session = TrainingSession(PRESETS["tutorial"])
    session.start_recording()
    session.step(10)
    session.reset()
    assert session.frame().recording is None
    with pytest.raises(ValueError, match="nothing is being recorded"):
        session.stop_recording()


def test_a_too_large_learning_rate_is_flagged_as_exploding_parameters():
    calm = session_of()
    calm.step(1_000)
    assert not calm.frame().exploding and calm.frame().largest_parameter < 10
    wild = session_of(PRESETS["tutorial"].replace(learning_rate=1e4))
    assert not wild.frame().exploding  # the start is the tutorial's
    wild.step(1)
    frame = wild.frame()
    assert frame.exploding and frame.largest_parameter > EXPLODING_PARAMETER
    assert frame.snapshot.status is Status.RUNNING  # a warning, not yet a divergence


@pytest.mark.filterwarnings("error")
def test_an_overflowing_network_draws_only_finite_numbers():
    # Finite θ and error, but towards (−1, −1) both ReLU units overflow to inf
    # and the output's input is inf − inf: NaN over part of the decision map.
    config = PRESETS["tutorial"].replace(activation="relu")
    layers = [(np.full((2, 2), -1e308), np.zeros((1, 2))),
              (np.array([[1.0], [-1.0]]), np.zeros((1, 1)))]
    session = session_of(config)
    with np.errstate(over="ignore", invalid="ignore"):  # making the weights' session
        session.restore(saved_from_weights(config, layers, ViewSettings()))
    frame = session.frame()
    decision = frame.decision
    assert np.isfinite(decision.grid).all() and 0.5 in decision.grid
    assert all(np.isfinite(part).all() for part in decision.contour)
    for trace in (*frame.gradients, *frame.parameters):
        assert np.isfinite(trace.lines).all()
    assert np.isfinite(frame.error.raw).all() and np.isfinite(frame.error.smooth).all()


def test_frames_say_how_long_play_has_trained_this_network():
    session = session_of(tick=0.001)
    session.play()
    for _ in range(5):
        session.advance(0.02)
    trained = session.frame().training_seconds
    assert trained > 0
    session.pause()
    session.advance(0.02)
    assert session.frame().training_seconds == trained  # paused: no time counts
    session.reset()
    assert session.frame().training_seconds == 0.0
