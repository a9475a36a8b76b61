"""Gradient check: backprop's ∂E_sum/∂θ against centred finite differences of E_sum.

Backprop (engine.network) gives the gradient of the loss *summed* over the four samples,
E_sum = Σ_samples ½(y − ŷ)² for mse, which is what the update θ ← θ − α ∂E_sum/∂θ uses; the
plotted error is the mean, E = E_sum / 4. The check differentiates E_sum, so both sides are
the same quantity and no factor 4 hides in the comparison.
"""

from dataclasses import dataclass

import numpy as np

from engine.anatomy import anatomy
from engine.config import TrainingConfig
from engine.datasets import dataset
from engine.layout import NetworkLayout, flatten, parameter_names
from engine.network import forward, output_logit, per_sample_loss

#: The step h is this share of a parameter's size (this much for |θ| < 1). A centred
#: difference is off by ~h²·E'''/6 (truncation) plus ~ε·E_sum/h (rounding, ε = 2.2e-16);
#: they balance near h = 1e-5. Measured on the presets: 1e-5 keeps the tutorial's network
#: below 2e-8 at every stage; 1e-6 loses a digit to rounding (5e-8) and 1e-4 one to
#: truncation once it has converged (9e-7).
RELATIVE_STEP = 1e-5
#: The relative error below which backprop and the finite difference agree: a correct
#: backprop on the tutorial's network stays below 2e-8; a wrong formula (a missing factor,
#: a wrong transpose, the derivative of the wrong activation) is off by 1e-2 or more.
AGREEMENT = 1e-6
#: A bound on the rounding error of a computed E_sum, as a multiple of ε·max(1, E_sum): a
#: finite difference cannot see a disagreement smaller than this over 2h (measured: ≤ 1.3).
ROUNDING = 8 * np.finfo(np.float64).eps
#: The truncation error of the difference over h is estimated from a second one over 2h
#: (Richardson: ≈ |g_fd(2h) − g_fd(h)| / 3); a disagreement within this many times that
#: is the finite difference's, not backprop's (deep sigmoid networks on a plateau: a
#: gradient of 7e-6 differed by 4e-11, with 2h giving 1e-10 more).
TRUNCATION_SAFETY = 2.0
#: Keeps the relative error of a parameter whose two gradients are both exactly 0 (a dead
#: ReLU unit) at 0 instead of 0/0.
TINY = 1e-300


@dataclass(frozen=True)
class ParameterCheck:
    """One parameter θ_i: ``backprop`` g = ∂E_sum/∂θ_i, ``finite_difference``
    g_fd = (E_sum(θ + h·e_i) − E_sum(θ − h·e_i)) / 2h and their ``relative_error``
    |g − g_fd| / max(|g|, |g_fd|).

    ``limit`` says why a finite difference cannot check it to AGREEMENT: None (it can),
    "rounding" (|g − g_fd| is within the finite difference's own error: the rounding of
    E_sum over 2h, or its truncation, estimated from a second step; a vanishing gradient),
    "kink" (θ ± h switches a ReLU unit on or off: E_sum has no derivative) or "not finite"
    (a diverged state: its gradient or E_sum overflowed).
    """

    name: str
    backprop: float
    finite_difference: float
    relative_error: float
    limit: str | None = None

    @property
    def agrees(self) -> bool:
        return self.limit is not None or self.relative_error < AGREEMENT


@dataclass(frozen=True)
class GradientCheck:
    """Every parameter's check, in θ's order (engine.layout), and the E_sum they were taken at."""

    parameters: tuple[ParameterCheck, ...]
    error_sum: float

    @property
    def largest_relative_error(self) -> float:
        """The largest relative error of the parameters a finite difference can check."""
        return max((check.relative_error for check in self.parameters if check.limit is None),
                   default=0.0)

    @property
    def agrees(self) -> bool:
        return self.finite and all(check.agrees for check in self.parameters)

    @property
    def finite(self) -> bool:
        """Whether there was anything to check: not a state whose numbers overflowed."""
        return self.count("not finite") == 0

    def count(self, limit: str) -> int:
        """How many parameters have ``limit`` ("rounding" or "kink")."""
        return sum(check.limit == limit for check in self.parameters)


def summed_error(layers, x, y, activation: str, loss: str) -> float:
    """E_sum = Σ_samples per-sample loss: 4 × the plotted mean error E for the four samples."""
    outputs = forward(layers, x, activation)
    return float(per_sample_loss(y, outputs[-1], output_logit(layers, outputs), loss).sum())


def _active_units(layers, x, activation: str):
    """Which hidden units are on (a > 0) for each sample, where ReLU has its kink."""
    if activation != "relu":
        return None
    return np.concatenate([(h > 0).ravel() for h in forward(layers, x, activation)[1:-1]])


def check_gradients(config: TrainingConfig, layers, grads=None) -> GradientCheck:
    """Compare ``grads`` (per layer (∂E_sum/∂w, ∂E_sum/∂b); backprop's at ``layers`` when
    None) with the centred finite difference of E_sum for every parameter of ``layers``."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged state overflows
        return _check(config, layers, grads)


def _check(config: TrainingConfig, layers, grads) -> GradientCheck:
    layout = NetworkLayout(config.layer_sizes)
    layout.check(layers)
    x, y = dataset(config.gate)
    theta = flatten(layers)  # (P,)
    # backprop's own: the pass the trainer trains with (engine.anatomy)
    backprop = flatten(anatomy(config, layers).gradients if grads is None else grads)
    error_sum = summed_error(layers, x, y, config.activation, config.loss)
    rounding = ROUNDING * max(1.0, error_sum)

    checks = []
    for index, name in enumerate(parameter_names(config.layer_sizes)):
        h = RELATIVE_STEP * max(1.0, abs(theta[index]))
        finite, step, (up_layers, down_layers) = _difference(layout, theta, index, h, x, y,
                                                             config)
        coarse, _, kinks = _difference(layout, theta, index, 2 * h, x, y, config)
        g = float(backprop[index])
        difference = abs(g - finite)
        relative = difference / max(abs(g), abs(finite), TINY)
        own_error = max(rounding / step, TRUNCATION_SAFETY * abs(coarse - finite) / 3)
        limit = None
        if not (np.isfinite(g) and np.isfinite(finite)):
            limit, relative = "not finite", float("nan")
        elif any(not np.array_equal(_active_units(a, x, config.activation),
                                    _active_units(b, x, config.activation))
                 for a, b in ((up_layers, down_layers), kinks)):
            limit = "kink"
        elif relative >= AGREEMENT and difference <= own_error:
            limit = "rounding"
        checks.append(ParameterCheck(name, g, float(finite), float(relative), limit))
    return GradientCheck(tuple(checks), error_sum)


def _difference(layout, theta, index: int, h: float, x, y, config: TrainingConfig):
    """(E_sum(θ + h·e_i) − E_sum(θ − h·e_i)) / 2h, the step 2h as taken, and the two
    networks (θ ± h·e_i) it was taken at."""
    up, down = theta.copy(), theta.copy()
    up[index] += h
    down[index] -= h
    up_layers, down_layers = layout.unflatten(up), layout.unflatten(down)
    # Divided by the step θ actually took: θ ± h rounds to the nearest double.
    step = up[index] - down[index]
    difference = (summed_error(up_layers, x, y, config.activation, config.loss)
                  - summed_error(down_layers, x, y, config.activation, config.loss))
    return difference / step, step, (up_layers, down_layers)
