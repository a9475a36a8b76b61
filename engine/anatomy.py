"""Anatomy: the tutorial's forward and backward pass of one state, sample by sample.

What the teaching views show (the truth table, the network diagram, the hidden space and
the backprop inspector): for each of the four training samples the pre-activations a and
activations h of every layer, its loss and its deltas δ; for the batch the gradients of
the summed loss and the update the next step applies. Computed by the engine's own
formulas (engine.network), so the numbers shown are the numbers trained with.
"""

from dataclasses import dataclass

import numpy as np

from engine.arrays import frozen_copy
from engine.config import TrainingConfig
from engine.datasets import dataset
from engine.network import (
    backward,
    bias_steps,
    forward,
    gradients,
    output_logit,
    per_sample_loss,
    pre_activations,
)


@dataclass(frozen=True)
class Anatomy:
    """One state's pass, input side first, every array a read-only copy.

    ``x`` (4, 2) the inputs and ``y`` (4, 1) the targets; per layer l = 1…L:
    ``pre[l]`` (4, n_l) a_l = h_{l−1}·w_l + b_l, ``post[l]`` (4, n_l) h_l = f(a_l) (the
    last is ŷ), ``deltas[l]`` (4, n_l) δ_l = ∂(per-sample loss)/∂a_l;
    ``sample_loss`` (4,) each sample's loss (the mean is the error E);
    ``gradients[l]`` (∂E_sum/∂w_l, ∂E_sum/∂b_l), E_sum the loss summed over the samples;
    ``updates[l]`` (Δw_l, Δb_l) = −α × the step the next update takes (biases as
    ``bias_update`` says).
    """

    x: np.ndarray
    y: np.ndarray
    pre: tuple
    post: tuple
    sample_loss: np.ndarray
    deltas: tuple
    gradients: tuple
    updates: tuple

    @property
    def predictions(self) -> np.ndarray:
        """ŷ (4,): the tutorial's printed column."""
        return self.post[-1][:, 0]

    @property
    def correct(self) -> np.ndarray:
        """(4,) bool: ŷ on the target's side of 0.5."""
        return (self.predictions >= 0.5) == (self.y[:, 0] >= 0.5)


def anatomy(config: TrainingConfig, layers) -> Anatomy:
    """The forward and backward pass of ``layers`` (a list of (w, b)) on ``config.gate``."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging state overflows
        return _anatomy(config, layers)


def _anatomy(config: TrainingConfig, layers) -> Anatomy:
    x, y = dataset(config.gate)
    outputs = forward(layers, x, config.activation)  # [x, h_1, …, ŷ]
    pre = pre_activations(layers, outputs)
    logit = output_logit(layers, outputs)
    loss = per_sample_loss(y, outputs[-1], logit, config.loss)[:, 0]
    deltas = backward(layers, outputs, y, config.activation, config.loss)
    grads = gradients(outputs, deltas)
    alpha = config.learning_rate
    moves = bias_steps(grads, deltas, config.bias_update)
    updates = [(-alpha * dw, -alpha * db) for (dw, _), db in zip(grads, moves)]
    return Anatomy(
        x=frozen_copy(x), y=frozen_copy(y),
        pre=tuple(frozen_copy(a) for a in pre),
        post=tuple(frozen_copy(h) for h in outputs[1:]),
        sample_loss=frozen_copy(loss),
        deltas=tuple(frozen_copy(d) for d in deltas),
        gradients=tuple((frozen_copy(dw), frozen_copy(db)) for dw, db in grads),
        updates=tuple((frozen_copy(dw), frozen_copy(db)) for dw, db in updates),
    )
