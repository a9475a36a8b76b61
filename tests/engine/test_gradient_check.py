"""The gradient check confirms backprop on the tutorial's network and catches a wrong one."""

import warnings

import pytest

from engine.config import PRESETS
from engine.gradient_check import AGREEMENT, check_gradients
from engine.session import TrainingSession
from engine.trainer import Trainer

TUTORIAL = PRESETS["tutorial"]
NAMES = ["w_hidden[0,0]", "w_hidden[0,1]", "w_hidden[1,0]", "w_hidden[1,1]", "b_hidden[0]",
         "b_hidden[1]", "w_output[0,0]", "w_output[1,0]", "b_output[0]"]


def snapshot_after(config, updates: int):
    session = TrainingSession(config)
    if updates:
        session.step(updates)
    return session.frame().snapshot


@pytest.mark.parametrize("updates", [0, 1000, 50_000])
def test_backprop_agrees_with_finite_differences_on_the_tutorials_network(updates):
    snapshot = snapshot_after(TUTORIAL, updates)
    result = check_gradients(snapshot.config, snapshot.layers, snapshot.gradients)
    assert [check.name for check in result.parameters] == NAMES
    assert result.largest_relative_error < AGREEMENT
    assert result.agrees
    assert all(check.limit is None for check in result.parameters)


def test_it_differentiates_the_summed_error_not_the_plotted_mean():
    snapshot = snapshot_after(TUTORIAL, 10)
    result = check_gradients(snapshot.config, snapshot.layers)
    assert result.error_sum == pytest.approx(4 * snapshot.error)
    # The snapshot's gradients are backprop's, and of the sum: a quarter of them disagrees.
    quartered = [(dw / 4, db / 4) for dw, db in snapshot.gradients]
    assert not check_gradients(snapshot.config, snapshot.layers, quartered).agrees


def test_a_wrong_gradient_of_one_parameter_is_named():
    snapshot = snapshot_after(TUTORIAL, 100)
    wrong = [(dw.copy(), db.copy()) for dw, db in snapshot.gradients]
    wrong[0][0][1, 0] *= 1.001  # w_hidden[1,0] off by 0.1 %
    result = check_gradients(snapshot.config, snapshot.layers, wrong)
    assert not result.agrees
    failed = [check.name for check in result.parameters if not check.agrees]
    assert failed == ["w_hidden[1,0]"]
    assert result.largest_relative_error == pytest.approx(1e-3, rel=1e-3)


def test_deeper_networks_are_checked_and_numbered_from_the_input_side():
    snapshot = snapshot_after(PRESETS["deep4-sigmoid"], 200)
    result = check_gradients(snapshot.config, snapshot.layers, snapshot.gradients)
    names = [check.name for check in result.parameters]
    assert names[0] == "w_hidden1[0,0]" and names[-1] == "b_output[0]"
    assert {"w_hidden4[3,3]", "b_hidden2[1]"} <= set(names)
    assert result.agrees


def test_a_relu_kink_is_reported_not_called_a_disagreement():
    # Xavier's zero biases put every unit exactly at its kink for the input (0, 0): there a
    # finite difference sees half a slope, backprop (relu'(0) = 0) none.
    snapshot = snapshot_after(PRESETS["deep3-relu"], 0)
    result = check_gradients(snapshot.config, snapshot.layers, snapshot.gradients)
    kinks = {check.name: check for check in result.parameters if check.limit == "kink"}
    assert "b_hidden1[0]" in kinks and kinks["b_hidden1[0]"].relative_error > 0.1
    assert result.count("kink") == len(kinks) < len(result.parameters)
    assert result.agrees and result.largest_relative_error < AGREEMENT


def test_a_vanishing_gradient_on_a_plateau_is_not_called_a_disagreement():
    """deep4-sigmoid near 26,000 updates: b_output's gradient is ~7e-6 and the difference
    over h is off by ~4e-11 (relative 6e-6) from its own truncation, which a second step
    over 2h shows; it said "backprop disagrees" there."""
    trainer = Trainer(PRESETS["deep4-sigmoid"], compiled=False)
    trainer.step(25_900)
    for _ in range(3):
        result = check_gradients(trainer.config, trainer.layers)
        assert result.agrees, [(c.name, c.relative_error) for c in result.parameters
                               if not c.agrees]
        trainer.step(100)


def test_a_diverged_state_is_said_to_have_nothing_to_check(overflowing_relu):
    config, layers = overflowing_relu
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check_gradients(config, layers)
    assert not result.finite and not result.agrees
    assert result.count("not finite") > 0
