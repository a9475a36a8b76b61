"""``train_batch``: the compiled kernel for many networks of one shape at once.

Every array is (row, network) with the network index innermost, so that the arithmetic of
``engine.kernel.evaluate`` runs across networks in SIMD lanes, in the same order per network.
"""

import math

import numpy as np
from numba import njit

from engine.kernel import (
    _INLINE,
    _JIT,
    CONVERGED,
    DIVERGED,
    MAX_ITERATIONS,
    N_SAMPLES,
    RUNNING,
    _activate,
    _slope,
    _softplus,
    _sum,
    offsets,
)


@njit(**_INLINE)
def _evaluate_batch(params, sizes, param_at, output_at, delta_at, outputs, deltas, grads, y,
                    activation, loss, errors, acc):
    """``evaluate`` for every column (network) of params; errors (B,) gets the mean errors.

    Each column's arithmetic is ``evaluate``'s, in the same order; acc is scratch (B,).
    """
    n_layers = sizes.shape[0] - 1
    width = params.shape[1]
    for b in range(width):
        errors[b] = 0.0
    for layer in range(n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        h_at, out_at = output_at[layer], output_at[layer + 1]
        for s in range(N_SAMPLES):
            for j in range(n_out):
                row_h, row_w = h_at + s * n_in, w_at + j
                for b in range(width):
                    acc[b] = outputs[row_h, b] * params[row_w, b]
                for i in range(1, n_in):
                    row_h, row_w = h_at + s * n_in + i, w_at + i * n_out + j
                    for b in range(width):
                        acc[b] += outputs[row_h, b] * params[row_w, b]
                row = out_at + s * n_out + j
                if layer == n_layers - 1:
                    for b in range(width):
                        a = acc[b] + params[b_at + j, b]
                        y_pred = 1.0 / (1.0 + math.exp(-a))
                        outputs[row, b] = y_pred
                        if loss == 0:
                            diff = y[s] - y_pred
                            errors[b] += 0.5 * (diff * diff)
                        else:
                            errors[b] += _softplus(a) - y[s] * a
                else:
                    for b in range(width):
                        outputs[row, b] = _activate(acc[b] + params[b_at + j, b], activation)
    for b in range(width):
        errors[b] = errors[b] / N_SAMPLES
    y_at, last = output_at[n_layers], delta_at[n_layers - 1]
    for s in range(N_SAMPLES):
        for b in range(width):
            y_pred = outputs[y_at + s, b]
            if loss == 0:
                deltas[last + s, b] = (y_pred - y[s]) * (y_pred * (1.0 - y_pred))
            else:
                deltas[last + s, b] = y_pred - y[s]
    for layer in range(n_layers - 2, -1, -1):
        n_here, n_next = sizes[layer + 1], sizes[layer + 2]
        w_next = param_at[layer + 1]
        d_here, d_next = delta_at[layer], delta_at[layer + 1]
        h_at = output_at[layer + 1]
        for s in range(N_SAMPLES):
            for i in range(n_here):
                row_d, row_w = d_next + s * n_next, w_next + i * n_next
                for b in range(width):
                    acc[b] = deltas[row_d, b] * params[row_w, b]
                for j in range(1, n_next):
                    for b in range(width):
                        acc[b] += deltas[row_d + j, b] * params[row_w + j, b]
                row_h = h_at + s * n_here + i
                for b in range(width):
                    deltas[d_here + s * n_here + i, b] = acc[b] * _slope(outputs[row_h, b],
                                                                         activation)
    for layer in range(n_layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w_at = param_at[layer]
        b_at = w_at + n_in * n_out
        h_at, d_at = output_at[layer], delta_at[layer]
        for i in range(n_in):
            for j in range(n_out):
                row = w_at + i * n_out + j
                for b in range(width):
                    grads[row, b] = outputs[h_at + i, b] * deltas[d_at + j, b]
                for s in range(1, N_SAMPLES):
                    for b in range(width):
                        grads[row, b] += (outputs[h_at + s * n_in + i, b]
                                          * deltas[d_at + s * n_out + j, b])
        for j in range(n_out):
            for b in range(width):
                grads[b_at + j, b] = deltas[d_at + j, b]
            for s in range(1, N_SAMPLES):
                for b in range(width):
                    grads[b_at + j, b] += deltas[d_at + s * n_out + j, b]


@njit(**_INLINE)
def _column_sum(values, start, n, column, scratch):
    """``_sum`` of values[start:start + n, column]."""
    for k in range(n):
        scratch[k] = values[start + k, column]
    return _sum(scratch, 0, n)


@njit(**_JIT)
def train_batch(params, grads, deltas, sizes, x, y, activation, loss, bias_mode, alpha,
                target_error, max_iterations, n, iterations, statuses, errors):
    """Up to ``n`` updates of each running network (column of params (P, B)), in place.

    grads (P, B) and deltas (D, B) hold each running network's evaluation on entry and on
    return. iterations, statuses (status codes) and errors (B,) are read and updated per
    network with ``train_chunk``'s rules; the batch stops once every network has stopped.
    """
    param_at, output_at, delta_at = offsets(sizes)
    n_layers = sizes.shape[0] - 1
    width = params.shape[1]
    outputs = np.empty((output_at[n_layers + 1], width))
    for row in range(2 * N_SAMPLES):
        for b in range(width):
            outputs[row, b] = x[row]
    trial = np.empty_like(params)
    trial_errors = np.empty(width)
    acc = np.empty(width)
    bounded = np.empty(width)
    scratch = np.empty(max(params.shape[0], deltas.shape[0]))
    for _ in range(n):
        running = 0
        for b in range(width):
            running += statuses[b] == RUNNING
        if running == 0:
            break
        # trial = θ − α·step for every column (stopped ones too: their trial is discarded)
        for layer in range(n_layers):
            n_in, n_out = sizes[layer], sizes[layer + 1]
            w_at = param_at[layer]
            b_at = w_at + n_in * n_out
            for k in range(w_at, b_at if bias_mode else b_at + n_out):
                for b in range(width):
                    trial[k, b] = params[k, b] - alpha * grads[k, b]
            if bias_mode:
                for b in range(width):
                    acc[b] = alpha * _column_sum(deltas, delta_at[layer], N_SAMPLES * n_out, b,
                                                 scratch)
                for k in range(b_at, b_at + n_out):
                    for b in range(width):
                        trial[k, b] = params[k, b] - acc[b]
        _evaluate_batch(trial, sizes, param_at, output_at, delta_at, outputs, deltas, grads,
                        y, activation, loss, trial_errors, acc)
        # numpy's test sums each layer; with every |θ| < 1e300 no sum can overflow, so the
        # exact check is only needed for columns holding a huge or non-finite value
        for b in range(width):
            bounded[b] = 1.0
        for k in range(params.shape[0]):
            for b in range(width):
                if not abs(trial[k, b]) < 1e300:
                    bounded[b] = 0.0
        for b in range(width):
            if statuses[b] != RUNNING:
                continue
            finite = math.isfinite(trial_errors[b])
            for layer in range(n_layers):
                if not finite or bounded[b] == 1.0:
                    break
                n_in, n_out = sizes[layer], sizes[layer + 1]
                w_at = param_at[layer]
                b_at = w_at + n_in * n_out
                finite = math.isfinite(_column_sum(trial, w_at, n_in * n_out, b, scratch)
                                       + _column_sum(trial, b_at, n_out, b, scratch))
            if not finite:
                statuses[b] = DIVERGED
                continue
            for k in range(params.shape[0]):
                params[k, b] = trial[k, b]
            errors[b] = trial_errors[b]
            iterations[b] += 1
            if trial_errors[b] < target_error:
                statuses[b] = CONVERGED
            elif iterations[b] >= max_iterations:
                statuses[b] = MAX_ITERATIONS
