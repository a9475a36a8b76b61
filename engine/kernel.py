"""The compiled twin of ``engine.network`` and ``Trainer.step``: chunks of updates in numba.

``train_chunk`` runs up to n updates of one network, with history, for every configuration;
``train_batch`` runs many networks of one shape (``engine.batched``).
It picks one of two compiled loops, both cached on disk: one for a single hidden layer (every
preset, the tutorial's 2-2-1 included) and one for any depth. They share the update, the
stopping rule and the history code; only the forward/backward pass differs, because the
one-layer pass keeps each hidden unit's four samples in registers from its activation to its
gradients, and that is what makes it about 1.5× faster than the general pass.
A network is a flat parameter vector in ``engine.trainer.flatten`` order; its shape and rules
come from its ``TrainingConfig`` (the loops take layer sizes, offsets and integer codes for
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
to ~1e-14 relative rather than bit for bit.

Importing this module imports numba (≈0.25 s) and the first call compiles (seconds) or loads
the cache; ``engine.trainer`` imports it lazily, on the first step, in the worker.
"""

import math

import numpy as np
from numba import njit

from engine.datasets import dataset

ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2}
LOSS_CODES = {"mse": 0, "cross-entropy": 1}
BIAS_CODES = {"per-neuron": 0, "summed": 1}

#: Status codes, in the order of ``engine.trainer.Status``.
RUNNING, CONVERGED, MAX_ITERATIONS, DIVERGED = 0, 1, 2, 3

N_SAMPLES = 4
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
        return math.log1p(math.exp(a))
    if tmp <= 0.0:
        return a + math.log1p(math.exp(tmp))
    return tmp  # nan


@njit(**_INLINE)
def _sigmoid(a):
    return 1.0 / (1.0 + math.exp(-a))


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
def _output_unit(a0, a1, a2, a3, y, loss, outputs, y_at, deltas, d_at):
    """ŷ = σ(a) and the output deltas for the four samples; returns the mean error."""
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


def offsets(sizes):
    """Start of each layer's w in the parameter vector, of each layer's outputs in the
    activation buffer (layer 0 = the inputs) and of each layer's deltas in the delta vector."""
    n_layers = len(sizes) - 1
    param_at = np.zeros(n_layers + 1, np.int64)
    output_at = np.zeros(n_layers + 2, np.int64)
    delta_at = np.zeros(n_layers + 1, np.int64)
    for layer in range(n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        param_at[layer + 1] = param_at[layer] + n_in * n_out + n_out
        delta_at[layer + 1] = delta_at[layer] + N_SAMPLES * n_out
    for layer in range(n_layers + 1):
        output_at[layer + 1] = output_at[layer] + N_SAMPLES * sizes[layer]
    return param_at, output_at, delta_at


@njit(**_INLINE)
def evaluate_shallow(params, sizes, param_at, output_at, delta_at, outputs, deltas, grads, y,
                     activation, loss):
    """``evaluate`` for one hidden layer of H units: parameters [w (2, H), b (H), v (H), c]."""
    n_hidden = sizes[1]
    h_at = output_at[1]
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
    error = _output_unit(a0, a1, a2, a3, y, loss, outputs, output_at[2], deltas, delta_at[1])
    e_at = delta_at[1]
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
def evaluate(params, sizes, param_at, output_at, delta_at, outputs, deltas, grads, y,
             activation, loss):
    """Forward pass, mean error, deltas and gradients for ``params``; returns the error.

    Writes ``outputs`` (every layer's (4, n) after the inputs), ``deltas`` (each layer's
    (4, n) in the history's order) and ``grads`` (flatten order). Any number of layers.
    """
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
                error = _output_unit(a0 + b, a1 + b, a2 + b, a3 + b, y, loss, outputs,
                                     out_at, deltas, delta_at[layer])
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
def _descend(params, previous, grads, deltas, sizes, param_at, delta_at, alpha, bias_mode):
    """θ ← θ − α·step in place (weights by their gradient, biases per ``bias_steps``), the
    old θ kept in ``previous``. Returns 0 if every new θ is finite, else nan."""
    probe = 0.0  # Σ (θ − θ): 0 for finite θ, nan as soon as one is ±inf or nan
    for layer in range(sizes.shape[0] - 1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        weights_end = b_at + n_out
        if bias_mode == 1:
            weights_end = b_at
            move = alpha * _sum(deltas, delta_at[layer], N_SAMPLES * n_out)
            for k in range(b_at, b_at + n_out):
                old = params[k]
                previous[k] = old
                new = old - move
                params[k] = new
                probe += new - new
        for k in range(w_at, weights_end):
            old = params[k]
            previous[k] = old
            new = old - alpha * grads[k]
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
def _record(iterations, errors, gradients, parameters, deltas_series, state,
            iteration, error, grads, params, deltas):
    """``History.record``: state = [count, stride]; halve and double the stride when full."""
    capacity = iterations.shape[0]
    if state[0] == capacity:
        half = capacity // 2
        for k in range(half):
            iterations[k] = iterations[2 * k]
            errors[k] = errors[2 * k]
            _copy_row(gradients, 2 * k, gradients, k)
            _copy_row(parameters, 2 * k, parameters, k)
            _copy_row(deltas_series, 2 * k, deltas_series, k)
        state[0] = half
        state[1] *= 2
        if iteration % state[1] != 0:
            return
    row = state[0]
    iterations[row] = iteration
    errors[row] = error
    _set_row(gradients, row, grads)
    _set_row(parameters, row, params)
    _set_row(deltas_series, row, deltas)
    state[0] = row + 1


@njit(**_INLINE)
def _run(network, shape, rules, history, iteration, n, previous, shallow):
    """The update loop of ``train_chunk``; ``shallow`` is a constant at each call site, so
    each compiled loop keeps only its own forward/backward pass."""
    params, grads, deltas, outputs = network
    sizes, param_at, output_at, delta_at = shape
    y, activation, loss, bias_mode, alpha, target_error, max_iterations = rules
    h_iterations, h_errors, h_gradients, h_parameters, h_deltas, h_state = history
    error = np.nan
    status = RUNNING
    done = 0
    next_record = (iteration // h_state[1] + 1) * h_state[1]  # next multiple of the stride
    while done < n:
        probe = _descend(params, previous, grads, deltas, sizes, param_at, delta_at, alpha,
                         bias_mode)
        if shallow:
            trial_error = evaluate_shallow(params, sizes, param_at, output_at, delta_at,
                                           outputs, deltas, grads, y, activation, loss)
        else:
            trial_error = evaluate(params, sizes, param_at, output_at, delta_at, outputs,
                                   deltas, grads, y, activation, loss)
        if not (probe == 0.0 and math.isfinite(trial_error)):
            for k in range(params.shape[0]):
                params[k] = previous[k]
            status = DIVERGED
            break
        error = trial_error
        iteration += 1
        done += 1
        if iteration == next_record:
            _record(h_iterations, h_errors, h_gradients, h_parameters, h_deltas, h_state,
                    iteration, error, grads, params, deltas)
            next_record = (iteration // h_state[1] + 1) * h_state[1]
        if error < target_error:
            status = CONVERGED
            break
        if iteration >= max_iterations:
            status = MAX_ITERATIONS
            break
    return done, status, error


@njit(**_INLINE)
def _run_batch(networks, outputs, shape, rules, history, n, iterations, statuses, errors,
               first, stride, previous, shallow):
    """``train_batch``'s loop: ``_run`` on rows first, first + stride, … that still run."""
    params, grads, deltas = networks
    for b in range(first, params.shape[0], stride):
        if statuses[b] != RUNNING:
            continue
        done, status, error = _run((params[b], grads[b], deltas[b], outputs), shape, rules,
                                   history, iterations[b], n, previous, shallow)
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
def _batch_shallow(networks, outputs, shape, rules, history, n, iterations, statuses, errors,
                   first, stride, previous):
    _run_batch(networks, outputs, shape, rules, history, n, iterations, statuses, errors,
               first, stride, previous, True)


@njit(**_NO_REFCOUNT)
def _batch_any_depth(networks, outputs, shape, rules, history, n, iterations, statuses,
                     errors, first, stride, previous):
    _run_batch(networks, outputs, shape, rules, history, n, iterations, statuses, errors,
               first, stride, previous, False)


def _compiled_form(config):
    """What the loops take from a ``TrainingConfig``: the shape (layer sizes and their offsets)
    and the rules (targets y, the activation, loss and bias-update codes, α, target, limit)."""
    sizes = np.array(config.layer_sizes, dtype=np.int64)
    rules = (np.ascontiguousarray(dataset(config.gate)[1], dtype=np.float64).ravel(),
             ACTIVATION_CODES[config.activation], LOSS_CODES[config.loss],
             BIAS_CODES[config.bias_update], float(config.learning_rate),
             float(config.target_error), int(config.max_iterations))
    return (sizes, *offsets(sizes)), rules


def train_chunk(params, grads, deltas, outputs, config, iteration, n, history):
    """Up to ``n`` updates of ``Trainer.step`` for ``config``, in place; returns
    (done, status, error).

    grads and deltas must hold the gradients and deltas at params on entry (the caller's
    cached evaluation); outputs is scratch for every layer's (4, n) outputs, the inputs'
    place first (unused: the inputs are folded). history = (iterations, errors, gradients,
    parameters, deltas, [count, stride]), ``History``'s arrays. On return params is the final
    state (the last finite one after a divergence), the history is updated, and, unless the
    run diverged, outputs, deltas, grads and error are the evaluation at params; after a
    divergence they belong to the rejected update and the caller re-evaluates. The GIL is
    released while it runs.
    """
    shape, rules = _compiled_form(config)
    train = _train_shallow if len(config.hidden) == 1 else _train_any_depth
    return train((params, grads, deltas, outputs), shape, rules, history, iteration, n,
                 np.empty_like(params))


def train_batch(params, grads, deltas, config, n, iterations, statuses, errors, first=0,
                stride=1):
    """``train_chunk`` for many networks of ``config``'s shape: rows first, first + stride, …
    of params and grads (B, P) and deltas (B, D), each for up to ``n`` updates unless its
    status (B codes) says it has stopped; iterations, statuses and errors (B,) are updated in
    place.

    No history is kept. A network's error is left as it was when it diverges at once. Calls
    on disjoint row sets (different ``first``, same ``stride``) may run in parallel threads.
    """
    shape, rules = _compiled_form(config)
    train = _batch_shallow if len(config.hidden) == 1 else _batch_any_depth
    n_parameters, n_deltas = params.shape[1], deltas.shape[1]
    # a history that never records: its first point would be at iteration 2**62
    no_history = (np.zeros(2, np.int64), np.zeros(2), np.zeros((2, n_parameters)),
                  np.zeros((2, n_parameters)), np.zeros((2, n_deltas)),
                  np.array([0, 1 << 62], np.int64))
    train((params, grads, deltas), np.zeros(N_SAMPLES * sum(config.layer_sizes)), shape,
          rules, no_history, n, iterations, statuses, errors, first, stride,
          np.empty(n_parameters))
