"""Stepper: one of the tutorial's iterations taken a sample at a time, for the inspector.

An iteration is: the forward pass of every sample and its error, the backward pass (the
deltas δ, summed into the gradients of the summed error E_sum), then one update of every
parameter, θ ← θ − α ∂E_sum/∂θ. The Stepper takes those steps one sample at a time, in the
samples' order: forward passes 0, 1, 2, 3, and each sample's backward pass after its
forward pass. The update is the batch's (the tutorial's full-batch gradient descent), so it
is refused until all four backward passes are in; a whole iteration in one go is the
trainer's step. Every step uses engine.network's formulas on one row, so the numbers are
the trainer's up to rounding (sums over the samples are taken one sample at a time).
"""

import functools
from dataclasses import dataclass

import numpy as np

from engine.arrays import frozen_copy
from engine.config import TrainingConfig
from engine.datasets import dataset
from engine.layout import NetworkLayout
from engine.network import (
    backward,
    bias_steps,
    forward,
    gradients,
    per_sample_loss,
    pre_activations,
)


def _overflow_expected(method):
    """``method`` without numpy's overflow warnings: a diverging state overflows (as the
    trainer's updates do; its numbers show inf or nan)."""
    @functools.wraps(method)
    def quiet(*args):
        with np.errstate(over="ignore", invalid="ignore"):
            return method(*args)
    return quiet


def _inputs(x) -> str:
    """A sample named by its inputs, as people read the truth table: "x = (0, 1)"."""
    return "x = (" + ", ".join(f"{value:g}" for value in x) + ")"


@dataclass(frozen=True)
class SampleSteps:
    """One training sample's part of the iteration so far; every array a read-only copy.

    ``x`` (2,) its inputs and ``y`` its target. After its forward pass, per layer
    l = 1…L: ``pre[l]`` (n_l,) a_l = h_{l−1}·w_l + b_l, ``post[l]`` (n_l,) h_l = f(a_l)
    (the last is ŷ = y_o = σ(a_o)) and ``loss``, its E = ½(y − ŷ)² (or cross-entropy).
    After its backward pass ``deltas[l]`` (n_l,) δ_l = ∂(its loss)/∂a_l. None until then.
    """

    x: np.ndarray
    y: float
    pre: tuple | None = None
    post: tuple | None = None
    loss: float | None = None
    deltas: tuple | None = None

    @property
    def forward_done(self) -> bool:
        return self.post is not None

    @property
    def backward_done(self) -> bool:
        return self.deltas is not None


@dataclass(frozen=True)
class Inspection:
    """Where a sample-by-sample iteration stands; every array a read-only copy.

    ``samples``: one SampleSteps per training sample, in the dataset's order.
    ``gradients[l]``: (∂E_sum/∂w_l, ∂E_sum/∂b_l) summed over the samples whose backward pass
    is done, ∂E/∂w_l = h_{l−1}ᵀ·δ_l and ∂E/∂b_l = Σ δ_l (zeros before the first).
    ``updates[l]``: (Δw_l, Δb_l) = −α × the step ``apply`` takes (biases per the
    configuration's ``bias_update``), once every backward pass is done; None before.
    ``last``: (level, sample index) of the last step, level "forward", "backward" or
    "apply" (the sample None); None before the first. ``can_*``: which step can be taken now.
    """

    samples: tuple
    gradients: tuple
    updates: tuple | None
    last: tuple | None
    can_forward: bool
    can_backward: bool
    can_apply: bool

    @property
    def forwarded(self) -> int:
        """How many samples' forward passes are done."""
        return sum(sample.forward_done for sample in self.samples)

    @property
    def backwarded(self) -> int:
        """How many samples' backward passes are done."""
        return sum(sample.backward_done for sample in self.samples)

    @property
    def error(self) -> float | None:
        """E, the mean of the samples' losses (the number the tutorial prints), once every
        forward pass is done; None before."""
        if self.forwarded < len(self.samples):
            return None
        return float(np.mean([sample.loss for sample in self.samples]))


class Stepper:
    """The iteration of the state (``config``, ``layers``) in sample-level steps.

    ``forward``, ``backward`` and ``apply`` raise ValueError, naming what to do first, when
    taken out of order (``can_forward``, ``can_backward``, ``can_apply`` say beforehand);
    ``state`` is where the iteration stands, as an Inspection.
    """

    def __init__(self, config: TrainingConfig, layers):
        NetworkLayout(config.layer_sizes).check(layers)
        self.config = config
        # Copies: the caller's arrays (a trainer's) move on with training.
        self.layers = [(np.array(w, dtype=np.float64), np.array(b, dtype=np.float64))
                       for w, b in layers]
        self.x, self.y = dataset(config.gate)  # (4, 2), (4, 1)
        n = len(self.x)
        self._outputs = [None] * n  # per sample after its forward pass: [x, h_1, …, ŷ], (1, n_l)
        self._deltas = [None] * n  # per sample after its backward pass: [δ_1, …, δ_L], (1, n_l)
        self._samples = [SampleSteps(frozen_copy(x), float(y[0])) for x, y in zip(self.x, self.y)]
        self._grads = [(np.zeros_like(w), np.zeros_like(b)) for w, b in self.layers]
        self._forwarded = self._backwarded = 0
        self._applied = False
        self._last = None
        self._state = None  # the Inspection of the last state() call, until the next step

    @property
    def can_forward(self) -> bool:
        return not self._applied and self._forwarded < len(self.x)

    @property
    def can_backward(self) -> bool:
        return not self._applied and self._backwarded < self._forwarded

    @property
    def can_apply(self) -> bool:
        return not self._applied and self._backwarded == len(self.x)

    @_overflow_expected
    def forward(self) -> int:
        """The next sample's forward pass, a_l = h_{l−1}·w_l + b_l, h_l = f(a_l) with
        ŷ = σ(a_L), and its loss; returns the sample's index."""
        if not self.can_forward:
            raise ValueError(self._refusal("forward"))
        i = self._forwarded
        config = self.config
        outputs = forward(self.layers, self.x[i:i + 1], config.activation)  # [x, h_1, …, ŷ]
        pre = pre_activations(self.layers, outputs)
        loss = per_sample_loss(self.y[i:i + 1], outputs[-1], pre[-1], config.loss)[0, 0]
        self._outputs[i] = outputs
        self._samples[i] = SampleSteps(
            self._samples[i].x, self._samples[i].y,
            pre=tuple(frozen_copy(a[0]) for a in pre),
            post=tuple(frozen_copy(h[0]) for h in outputs[1:]),
            loss=float(loss))
        self._forwarded += 1
        return self._stepped("forward", i)

    @_overflow_expected
    def backward(self) -> int:
        """The backward pass of the next sample whose forward pass is done: its deltas
        δ_L = ∂(loss)/∂a_L, δ_l = (δ_{l+1}·w_{l+1}ᵀ) ⊙ f'(h_l), and its share of the
        gradients, h_{l−1}ᵀ·δ_l and δ_l, added to the batch's; returns the sample's index."""
        if not self.can_backward:
            raise ValueError(self._refusal("backward"))
        i = self._backwarded
        config = self.config
        outputs = self._outputs[i]
        deltas = backward(self.layers, outputs, self.y[i:i + 1], config.activation, config.loss)
        for (dw, db), (dw_i, db_i) in zip(self._grads, gradients(outputs, deltas)):
            dw += dw_i
            db += db_i
        self._deltas[i] = deltas
        sample = self._samples[i]
        self._samples[i] = SampleSteps(sample.x, sample.y, sample.pre, sample.post,
                                       sample.loss, tuple(frozen_copy(d[0]) for d in deltas))
        self._backwarded += 1
        return self._stepped("backward", i)

    def apply(self) -> list:
        """The batch's update, θ ← θ − α ∂E_sum/∂θ: the new layers as (w, b) pairs. Only once,
        and only when every sample's backward pass is done."""
        if not self.can_apply:
            raise ValueError(self._refusal("apply"))
        updated = [(w + dw, b + db) for (w, b), (dw, db) in zip(self.layers, self._updates())]
        self._applied = True
        self._stepped("apply", None)
        return updated

    def _updates(self) -> list:
        """(Δw_l, Δb_l) = −α × (∂E_sum/∂w_l, the bias step of engine.network.bias_steps),
        which for "summed" needs every sample's deltas of the layer, (4, n_l)."""
        deltas = [np.concatenate(layer) for layer in zip(*self._deltas)]
        moves = bias_steps(self._grads, deltas, self.config.bias_update)
        alpha = self.config.learning_rate
        return [(-alpha * dw, -alpha * db) for (dw, _), db in zip(self._grads, moves)]

    def _stepped(self, level: str, sample: int | None):
        self._last = (level, sample)
        self._state = None
        return sample

    def _refusal(self, level: str) -> str:
        """Why a step at ``level`` cannot be taken now, and what to do first."""
        n = len(self.x)
        if self._applied:
            return ("this iteration's update is already applied: inspect the new state "
                    "from its first forward pass")
        if level == "forward":
            return (f"all {n} forward passes are done: step backward through the samples, "
                    "then apply the update")
        if level == "backward":
            if self._forwarded == n:
                return f"all {n} backward passes are done: apply the update"
            sample = _inputs(self.x[self._backwarded])
            return f"the sample {sample} has no forward pass yet: step forward first"
        missing = n - self._backwarded
        return (f"the update needs the backward pass of all {n} samples ({missing} to go): "
                "step forward and backward through them first")

    def state(self) -> Inspection:
        """Where the iteration stands now."""
        if self._state is None:
            self._state = Inspection(
                samples=tuple(self._samples),
                gradients=tuple((frozen_copy(dw), frozen_copy(db)) for dw, db in self._grads),
                updates=(tuple((frozen_copy(dw), frozen_copy(db)) for dw, db in self._updates())
                         if self._backwarded == len(self.x) else None),
                last=self._last,
                can_forward=self.can_forward,
                can_backward=self.can_backward,
                can_apply=self.can_apply,
            )
        return self._state
