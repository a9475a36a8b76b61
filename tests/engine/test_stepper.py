"""Stepping one iteration sample by sample gives the trainer's pass and its update."""

import numpy as np
import pytest

from engine.anatomy import anatomy
from engine.config import PRESETS
from engine.stepper import Stepper
from engine.trainer import Trainer

#: The sums over the samples are taken in another order than the batch's matrix products.
TOLERANCE = dict(rtol=1e-12, atol=1e-12)

CONFIGS = {
    "tutorial (summed biases)": PRESETS["tutorial"],
    "per-neuron biases": PRESETS["tutorial"].replace(bias_update="per-neuron"),
    "deeper, summed": PRESETS["tutorial"].replace(hidden=(3, 2)),
    "deeper, per-neuron": PRESETS["tutorial"].replace(hidden=(3, 2), bias_update="per-neuron"),
    "tanh, deeper, summed": PRESETS["tanh"].replace(hidden=(3, 2), bias_update="summed"),
    "tanh, cross-entropy": PRESETS["tanh"].replace(loss="cross-entropy"),
    "relu, 4 hidden units": PRESETS["relu"],
}


def trained_state(config, iterations=30):
    """The parameters after a few updates: biases and deltas of every sign."""
    trainer = Trainer(config, compiled=False)
    trainer.step(iterations)
    return trainer.snapshot(with_history=False).layers


def step_through(stepper):
    """Forward and backward of every sample, interleaved as a lecturer might."""
    while stepper.can_forward or stepper.can_backward:
        stepper.forward() if stepper.can_forward else stepper.backward()
        if stepper.can_backward:
            stepper.backward()


@pytest.mark.parametrize("name", CONFIGS)
def test_a_stepped_iteration_is_the_trainers_iteration(name):
    config = CONFIGS[name]
    layers = trained_state(config)
    parts = anatomy(config, layers)
    stepper = Stepper(config, layers)
    step_through(stepper)
    state = stepper.state()
    for i, sample in enumerate(state.samples):
        for layer in range(len(layers)):
            np.testing.assert_allclose(sample.pre[layer], parts.pre[layer][i], **TOLERANCE)
            np.testing.assert_allclose(sample.post[layer], parts.post[layer][i], **TOLERANCE)
            np.testing.assert_allclose(sample.deltas[layer], parts.deltas[layer][i], **TOLERANCE)
        assert sample.loss == pytest.approx(parts.sample_loss[i], rel=1e-12)
    assert state.error == pytest.approx(parts.sample_loss.mean(), rel=1e-12)
    for (dw, db), (gw, gb) in zip(state.gradients, parts.gradients):
        np.testing.assert_allclose(dw, gw, **TOLERANCE)
        np.testing.assert_allclose(db, gb, **TOLERANCE)
    for (dw, db), (uw, ub) in zip(state.updates, parts.updates):
        np.testing.assert_allclose(dw, uw, **TOLERANCE)
        np.testing.assert_allclose(db, ub, **TOLERANCE)

    updated = stepper.apply()
    trainer = Trainer(config, layers, compiled=False)
    trainer.step(1)
    for (w, b), (w_next, b_next) in zip(updated, trainer.layers):
        np.testing.assert_allclose(w, w_next, **TOLERANCE)
        np.testing.assert_allclose(b, b_next, **TOLERANCE)


def test_summed_bias_updates_move_every_bias_of_a_layer_alike():
    config = PRESETS["tutorial"]
    stepper = Stepper(config, trained_state(config))
    step_through(stepper)
    for _, db in stepper.state().updates:
        assert np.all(db == db[0, 0])
    per_neuron = Stepper(config.replace(bias_update="per-neuron"), trained_state(config))
    step_through(per_neuron)
    hidden_db = per_neuron.state().updates[0][1]
    assert hidden_db[0, 0] != hidden_db[0, 1]


def test_each_step_shows_what_it_computed_and_what_can_come_next():
    config = PRESETS["tutorial"]
    stepper = Stepper(config, trained_state(config))
    state = stepper.state()
    assert (state.last, state.forwarded, state.backwarded, state.updates) == (None, 0, 0, None)
    assert (state.can_forward, state.can_backward, state.can_apply) == (True, False, False)
    assert state.error is None

    assert stepper.forward() == 0
    assert stepper.forward() == 1
    state = stepper.state()
    assert state.last == ("forward", 1)
    assert [s.forward_done for s in state.samples] == [True, True, False, False]
    assert not any(s.backward_done for s in state.samples)
    assert state.samples[2].post is None and state.samples[0].deltas is None
    assert (state.can_forward, state.can_backward, state.can_apply) == (True, True, False)
    assert all(not dw.any() and not db.any() for dw, db in state.gradients)

    assert stepper.backward() == 0
    state = stepper.state()
    assert state.last == ("backward", 0)
    assert state.samples[0].backward_done and not state.samples[1].backward_done
    # The batch gradient so far is the first sample's share: h_0ᵀ·δ for the output layer.
    h = state.samples[0].post[0]
    delta = state.samples[0].deltas[1]
    np.testing.assert_allclose(state.gradients[1][0], np.outer(h, delta), rtol=1e-15)
    assert state.updates is None

    step_through(stepper)
    state = stepper.state()
    assert state.last == ("backward", 3)
    assert (state.can_forward, state.can_backward, state.can_apply) == (False, False, True)
    stepper.apply()
    state = stepper.state()
    assert state.last == ("apply", None)
    assert (state.can_forward, state.can_backward, state.can_apply) == (False, False, False)


def test_steps_out_of_order_are_refused_saying_what_to_do_first():
    config = PRESETS["tutorial"]
    stepper = Stepper(config, trained_state(config))
    with pytest.raises(ValueError, match=r"x = \(0, 0\) has no forward pass yet: step forward"):
        stepper.backward()
    with pytest.raises(ValueError, match=r"all 4 samples \(4 to go\): step forward and backward"):
        stepper.apply()
    stepper.forward()
    stepper.backward()
    with pytest.raises(ValueError, match=r"x = \(0, 1\) has no forward pass yet"):
        stepper.backward()
    with pytest.raises(ValueError, match=r"\(3 to go\)"):
        stepper.apply()
    for _ in range(3):
        stepper.forward()
    with pytest.raises(ValueError, match="all 4 forward passes are done: step backward"):
        stepper.forward()
    step_through(stepper)
    with pytest.raises(ValueError, match="all 4 backward passes are done: apply the update"):
        stepper.backward()
    stepper.apply()
    with pytest.raises(ValueError, match="already applied"):
        stepper.apply()
    with pytest.raises(ValueError, match="already applied"):
        stepper.forward()


def test_the_inspection_is_a_read_only_copy_that_later_steps_leave_alone():
    config = PRESETS["tutorial"]
    layers = [(np.array(w), np.array(b)) for w, b in trained_state(config)]
    stepper = Stepper(config, layers)
    stepper.forward()
    stepper.backward()
    before = stepper.state()
    gradient = before.gradients[0][0].copy()
    layers[0][0][:] = 0.0  # the caller's arrays move on (a trainer's do)
    step_through(stepper)
    np.testing.assert_array_equal(before.gradients[0][0], gradient)
    assert before.last == ("backward", 0)
    with pytest.raises(ValueError, match="read-only"):
        before.samples[0].post[0][0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        stepper.state().gradients[0][0][0, 0] = 1.0
    np.testing.assert_allclose(stepper.state().samples[3].pre[0],
                               anatomy(config, trained_state(config)).pre[0][3], rtol=1e-12)


def test_a_network_that_does_not_fit_the_configuration_is_refused():
    config = PRESETS["tutorial"]
    with pytest.raises(ValueError, match="expected 3 layers"):
        Stepper(config.replace(hidden=(3, 2)), trained_state(config))
