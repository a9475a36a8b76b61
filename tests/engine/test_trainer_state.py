"""Trainer.state() and Trainer.restore(): a resumed run is bit for bit the uninterrupted one."""

from dataclasses import replace

import numpy as np
import pytest

from engine.config import PRESETS, TrainingConfig
from engine.history import HistoryState
from engine.trainer import Status, Trainer

TUTORIAL = PRESETS["tutorial"]


def stepped(trainer, chunks):
    for n in chunks:
        trainer.step(n)
    return trainer


# numpy takes ~150 µs an update: a tenth of the run, still past the history's first halving.
@pytest.mark.parametrize("compiled, total", [(None, 40_000), (False, 4_000)])
def test_a_restored_run_goes_on_bit_for_bit(compiled, total, assert_same_state):
    half = total // 2
    straight = stepped(Trainer(TUTORIAL, compiled=compiled), [total])
    first_half = stepped(Trainer(TUTORIAL, compiled=compiled), [7, half // 2, half - 7 - half // 2])
    resumed = Trainer.restore(TUTORIAL, first_half.state(), compiled=compiled)
    assert_same_state(resumed.state(), first_half.state())
    stepped(resumed, [1, half - 1])
    assert_same_state(resumed.state(), straight.state())
    assert resumed.history.stride > 1  # the history was halved on the way
    assert np.array_equal(resumed.predictions, straight.predictions)


def test_a_deep_network_resumes_bit_for_bit_across_history_halvings(assert_same_state):
    config = TrainingConfig(hidden=(3, 2), activation="tanh", init="xavier", seed=7)
    straight = Trainer(config, history_capacity=8)
    straight.step(101)
    half = Trainer(config, history_capacity=8)
    half.step(37)
    resumed = Trainer.restore(config, half.state())
    resumed.step(64)
    assert_same_state(resumed.state(), straight.state())


def test_the_state_is_a_read_only_copy():
    trainer = Trainer(TUTORIAL)
    state = trainer.state()
    trainer.step(10)
    assert state.iteration == 0 and state.history.count == 1
    with pytest.raises(ValueError):
        state.parameters[0] = 1.0
    assert not np.array_equal(state.parameters, trainer.state().parameters)


def test_restore_keeps_a_stopped_runs_status_and_a_raised_limit_lets_it_go_on():
    trainer = Trainer(TUTORIAL.replace(max_iterations=100))
    trainer.run()
    stopped = Trainer.restore(trainer.config, trainer.state())
    assert stopped.status is Status.MAX_ITERATIONS and stopped.step(5) == 0
    more = Trainer.restore(TUTORIAL.replace(max_iterations=150), trainer.state())
    assert more.status is Status.RUNNING and more.step(500) == 50


def test_reconfiguring_a_trainable_setting_keeps_the_compiled_evaluation():
    trainer = Trainer(TUTORIAL)
    trainer.step(1000)
    before = trainer.state()
    trainer.reconfigure(TUTORIAL.replace(learning_rate=0.5, max_iterations=10**6))
    after = trainer.state()
    assert np.array_equal(before.gradients, after.gradients) and before.error == after.error
    trainer.reconfigure(TUTORIAL.replace(gate="and"))  # new targets: evaluated anew
    assert trainer.error != before.error


@pytest.mark.parametrize("change, message", [
    (lambda s: replace(s, parameters=s.parameters[:-1]), r"parameters has shape \(8,\), "
                                                         r"expected \(9,\) for a 2-2-1"),
    (lambda s: replace(s, outputs=np.zeros(11)), r"outputs has shape \(11,\)"),
    (lambda s: replace(s, iteration=-1), "iteration must be a whole number >= 0"),
    (lambda s: replace(s, error=float("nan")), "non-finite"),
    (lambda s: replace(s, history=replace(s.history, stride=3)), "power of two"),
    (lambda s: replace(s, history=replace(s.history, count=0)), "history count"),
    (lambda s: replace(s, history=replace(s.history, capacity=5)), "even number"),
    (lambda s: replace(s, history=replace(s.history, deltas=s.history.deltas[:, :-1])),
     r"history deltas has shape \(\d+, 11\), expected \(\d+, 12\)"),
])
def test_restore_refuses_a_state_that_does_not_fit(change, message):
    trainer = Trainer(TUTORIAL)
    trainer.step(50)
    with pytest.raises(ValueError, match=message):
        Trainer.restore(TUTORIAL, change(trainer.state()))


def test_restore_refuses_another_networks_state():
    state = Trainer(TrainingConfig(hidden=(3,))).state()
    with pytest.raises(ValueError, match="expected"):
        Trainer.restore(TUTORIAL, state)


def test_history_state_round_trips():
    trainer = Trainer(TUTORIAL, history_capacity=4)
    trainer.step(9)
    state = trainer.history.state()
    assert isinstance(state, HistoryState)
    assert (state.count, state.stride, state.capacity) == (3, 4, 4)
    assert list(state.iterations) == [0, 4, 8]
