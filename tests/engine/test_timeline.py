"""The history scrubber's engine: any recorded moment drawn again, and a run branched
from it."""

import numpy as np
import pytest

from engine.config import PRESETS
from engine.layout import flatten
from engine.session import TrainingSession
from engine.trainer import Trainer

CONFIG = PRESETS["tutorial"]


def _session(updates: int = 3000) -> TrainingSession:
    session = TrainingSession(CONFIG, compiled=False)
    session.step(updates)
    return session


def test_a_scrubbed_frame_draws_the_recorded_moment_beside_the_whole_runs_curves():
    session = _session()
    live = session.frame()
    assert live.timeline.live and live.timeline.iteration == 3000
    history = session.trainer.history
    assert history.stride == 2  # 3,000 updates in 2,048 rows: halved once
    session.scrub(21)  # the latest recorded at or before it: row 10, iteration 20
    frame = session.frame()
    assert frame.timeline.shown == 10 and not frame.timeline.live
    assert frame.snapshot.iteration == history.iterations[10] == 20
    np.testing.assert_array_equal(flatten(frame.snapshot.layers), history.parameters[10])
    assert frame.snapshot.error == pytest.approx(history.error[10], rel=1e-12)
    assert frame.decision.iteration == frame.snapshot.iteration  # the map of that moment
    np.testing.assert_array_equal(frame.anatomy.predictions, frame.snapshot.predictions[:, 0])
    assert frame.error.x[-1] == 3000  # the curves still show the whole run
    assert session.iteration == 3000  # nothing trained or lost


def test_a_row_is_asked_for_by_its_iteration_so_a_halved_history_still_finds_it():
    """The scrubber sends the iteration of the row it showed: the history may have halved
    its rows (training on at full speed) before the session reads it."""
    session = TrainingSession(CONFIG, compiled=False)
    session.step(2000)
    timeline = session.frame().timeline
    asked = timeline.iteration_of(1500)
    assert asked == 1500 and timeline.iteration_of(timeline.rows - 1) == 2000
    session.step(1000)  # the history halves: row 1500 is now iteration 3000
    session.scrub(asked)
    assert session.frame().snapshot.iteration == 1500
    history = session.trainer.history
    np.testing.assert_array_equal(history.iterations[:history.count],
                                  np.arange(history.count) * history.stride)


def test_play_or_step_without_branching_returns_to_the_live_state():
    session = _session()
    session.scrub(10)
    session.play()
    assert session.frame().timeline.live
    session.scrub(10)
    session.step(1)
    frame = session.frame()
    assert frame.timeline.live and frame.snapshot.iteration == 3001
    session.scrub(None)
    assert session.frame().timeline.live


def test_a_branch_goes_on_as_a_fresh_run_from_the_recorded_parameters():
    session = _session()
    session.scrub(14)
    moment = session.frame().snapshot
    assert moment.iteration == 14
    session.branch()
    assert session.iteration == moment.iteration
    assert session.frame().timeline.live
    assert session.trainer.history.iterations[session.trainer.history.count - 1] == \
        moment.iteration  # the later moments are gone
    session.step(500)
    fresh = Trainer(CONFIG, layers=[(w, b) for w, b in moment.layers], compiled=False)
    fresh.step(500)
    for (w, b), (w_fresh, b_fresh) in zip(session.trainer.layers, fresh.layers):
        np.testing.assert_array_equal(w, w_fresh)
        np.testing.assert_array_equal(b, b_fresh)
    assert session.iteration == moment.iteration + 500


def test_scrub_refuses_what_is_not_a_row():
    session = _session(10)
    for bad in ("3", 2.5, True):
        with pytest.raises(ValueError, match="an iteration"):
            session.scrub(bad)
    session.scrub(-4)  # the first moment
    assert session.frame().snapshot.iteration == 0
