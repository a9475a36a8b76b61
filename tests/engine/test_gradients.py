"""The analytic gradients equal centred finite differences of the summed loss.

The differences are taken in extended precision (np.longdouble) so that their rounding
error stays far below the 1e-6 relative tolerance even for gradients of order 1e-5.
"""

import itertools

import numpy as np
import pytest

from engine.config import ACTIVATIONS, BIAS_UPDATES, LOSSES, TrainingConfig
from engine.network import forward, output_logit, per_sample_loss
from engine.trainer import Trainer

STEP = 1e-6


def summed_loss(layers, x, y, config):
    outputs = forward(layers, x, config.activation)
    logit = output_logit(layers, outputs)
    return per_sample_loss(y, outputs[-1], logit, config.loss).sum()


def numeric_gradient(trainer):
    """Centred differences (E(θ + h) − E(θ − h)) / 2h for every parameter."""
    layers = [(w.astype(np.longdouble), b.astype(np.longdouble)) for w, b in trainer.layers]
    x, y = trainer.x.astype(np.longdouble), trainer.y.astype(np.longdouble)
    result = []
    for w, b in layers:
        pair = []
        for array in (w, b):
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                kept = array[index]
                array[index] = kept + STEP
                up = summed_loss(layers, x, y, trainer.config)
                array[index] = kept - STEP
                down = summed_loss(layers, x, y, trainer.config)
                array[index] = kept
                grad[index] = (up - down) / (2 * STEP)
            pair.append(grad)
        result.append(pair)
    return result


CASES = list(itertools.product(ACTIVATIONS, LOSSES, [(3,), (3, 2), (2, 3, 2)], BIAS_UPDATES))


@pytest.mark.parametrize("activation, loss, hidden, bias_update", CASES)
def test_gradients_match_finite_differences(activation, loss, hidden, bias_update):
    # xavier starts relu units with zero biases, exactly on the kink for input (0, 0).
    init = "xavier" if activation == "tanh" else "uniform"
    config = TrainingConfig(activation=activation, loss=loss, hidden=hidden,
                            bias_update=bias_update, init=init, seed=7, learning_rate=0.1)
    trainer = Trainer(config)
    trainer.step(25)  # away from the initial point, where the two bias modes differ
    numeric = numeric_gradient(trainer)
    for (dw, db), (nw, nb) in zip(trainer.grads, numeric):
        for analytic, approx in ((dw, nw), (db, nb)):
            scale = np.maximum(np.abs(analytic) + np.abs(approx), 1e-7)
            assert np.max(np.abs(analytic - approx) / scale) < 1e-6


def test_summed_bias_update_moves_every_bias_by_all_the_layers_deltas():
    config = TrainingConfig(bias_update="summed", hidden=(3,), learning_rate=0.1)
    trainer = Trainer(config)
    before = [b.copy() for _, b in trainer.layers]
    deltas = [d.copy() for d in trainer.deltas]
    trainer.step(1)
    for b_old, (_, b_new), delta in zip(before, trainer.layers, deltas):
        np.testing.assert_allclose(b_new, b_old - 0.1 * delta.sum(), rtol=1e-14)


def test_per_neuron_bias_update_is_a_gradient_step():
    trainer = Trainer(TrainingConfig(hidden=(3,), learning_rate=0.1))
    before = [b.copy() for _, b in trainer.layers]
    grads = [db.copy() for _, db in trainer.grads]
    trainer.step(1)
    for b_old, (_, b_new), db in zip(before, trainer.layers, grads):
        np.testing.assert_allclose(b_new, b_old - 0.1 * db, rtol=1e-14)
