"""The compiled twin of ``engine.network`` and ``Trainer.step``: chunks of updates in numba.

``train_chunk`` runs up to n updates of one network, with history, for every configuration;
``train_batch`` runs many networks of one shape (``engine.batched``).
It picks one of two compiled loops, both cached on disk: one for a single hidden layer (every
preset, the tutorial's 2-2-1 included) and one for any depth. They share the update, the
stopping rule and the history code; only the forward/backward pass differs, because the
one-layer pass keeps each hidden unit's four samples in registers from its activation to its
gradients, and that is what makes it about 1.5× faster than the general pass.
A network is flat rows in ``engine.layout`` order; its shape and rules come from its
``TrainingConfig`` (the loops take the layout's ``Offsets`` and ``Rules``: integer codes for
activation, loss and bias mode). The caller passes its cached gradients and deltas, exactly as
the numpy loop starts from ``Trainer.grads``.

Each formula mirrors its numpy reference, in numpy's floating-point order where that is known
(sums of fewer than 8 terms sequential, longer ones numpy's 8-way pairwise sum): ``forward``
(a = h·w + b, sigmoid 1/(1 + e^(−a)), tanh, relu), ``per_sample_loss`` (½(y − ŷ)², softplus(a)
− y·a with numpy's logaddexp branches), ``mean_error``, ``output_delta``, ``backward``,
``gradients``, ``bias_steps``, the finiteness test of ``Trainer.step`` and ``History.record``.
The inputs are ``engine.datasets.INPUTS`` (0 and 1) for every gate, so the first layer's
products by them are folded: 0·w + 1·w' + b is computed as w' + b, which is the same number.
numpy's matrix products go through BLAS, which may fuse multiply-adds, so the two paths agree
to ~1e-14 relative rather than bit for bit. e^x is ``engine.kernel_exp.exp``, glibc's exp
emitted inline (libm's own calls were 43 % of an update).

Importing this module imports numba (≈0.25 s) and the first call compiles (seconds) or loads
the cache; ``engine.trainer`` imports it lazily, on the first step, in the worker.
"""

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from engine.compiled import use_cache_folder
from engine.datasets import dataset
from engine.history import HistoryBuffers
from engine.kernel_exp import exp
from engine.layout import N_SAMPLES, NetworkLayout

use_cache_folder()  # numba reads its cache folder once, when it is imported
from numba import njit  # noqa: E402

ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2}
LOSS_CODES = {"mse": 0, "cross-entropy": 1}
BIAS_CODES = {"per-neuron": 0, "summed": 1}

#: Status codes, in the order of ``engine.trainer.Status``.
RUNNING, CONVERGED, MAX_ITERATIONS, DIVERGED = 0, 1, 2, 3

_LOG2 = math.log(2.0)
_JIT = {"nogil": True, "cache": True, "fastmath": False, "error_model": "numpy"}
# Helpers are inlined into the loops (numba IR level): an out-of-line call costs ~20 ns per
# array argument.
_INLINE = dict(_JIT, inline="always")
# The loops themselves run without numba's reference counting (``_nrt=False``): they allocate
# nothing, and the atomic increments and decrements it puts around inlined helpers that take
# arrays cost ~40% of an update (0.19 → 0.11 µs for the tutorial). numba refuses to compile
# anything in them that would need it.
_NO_REFCOUNT = dict(_JIT, _nrt=False)


class Network(NamedTuple):
    """One network's rows, updated in place (in ``train_batch`` one row per network)."""

    params: np.ndarray  # (P,) θ
    grads: np.ndarray  # (P,) ∂E/∂θ at θ
    deltas: np.ndarray  # (D,) the per-sample deltas at θ
    outputs: np.ndarray  # (4·Σ n,) scratch: every layer's (4, n), the inputs' place first


class Rules(NamedTuple):
    """A run's rules in the loops' terms, from its ``TrainingConfig``."""

    y: np.ndarray  # (4,) the targets
    activation: int  # ACTIVATION_CODES
    loss: int  # LOSS_CODES
    bias_mode: int  # BIAS_CODES
    alpha: float  # the learning rate α
    target_error: float
    max_iterations: int


@njit(**_INLINE)
def _sum(values, start, n):
    """numpy's float sum of values[start:start + n]: sequential below 8 terms, else pairwise."""
    if n < 8:
        total = 0.0
        for k in range(n):
            total += values[start + k]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    k = 8
    while k + 8 <= n:
        base = start + k
        r0 += values[base]
        r1 += values[base + 1]
        r2 += values[base + 2]
        r3 += values[base + 3]
        r4 += values[base + 4]
        r5 += values[base + 5]
        r6 += values[base + 6]
        r7 += values[base + 7]
        k += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while k < n:
        total += values[start + k]
        k += 1
    return total


@njit(**_INLINE)
def _softplus(a):
    """numpy's logaddexp(0, a), branch for branch."""
    if a == 0.0:
        return _LOG2
    tmp = -a
    if tmp > 0.0:
        return math.log1p(exp(a))
    if tmp <= 0.0:
        return a + math.log1p(exp(tmp))
    return tmp  # nan


@njit(**_INLINE)
def _sigmoid(a):
    return 1.0 / (1.0 + exp(-a))


@njit(**_INLINE)
def _activate(a, activation):
    """Hidden activation h = f(a): sigmoid 1/(1 + e^(−a)), tanh, relu max(a, 0)."""
    if activation == 0:
        return _sigmoid(a)
    if activation == 1:
        return math.tanh(a)
    return a if (a >= 0.0 or a != a) else 0.0


@njit(**_INLINE)
def _slope(h, activation):
    """f'(a) from the output h: h(1 − h), 1 − h², [h > 0]."""
    if activation == 0:
        return h * (1.0 - h)
    if activation == 1:
        return 1.0 - h * h
    return 1.0 if h > 0.0 else 0.0


@njit(**_INLINE)
def _loss(a, y_pred, y, loss):
    """One sample's loss from the output logit a and ŷ = σ(a)."""
    if loss == 0:
        diff = y - y_pred
        return 0.5 * (diff * diff)
    return _softplus(a) - y * a


@njit(**_INLINE)
def _output_delta(y_pred, y, loss):
    """∂(sample loss)/∂a at the output: (ŷ − y)·ŷ(1 − ŷ) for MSE, ŷ − y for cross-entropy."""
    if loss == 0:
        return (y_pred - y) * (y_pred * (1.0 - y_pred))
    return y_pred - y


@njit(**_INLINE)
def _output_unit(a0, a1, a2, a3, rules, outputs, y_at, deltas, d_at):
    """ŷ = σ(a) and the output deltas for the four samples; returns the mean error."""
    y, loss = rules.y, rules.loss
    y0, y1, y2, y3 = _sigmoid(a0), _sigmoid(a1), _sigmoid(a2), _sigmoid(a3)
    outputs[y_at] = y0
    outputs[y_at + 1] = y1
    outputs[y_at + 2] = y2
    outputs[y_at + 3] = y3
    deltas[d_at] = _output_delta(y0, y[0], loss)
    deltas[d_at + 1] = _output_delta(y1, y[1], loss)
    deltas[d_at + 2] = _output_delta(y2, y[2], loss)
    deltas[d_at + 3] = _output_delta(y3, y[3], loss)
    total = (_loss(a0, y0, y[0], loss) + _loss(a1, y1, y[1], loss)) + _loss(a2, y2, y[2], loss)
    return (total + _loss(a3, y3, y[3], loss)) / N_SAMPLES


@njit(**_INLINE)
def evaluate_shallow(network, shape, rules):
    """``evaluate`` for one hidden layer of H units: parameters [w (2, H), b (H), v (H), c]."""
    params, grads, deltas, outputs = network
    n_hidden, h_at, activation = shape.sizes[1], shape.output_at[1], rules.activation
    v_at = 3 * n_hidden
    c = params[v_at + n_hidden]
    a0, a1, a2, a3 = c, c, c, c
    for j in range(n_hidden):
        w0, w1, b = params[j], params[n_hidden + j], params[2 * n_hidden + j]
        v = params[v_at + j]
        h0 = _activate(b, activation)
        h1 = _activate(w1 + b, activation)
        h2 = _activate(w0 + b, activation)
        h3 = _activate((w0 + w1) + b, activation)
        outputs[h_at + j] = h0
        outputs[h_at + n_hidden + j] = h1
        outputs[h_at + 2 * n_hidden + j] = h2
        outputs[h_at + 3 * n_hidden + j] = h3
        # the output logit a = c + Σ_j h_j·v_j, as (h·v) + c in BLAS's order below
        a0 += h0 * v
        a1 += h1 * v
        a2 += h2 * v
        a3 += h3 * v
    e_at = shape.delta_at[1]
    error = _output_unit(a0, a1, a2, a3, rules, outputs, shape.output_at[2], deltas, e_at)
    e0, e1, e2, e3 = deltas[e_at], deltas[e_at + 1], deltas[e_at + 2], deltas[e_at + 3]
    for j in range(n_hidden):
        v = params[v_at + j]
        h0 = outputs[h_at + j]
        h1 = outputs[h_at + n_hidden + j]
        h2 = outputs[h_at + 2 * n_hidden + j]
        h3 = outputs[h_at + 3 * n_hidden + j]
        d0 = (e0 * v) * _slope(h0, activation)
        d1 = (e1 * v) * _slope(h1, activation)
        d2 = (e2 * v) * _slope(h2, activation)
        d3 = (e3 * v) * _slope(h3, activation)
        deltas[j] = d0
        deltas[n_hidden + j] = d1
        deltas[2 * n_hidden + j] = d2
        deltas[3 * n_hidden + j] = d3
        grads[j] = d2 + d3  # xᵀ·δ with x₀ = (0, 0, 1, 1)
        grads[n_hidden + j] = d1 + d3  # x₁ = (0, 1, 0, 1)
        grads[2 * n_hidden + j] = ((d0 + d1) + d2) + d3
        grads[v_at + j] = ((h0 * e0 + h1 * e1) + h2 * e2) + h3 * e3
    grads[v_at + n_hidden] = ((e0 + e1) + e2) + e3
    return error


@njit(**_INLINE)
def _dot4(values, at, n, params, w_at, w_step):
    """Σ_k values[at + s·n + k] · params[w_at + k·w_step], k = 0 … n − 1, for the four samples
    s (rows of n values), each summed in k order: a layer's h·w or δ·wᵀ for one unit."""
    w = params[w_at]
    a0 = values[at] * w
    a1 = values[at + n] * w
    a2 = values[at + 2 * n] * w
    a3 = values[at + 3 * n] * w
    for k in range(1, n):
        w = params[w_at + k * w_step]
        a0 += values[at + k] * w
        a1 += values[at + n + k] * w
        a2 += values[at + 2 * n + k] * w
        a3 += values[at + 3 * n + k] * w
    return a0, a1, a2, a3


@njit(**_INLINE)
def evaluate(network, shape, rules):
    """Forward pass, mean error, deltas and gradients for ``network.params``; returns the error.

    Writes the network's ``outputs`` (every layer's (4, n) after the inputs), ``deltas`` and
    ``grads`` (``engine.layout`` order). Any number of layers.
    """
    params, grads, deltas, outputs = network
    sizes, param_at, output_at, delta_at = shape
    activation = rules.activation
    n_layers = sizes.shape[0] - 1
    error = np.nan  # set at the output unit
    # forward: a = h_prev · w + b; h = f(a). The four samples are four scalar accumulators.
    n_out, out_at = sizes[1], output_at[1]
    for j in range(n_out):
        w0, w1, b = params[j], params[n_out + j], params[2 * n_out + j]
        outputs[out_at + j] = _activate(b, activation)
        outputs[out_at + n_out + j] = _activate(w1 + b, activation)
        outputs[out_at + 2 * n_out + j] = _activate(w0 + b, activation)
        outputs[out_at + 3 * n_out + j] = _activate((w0 + w1) + b, activation)
    for layer in range(1, n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        h_at, out_at = output_at[layer], output_at[layer + 1]
        for j in range(n_out):
            a0, a1, a2, a3 = _dot4(outputs, h_at, n_in, params, w_at + j, n_out)
            b = params[b_at + j]
            if layer == n_layers - 1:
                error = _output_unit(a0 + b, a1 + b, a2 + b, a3 + b, rules, outputs, out_at,
                                     deltas, delta_at[layer])
            else:
                outputs[out_at + j] = _activate(a0 + b, activation)
                outputs[out_at + n_out + j] = _activate(a1 + b, activation)
                outputs[out_at + 2 * n_out + j] = _activate(a2 + b, activation)
                outputs[out_at + 3 * n_out + j] = _activate(a3 + b, activation)
    # hidden deltas: δ_l = (δ_{l+1} · w_{l+1}ᵀ) ⊙ f'(h_l)
    for layer in range(n_layers - 2, -1, -1):
        n_here, n_next = sizes[layer + 1], sizes[layer + 2]
        w_next = param_at[layer + 1]
        d_here, d_next = delta_at[layer], delta_at[layer + 1]
        h_at = output_at[layer + 1]
        for i in range(n_here):
            c0, c1, c2, c3 = _dot4(deltas, d_next, n_next, params, w_next + i * n_next, 1)
            at = h_at + i
            deltas[d_here + i] = c0 * _slope(outputs[at], activation)
            deltas[d_here + n_here + i] = c1 * _slope(outputs[at + n_here], activation)
            deltas[d_here + 2 * n_here + i] = c2 * _slope(outputs[at + 2 * n_here], activation)
            deltas[d_here + 3 * n_here + i] = c3 * _slope(outputs[at + 3 * n_here], activation)
    # gradients of the summed loss: ∂E/∂w = h_prevᵀ · δ, ∂E/∂b = Σ_samples δ
    for layer in range(n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        h_at, d_at = output_at[layer], delta_at[layer]
        for j in range(n_out):
            d0 = deltas[d_at + j]
            d1 = deltas[d_at + n_out + j]
            d2 = deltas[d_at + 2 * n_out + j]
            d3 = deltas[d_at + 3 * n_out + j]
            if layer == 0:
                grads[j] = d2 + d3
                grads[n_out + j] = d1 + d3
            else:
                for i in range(n_in):
                    at = h_at + i
                    grads[w_at + i * n_out + j] = (
                        ((outputs[at] * d0 + outputs[at + n_in] * d1)
                         + outputs[at + 2 * n_in] * d2) + outputs[at + 3 * n_in] * d3)
            grads[b_at + j] = ((d0 + d1) + d2) + d3
    return error


@njit(**_INLINE)
def _descend(network, previous, shape, rules):
    """θ ← θ − α·step in place (weights by their gradient, biases per ``bias_steps``), the
    old θ kept in ``previous``. Returns 0 if every new θ is finite, else nan."""
    params, grads, deltas, _ = network
    sizes, param_at, _, delta_at = shape
    probe = 0.0  # Σ (θ − θ): 0 for finite θ, nan as soon as one is ±inf or nan
    for layer in range(sizes.shape[0] - 1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        weights_end = b_at + n_out
        if rules.bias_mode == 1:
            weights_end = b_at
            move = rules.alpha * _sum(deltas, delta_at[layer], N_SAMPLES * n_out)
            for k in range(b_at, b_at + n_out):
                old = params[k]
                previous[k] = old
                new = old - move
                params[k] = new
                probe += new - new
        for k in range(w_at, weights_end):
            old = params[k]
            previous[k] = old
            new = old - rules.alpha * grads[k]
            params[k] = new
            probe += new - new
    return probe


@njit(**_INLINE)
def _copy_row(source, row, target, to_row):
    for k in range(source.shape[1]):
        target[to_row, k] = source[row, k]


@njit(**_INLINE)
def _set_row(target, row, values):
    for k in range(values.shape[0]):
        target[row, k] = values[k]


@njit(**_NO_REFCOUNT)
def _record(history, iteration, error, network):
    """``History.record``: state = [count, stride]; halve and double the stride when full."""
    iterations, errors, gradients, parameters, deltas, state = history
    capacity = iterations.shape[0]
    if state[0] == capacity:
        half = capacity // 2
        for k in range(half):
            iterations[k] = iterations[2 * k]
            errors[k] = errors[2 * k]
            _copy_row(gradients, 2 * k, gradients, k)
            _copy_row(parameters, 2 * k, parameters, k)
            _copy_row(deltas, 2 * k, deltas, k)
        state[0] = half
        state[1] *= 2
        if iteration % state[1] != 0:
            return
    row = state[0]
    iterations[row] = iteration
    errors[row] = error
    _set_row(gradients, row, network.grads)
    _set_row(parameters, row, network.params)
    _set_row(deltas, row, network.deltas)
    state[0] = row + 1


@njit(**_INLINE)
def _run(network, shape, rules, history, iteration, n, previous, shallow):
    """The update loop of ``train_chunk``; ``shallow`` is a constant at each call site, so
    each compiled loop keeps only its own forward/backward pass."""
    params, state = network.params, history.state
    error = np.nan
    status = RUNNING
    done = 0
    next_record = (iteration // state[1] + 1) * state[1]  # next multiple of the stride
    while done < n:
        probe = _descend(network, previous, shape, rules)
        if shallow:
            trial_error = evaluate_shallow(network, shape, rules)
        else:
            trial_error = evaluate(network, shape, rules)
        if not (probe == 0.0 and math.isfinite(trial_error)):
            for k in range(params.shape[0]):
                params[k] = previous[k]
            status = DIVERGED
            break
        error = trial_error
        iteration += 1
        done += 1
        if iteration == next_record:
            _record(history, iteration, error, network)
            next_record = (iteration // state[1] + 1) * state[1]
        if error < rules.target_error:
            status = CONVERGED
            break
        if iteration >= rules.max_iterations:
            status = MAX_ITERATIONS
            break
    return done, status, error


@njit(**_INLINE)
def _run_batch(networks, shape, rules, history, n, iterations, statuses, errors, first,
               stride, previous, shallow):
    """``train_batch``'s loop: ``_run`` on rows first, first + stride, … that still run."""
    params, grads, deltas, outputs = networks
    for b in range(first, params.shape[0], stride):
        if statuses[b] != RUNNING:
            continue
        done, status, error = _run(Network(params[b], grads[b], deltas[b], outputs), shape,
                                   rules, history, iterations[b], n, previous, shallow)
        iterations[b] += done
        statuses[b] = status
        if done:
            errors[b] = error


# One compiled function per pass and job, each cached on its own (closures are not cached).
@njit(**_NO_REFCOUNT)
def _train_shallow(network, shape, rules, history, iteration, n, previous):
    return _run(network, shape, rules, history, iteration, n, previous, True)


@njit(**_NO_REFCOUNT)
def _train_any_depth(network, shape, rules, history, iteration, n, previous):
    return _run(network, shape, rules, history, iteration, n, previous, False)


@njit(**_NO_REFCOUNT)
def _batch_shallow(networks, shape, rules, history, n, iterations, statuses, errors, first,
                   stride, previous):
    _run_batch(networks, shape, rules, history, n, iterations, statuses, errors, first,
               stride, previous, True)


@njit(**_NO_REFCOUNT)
def _batch_any_depth(networks, shape, rules, history, n, iterations, statuses, errors, first,
                     stride, previous):
    _run_batch(networks, shape, rules, history, n, iterations, statuses, errors, first,
               stride, previous, False)


@lru_cache(maxsize=16)
def _compiled_form(config):
    """What the loops take from a ``TrainingConfig``: its layout and its ``Rules`` (made once
    per config: a slow-motion run calls the kernel for every single update)."""
    rules = Rules(np.ascontiguousarray(dataset(config.gate)[1], dtype=np.float64).ravel(),
                  ACTIVATION_CODES[config.activation], LOSS_CODES[config.loss],
                  BIAS_CODES[config.bias_update], float(config.learning_rate),
                  float(config.target_error), int(config.max_iterations))
    return NetworkLayout(config.layer_sizes), rules


def train_chunk(params, grads, deltas, outputs, config, iteration, n, history):
    """Up to ``n`` updates of ``Trainer.step`` for ``config``, in place; returns
    (done, status, error).

    grads and deltas must hold the gradients and deltas at params on entry (the caller's
    cached evaluation); outputs is scratch for every layer's (4, n) outputs, the inputs'
    place first (unused: the inputs are folded). history is a ``History``'s ``buffers``. On
    return params is the final state (the last finite one after a divergence), the history
    is updated, and, unless the run diverged, outputs, deltas, grads and error are the
    evaluation at params; after a divergence they belong to the rejected update and the
    caller re-evaluates. The GIL is released while it runs.
    """
    layout, rules = _compiled_form(config)
    train = _train_shallow if len(config.hidden) == 1 else _train_any_depth
    return train(Network(params, grads, deltas, outputs), layout.offsets, rules, history,
                 iteration, n, np.empty_like(params))


def train_batch(params, grads, deltas, config, n, iterations, statuses, errors, first=0,
                stride=1):
    """``train_chunk`` for many networks of ``config``'s shape: rows first, first + stride, …
    of params and grads (B, P) and deltas (B, D), each for up to ``n`` updates unless its
    status (B codes) says it has stopped; iterations, statuses and errors (B,) are updated in
    place.

    No history is kept. A network's error is left as it was when it diverges at once. Calls
    on disjoint row sets (different ``first``, same ``stride``) may run in parallel threads.
    """
    layout, rules = _compiled_form(config)
    train = _batch_shallow if len(config.hidden) == 1 else _batch_any_depth
    # a history that never records: its first point would be at iteration 2**62
    no_history = HistoryBuffers.empty(2, layout.n_parameters, layout.n_deltas, stride=1 << 62)
    train(Network(params, grads, deltas, np.zeros(layout.n_outputs)), layout.offsets, rules,
          no_history, n, iterations, statuses, errors, first, stride,
          np.empty(layout.n_parameters))
