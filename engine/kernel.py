"""The compiled twin of ``engine.network`` and ``Trainer.step``: chunks of updates in numba.

One compiled function serves every configuration, compiled once and cached on disk:
``train_chunk`` (one network, with history); ``engine.batch_kernel`` holds its many-network
twin ``train_batch``.
A network is a flat parameter vector in ``engine.trainer.flatten`` order plus a layer-size
array; activation, loss and bias mode are integer codes. The caller passes its cached
gradients and deltas, exactly as the numpy loop starts from ``Trainer.grads``.

Each formula mirrors its numpy reference, in numpy's floating-point order where that is
known (sums of fewer than 8 terms sequential, longer ones numpy's 8-way pairwise sum):
``forward`` (a = h·w + b, sigmoid 1/(1 + e^(−a)), tanh, relu), ``per_sample_loss`` (½(y − ŷ)²,
softplus(a) − y·a with numpy's logaddexp branches), ``mean_error``, ``output_delta``,
``backward``, ``gradients``, ``bias_steps``, the finiteness test of ``Trainer.step`` and
``History.record``. numpy's matrix products go through BLAS, which may fuse multiply-adds, so
the two paths agree to ~1e-14 relative rather than bit for bit.

Importing this module imports numba (≈0.25 s) and the first call compiles (seconds) or
loads the cache; ``engine.trainer`` imports it lazily, on the first step, in the worker.
"""

import math

import numpy as np
from numba import njit

ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2}
LOSS_CODES = {"mse": 0, "cross-entropy": 1}
BIAS_CODES = {"per-neuron": 0, "summed": 1}

#: Status codes, in the order of ``engine.trainer.Status``.
RUNNING, CONVERGED, MAX_ITERATIONS, DIVERGED = 0, 1, 2, 3

N_SAMPLES = 4
_LOG2 = math.log(2.0)
_JIT = {"nogil": True, "cache": True, "fastmath": False, "error_model": "numpy"}
# Helpers are inlined into the loop (numba IR level) so that no array reference counting
# happens per update: an out-of-line call costs ~20 ns per array argument.
_INLINE = dict(_JIT, inline="always")


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
def _activate(a, activation):
    """Hidden activation h = f(a): sigmoid 1/(1 + e^(−a)), tanh, relu max(a, 0)."""
    if activation == 0:
        return 1.0 / (1.0 + math.exp(-a))
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
def _output_unit(a, y, loss, outputs, at, total):
    """ŷ = σ(a) stored at ``at``; returns ``total`` plus this sample's loss."""
    y_pred = 1.0 / (1.0 + math.exp(-a))
    outputs[at] = y_pred
    if loss == 0:
        diff = y - y_pred
        return total + 0.5 * (diff * diff)
    return total + (_softplus(a) - y * a)


@njit(**_JIT)
def offsets(sizes):
    """Start of each layer's w in the parameter vector, of each layer's outputs in the
    activation buffer (layer 0 = the inputs) and of each layer's deltas in the delta vector."""
    n_layers = sizes.shape[0] - 1
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
def evaluate(params, sizes, param_at, output_at, delta_at, outputs, deltas, grads, y,
             activation, loss):
    """Forward pass, mean error, deltas and gradients for ``params``; returns the error.

    Writes ``outputs`` (every layer's (4, n), the inputs first, which must be preset),
    ``deltas`` (each layer's (4, n) in the history's order) and ``grads`` (flatten order).
    """
    n_layers = sizes.shape[0] - 1
    total = 0.0  # Σ per-sample loss, accumulated at the output unit in sample order
    # forward: a = h_prev · w + b; h = f(a), ŷ = σ(a) at the output. The four samples are
    # four scalar accumulators (a fixed-length inner loop compiles to straight-line code).
    for layer in range(n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        h_at, out_at = output_at[layer], output_at[layer + 1]
        for j in range(n_out):
            w = params[w_at + j]
            a0 = outputs[h_at] * w
            a1 = outputs[h_at + n_in] * w
            a2 = outputs[h_at + 2 * n_in] * w
            a3 = outputs[h_at + 3 * n_in] * w
            for i in range(1, n_in):
                w = params[w_at + i * n_out + j]
                a0 += outputs[h_at + i] * w
                a1 += outputs[h_at + n_in + i] * w
                a2 += outputs[h_at + 2 * n_in + i] * w
                a3 += outputs[h_at + 3 * n_in + i] * w
            b = params[b_at + j]
            if layer == n_layers - 1:
                total = _output_unit(a0 + b, y[0], loss, outputs, out_at, total)
                total = _output_unit(a1 + b, y[1], loss, outputs, out_at + 1, total)
                total = _output_unit(a2 + b, y[2], loss, outputs, out_at + 2, total)
                total = _output_unit(a3 + b, y[3], loss, outputs, out_at + 3, total)
            else:
                outputs[out_at + j] = _activate(a0 + b, activation)
                outputs[out_at + n_out + j] = _activate(a1 + b, activation)
                outputs[out_at + 2 * n_out + j] = _activate(a2 + b, activation)
                outputs[out_at + 3 * n_out + j] = _activate(a3 + b, activation)
    error = total / N_SAMPLES
    y_at = output_at[n_layers]
    # output delta: ∂(per-sample loss)/∂a_L
    last = delta_at[n_layers - 1]
    for s in range(N_SAMPLES):
        y_pred = outputs[y_at + s]
        if loss == 0:
            deltas[last + s] = (y_pred - y[s]) * (y_pred * (1.0 - y_pred))
        else:
            deltas[last + s] = y_pred - y[s]
    # hidden deltas: δ_l = (δ_{l+1} · w_{l+1}ᵀ) ⊙ f'(h_l)
    for layer in range(n_layers - 2, -1, -1):
        n_here, n_next = sizes[layer + 1], sizes[layer + 2]
        w_next = param_at[layer + 1]
        d_here, d_next = delta_at[layer], delta_at[layer + 1]
        h_at = output_at[layer + 1]
        for i in range(n_here):
            w = params[w_next + i * n_next]
            c0 = deltas[d_next] * w
            c1 = deltas[d_next + n_next] * w
            c2 = deltas[d_next + 2 * n_next] * w
            c3 = deltas[d_next + 3 * n_next] * w
            for j in range(1, n_next):
                w = params[w_next + i * n_next + j]
                c0 += deltas[d_next + j] * w
                c1 += deltas[d_next + n_next + j] * w
                c2 += deltas[d_next + 2 * n_next + j] * w
                c3 += deltas[d_next + 3 * n_next + j] * w
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
        for i in range(n_in):
            for j in range(n_out):
                acc = outputs[h_at + i] * deltas[d_at + j]
                for s in range(1, N_SAMPLES):
                    acc += outputs[h_at + s * n_in + i] * deltas[d_at + s * n_out + j]
                grads[w_at + i * n_out + j] = acc
        for j in range(n_out):
            acc = deltas[d_at + j]
            for s in range(1, N_SAMPLES):
                acc += deltas[d_at + s * n_out + j]
            grads[b_at + j] = acc
    return error


@njit(**_INLINE)
def descend(params, grads, deltas, sizes, param_at, delta_at, alpha, bias_mode, updated):
    """updated = θ − α·step: weights by their gradient, biases per ``bias_steps``."""
    n_layers = sizes.shape[0] - 1
    for layer in range(n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        for k in range(w_at, b_at):
            updated[k] = params[k] - alpha * grads[k]
        if bias_mode == 0:
            for k in range(b_at, b_at + n_out):
                updated[k] = params[k] - alpha * grads[k]
        else:
            move = alpha * _sum(deltas, delta_at[layer], N_SAMPLES * n_out)
            for k in range(b_at, b_at + n_out):
                updated[k] = params[k] - move


@njit(**_INLINE)
def all_finite(error, params, sizes, param_at):
    """The numpy path's test: the error and every layer's w.sum() + b.sum() are finite."""
    if not math.isfinite(error):
        return False
    for layer in range(sizes.shape[0] - 1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        if not math.isfinite(_sum(params, w_at, n_in * n_out) + _sum(params, b_at, n_out)):
            return False
    return True


@njit(**_INLINE)
def _copy_row(source, row, target, to_row):
    for k in range(source.shape[1]):
        target[to_row, k] = source[row, k]


@njit(**_JIT)
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
    for k in range(grads.shape[0]):
        gradients[row, k] = grads[k]
        parameters[row, k] = params[k]
    for k in range(deltas.shape[0]):
        deltas_series[row, k] = deltas[k]
    state[0] = row + 1


@njit(**_JIT)
def train_chunk(params, sizes, outputs, deltas, grads, y, activation, loss, bias_mode, alpha,
                target_error, max_iterations, iteration, n,
                h_iterations, h_errors, h_gradients, h_parameters, h_deltas, h_state):
    """Up to ``n`` updates of ``Trainer.step``, in place; returns (done, status, error).

    grads and deltas must hold the gradients and deltas at params on entry (the caller's
    cached evaluation). On return params is the final state (the last finite one after a
    divergence), the history arrays and h_state = [count, stride] are updated, and, unless
    the run diverged, outputs, deltas, grads and error are the evaluation at params; after a
    divergence they belong to the rejected update and the caller re-evaluates.
    """
    param_at, output_at, delta_at = offsets(sizes)
    trial = np.empty_like(params)
    error = np.nan
    status = RUNNING
    done = 0
    stride = h_state[1]
    next_record = (iteration // stride + 1) * stride  # the first multiple of the stride ahead
    while done < n:
        descend(params, grads, deltas, sizes, param_at, delta_at, alpha, bias_mode, trial)
        trial_error = evaluate(trial, sizes, param_at, output_at, delta_at, outputs, deltas,
                               grads, y, activation, loss)
        if not all_finite(trial_error, trial, sizes, param_at):
            status = DIVERGED
            break
        for k in range(params.shape[0]):
            params[k] = trial[k]
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
