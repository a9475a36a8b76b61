"""``train_batch`` for many networks of one hidden layer of sigmoids and the squared error:
eight networks at a time, one in each lane of the CPU's vector registers.

``engine.kernel`` does one network's arithmetic in scalar instructions. Here every step of
the update is a loop over ``LANES`` networks that LLVM's SLP vectorizer turns into AVX
instructions on four networks at once: ~0.04-0.07 µs per tutorial update on one core
against ~0.10-0.16 µs one at a time (alternated runs), bit for bit the same. Each lane
computes exactly what ``engine.kernel`` computes for its network (the same operations in
the same order, and ``engine.kernel_exp``'s e^x: its fast path in the vectors, libm for the
rare lanes outside it), so iterations, statuses, parameters, gradients and deltas are equal.

A lane whose network stops (converged, out of updates, diverged, or done with this call's
``n``) is written back and given the next network of the call's rows. When no network is
left to give and only ``TAIL`` lanes still run, the call returns them, still running, to the
caller: ``BatchedTrainer`` goes on with them one at a time, which is then cheaper than a
vector with mostly idle lanes. The other configurations use ``engine.kernel`` alone.

numba leaves its SLP vectorizer off by default; it is turned on while this loop compiles
(once per process, under a lock, since numba's setting is global). The loop is cached on
disk, keyed on this file alone (a change to ``engine.kernel_exp`` is not seen until this
file changes too).
"""

import math
import sys
import threading
from typing import NamedTuple

import numpy as np

from engine.batched import LANES, in_lanes
from engine.compiled import use_cache_folder
from engine.kernel import (
    _INLINE,
    _NO_REFCOUNT,
    CONVERGED,
    DIVERGED,
    MAX_ITERATIONS,
    RUNNING,
    _compiled_form,
)
from engine.kernel import train_batch as train_one_by_one
from engine.kernel_exp import exp_fast, outside

use_cache_folder()  # numba reads its cache folder once, when it is imported
from llvmlite import ir  # noqa: E402
from numba import njit, types  # noqa: E402
from numba.core import config as numba_config  # noqa: E402
from numba.extending import intrinsic  # noqa: E402
from numba.np.arrayobj import make_array, populate_array  # noqa: E402

#: When this many lanes or fewer still run and no network waits, they go back to the caller.
TAIL = 2


class Lanes(NamedTuple):
    """The networks in the lanes, one column each: (rows, LANES) arrays, ``engine.layout``
    order, and (LANES,) per-lane counters. All on the stack of ``_train``: LLVM then knows
    no two of them overlap, which it must know to put the lanes of a loop in one vector (it
    cannot know it of arrays passed in)."""

    params: np.ndarray  # (P, L) θ
    grads: np.ndarray  # (P, L) ∂E/∂θ at θ
    previous: np.ndarray  # (P, L) θ before the update, restored after a divergence
    deltas: np.ndarray  # (D, L) the per-sample deltas at θ
    hidden_in: np.ndarray  # (4H, L) −a of each hidden unit and sample, as deltas' rows
    hidden: np.ndarray  # (4H, L) σ(a)
    output_in: np.ndarray  # (4, L) −a of the output
    output: np.ndarray  # (4, L) ŷ
    sums: np.ndarray  # (8, L) numpy's pairwise sum's eight partial sums
    moves: np.ndarray  # (2, L) each layer's bias step, for the summed bias update
    error: np.ndarray  # (L,) the error at θ
    probe: np.ndarray  # (L,) Σ (θ − θ): 0 while θ is finite
    accepted: np.ndarray  # (L,) the error of the last accepted update
    row: np.ndarray  # (L,) int: the network in each lane, −1 for none
    done: np.ndarray  # (L,) int: its updates in this call
    limit: np.ndarray  # (L,) int: the updates it may do in this call
    live: np.ndarray  # (L,) bool: a network is in the lane


@intrinsic
def _on_stack(typingctx, rows, dtype):
    """np.empty((rows, LANES), dtype), on the stack of the compiled function it is in."""
    element = dtype.dtype
    array_type = types.Array(element, 2, "C")

    def codegen(context, builder, signature, args):
        count = builder.mul(args[0], ir.Constant(args[0].type, LANES))
        item = context.get_data_type(element)
        size = context.get_abi_sizeof(item)
        array = make_array(array_type)(context, builder)
        populate_array(array, data=builder.alloca(item, size=count),
                       shape=[args[0], context.get_constant(types.intp, LANES)],
                       strides=[context.get_constant(types.intp, LANES * size),
                                context.get_constant(types.intp, size)],
                       itemsize=context.get_constant(types.intp, size), meminfo=None)
        return array._getvalue()

    return array_type(types.intp, dtype), codegen


@njit(**_INLINE)
def _lanes(n_params, n_deltas, n_hidden):
    return Lanes(_on_stack(n_params, np.float64), _on_stack(n_params, np.float64),
                 _on_stack(n_params, np.float64), _on_stack(n_deltas, np.float64),
                 _on_stack(4 * n_hidden, np.float64), _on_stack(4 * n_hidden, np.float64),
                 _on_stack(4, np.float64), _on_stack(4, np.float64),
                 _on_stack(8, np.float64), _on_stack(2, np.float64),
                 _on_stack(1, np.float64)[0], _on_stack(1, np.float64)[0],
                 _on_stack(1, np.float64)[0], _on_stack(1, np.int64)[0],
                 _on_stack(1, np.int64)[0], _on_stack(1, np.int64)[0],
                 _on_stack(1, np.bool_)[0])


@njit(**_INLINE)
def _sigmoids(into, out, rows):
    """out[:rows] = σ(a) = 1/(1 + e^(−a)) for into[:rows] = −a."""
    far = False
    for k in range(rows):
        for lane in range(LANES):
            x = into[k, lane]
            far |= outside(x)
            out[k, lane] = exp_fast(x)
    if far:  # rare: a tiny, huge or non-finite −a; libm's exp, as engine.kernel_exp's
        for k in range(rows):
            for lane in range(LANES):
                if outside(into[k, lane]):
                    out[k, lane] = math.exp(into[k, lane])
    for k in range(rows):
        for lane in range(LANES):
            out[k, lane] = 1.0 / (1.0 + out[k, lane])


@njit(**_INLINE)
def _sum(values, start, n, sums, layer, moves):
    """moves[layer] = numpy's float sum of values[start:start + n] in each lane, as
    ``engine.kernel._sum``: sequential below 8 terms, else eight partial sums, pairwise."""
    if n < 8:
        for lane in range(LANES):
            moves[layer, lane] = 0.0
        for k in range(n):
            for lane in range(LANES):
                moves[layer, lane] += values[start + k, lane]
        return
    for i in range(8):
        for lane in range(LANES):
            sums[i, lane] = values[start + i, lane]
    k = 8
    while k + 8 <= n:
        for i in range(8):
            for lane in range(LANES):
                sums[i, lane] += values[start + k + i, lane]
        k += 8
    for lane in range(LANES):
        moves[layer, lane] = (((sums[0, lane] + sums[1, lane]) + (sums[2, lane] + sums[3, lane]))
                              + ((sums[4, lane] + sums[5, lane])
                                 + (sums[6, lane] + sums[7, lane])))
    while k < n:
        for lane in range(LANES):
            moves[layer, lane] += values[start + k, lane]
        k += 1


@njit(**_INLINE)
def _descend(lanes, n_hidden, alpha, summed):
    """``engine.kernel._descend`` in every lane: θ ← θ − α·step, the old θ kept."""
    params, grads, previous, deltas = lanes.params, lanes.grads, lanes.previous, lanes.deltas
    probe, moves = lanes.probe, lanes.moves
    n_params = params.shape[0]
    for lane in range(LANES):
        probe[lane] = 0.0
    if summed:
        _sum(deltas, 0, 4 * n_hidden, lanes.sums, 0, moves)
        _sum(deltas, 4 * n_hidden, 4, lanes.sums, 1, moves)
        for layer in range(2):
            for lane in range(LANES):
                moves[layer, lane] = alpha * moves[layer, lane]
    for k in range(n_params):
        # the biases: layer 0's after its 2H weights, layer 1's last
        layer = 0 if 2 * n_hidden <= k < 3 * n_hidden else 1 if k == n_params - 1 else -1
        if summed and layer >= 0:
            for lane in range(LANES):
                old = params[k, lane]
                previous[k, lane] = old
                new = old - moves[layer, lane]
                params[k, lane] = new
                probe[lane] += new - new
        else:
            for lane in range(LANES):
                old = params[k, lane]
                previous[k, lane] = old
                new = old - alpha * grads[k, lane]
                params[k, lane] = new
                probe[lane] += new - new


@njit(**_INLINE)
def _evaluate(lanes, n_hidden, y):
    """``engine.kernel.evaluate_shallow`` with sigmoids and the squared error in every
    lane: the error, deltas and gradients at θ."""
    params, grads, deltas = lanes.params, lanes.grads, lanes.deltas
    into, hidden, output_in, output = (lanes.hidden_in, lanes.hidden, lanes.output_in,
                                       lanes.output)
    h, v_at = n_hidden, 3 * n_hidden
    c_at, e_at = 4 * n_hidden, 4 * n_hidden
    for j in range(h):
        for lane in range(LANES):
            w0, w1, b = params[j, lane], params[h + j, lane], params[2 * h + j, lane]
            into[j, lane] = -b
            into[h + j, lane] = -(w1 + b)
            into[2 * h + j, lane] = -(w0 + b)
            into[3 * h + j, lane] = -((w0 + w1) + b)
    _sigmoids(into, hidden, 4 * h)
    for s in range(4):
        for lane in range(LANES):
            output_in[s, lane] = params[c_at, lane]
    for j in range(h):
        for s in range(4):
            for lane in range(LANES):
                output_in[s, lane] += hidden[s * h + j, lane] * params[v_at + j, lane]
    for s in range(4):
        for lane in range(LANES):
            output_in[s, lane] = -output_in[s, lane]
    _sigmoids(output_in, output, 4)
    for lane in range(LANES):
        total = 0.0
        for s in range(4):
            y_pred = output[s, lane]
            diff = y[s] - y_pred
            loss = 0.5 * (diff * diff)
            total = loss if s == 0 else total + loss
            deltas[e_at + s, lane] = (y_pred - y[s]) * (y_pred * (1.0 - y_pred))
        lanes.error[lane] = total / 4
    for j in range(h):
        for lane in range(LANES):
            v = params[v_at + j, lane]
            h0, h1 = hidden[j, lane], hidden[h + j, lane]
            h2, h3 = hidden[2 * h + j, lane], hidden[3 * h + j, lane]
            e0, e1 = deltas[e_at, lane], deltas[e_at + 1, lane]
            e2, e3 = deltas[e_at + 2, lane], deltas[e_at + 3, lane]
            d0 = (e0 * v) * (h0 * (1.0 - h0))
            d1 = (e1 * v) * (h1 * (1.0 - h1))
            d2 = (e2 * v) * (h2 * (1.0 - h2))
            d3 = (e3 * v) * (h3 * (1.0 - h3))
            deltas[j, lane] = d0
            deltas[h + j, lane] = d1
            deltas[2 * h + j, lane] = d2
            deltas[3 * h + j, lane] = d3
            grads[j, lane] = d2 + d3  # xᵀ·δ with x₀ = (0, 0, 1, 1)
            grads[h + j, lane] = d1 + d3  # x₁ = (0, 1, 0, 1)
            grads[2 * h + j, lane] = ((d0 + d1) + d2) + d3
            grads[v_at + j, lane] = ((h0 * e0 + h1 * e1) + h2 * e2) + h3 * e3
    for lane in range(LANES):
        grads[c_at, lane] = (((deltas[e_at, lane] + deltas[e_at + 1, lane])
                              + deltas[e_at + 2, lane]) + deltas[e_at + 3, lane])


@njit(**_INLINE)
def _park(lanes, lane):
    """An empty lane: a harmless network (no e^x outside the fast path), never written back."""
    lanes.row[lane] = -1
    lanes.live[lane] = False
    for k in range(lanes.params.shape[0]):
        lanes.params[k, lane] = 0.5
        lanes.grads[k, lane] = 0.0
    for k in range(lanes.deltas.shape[0]):
        lanes.deltas[k, lane] = 0.0


@njit(**_INLINE)
def _load(lanes, lane, row, params, grads, deltas, n, iterations, max_iterations):
    lanes.row[lane] = row
    lanes.live[lane] = True
    lanes.done[lane] = 0
    lanes.limit[lane] = min(n, max_iterations - iterations[row])
    for k in range(params.shape[1]):
        lanes.params[k, lane] = params[row, k]
        lanes.grads[k, lane] = grads[row, k]
    for k in range(deltas.shape[1]):
        lanes.deltas[k, lane] = deltas[row, k]


@njit(**_INLINE)
def _unload(lanes, lane, status, params, grads, deltas, iterations, statuses, errors):
    row = lanes.row[lane]
    iterations[row] += lanes.done[lane]
    statuses[row] = status
    if lanes.done[lane]:
        errors[row] = lanes.accepted[lane]
    for k in range(params.shape[1]):
        params[row, k] = lanes.params[k, lane]
        grads[row, k] = lanes.grads[k, lane]
    for k in range(deltas.shape[1]):
        deltas[row, k] = lanes.deltas[k, lane]
    _park(lanes, lane)


@njit(**_INLINE)
def _settle(lanes, lane, target_error, max_iterations, iterations):
    """``engine.kernel._run``'s checks after an update, for one lane: its status if its
    network stops here (RUNNING: done with this call), else −1."""
    error = lanes.error[lane]
    if not (lanes.probe[lane] == 0.0 and math.isfinite(error)):
        for k in range(lanes.params.shape[0]):
            lanes.params[k, lane] = lanes.previous[k, lane]
        return DIVERGED
    lanes.accepted[lane] = error
    lanes.done[lane] += 1
    if error < target_error:
        return CONVERGED
    if iterations[lanes.row[lane]] + lanes.done[lane] >= max_iterations:
        return MAX_ITERATIONS
    if lanes.done[lane] == lanes.limit[lane]:
        return RUNNING
    return -1


@njit(**_NO_REFCOUNT)
def _train(rows, params, grads, deltas, n, iterations, statuses, errors, n_hidden, alpha,
           target_error, max_iterations, y, summed):
    """Up to n updates of each network in rows (all running), LANES at a time."""
    lanes = _lanes(params.shape[1], deltas.shape[1], n_hidden)
    waiting = 0  # rows[waiting:] have not had a lane yet
    active = 0
    for lane in range(LANES):
        _park(lanes, lane)
        if waiting < rows.shape[0]:
            _load(lanes, lane, rows[waiting], params, grads, deltas, n, iterations,
                  max_iterations)
            waiting += 1
            active += 1
    while active > TAIL:  # then every row has had a lane
        _descend(lanes, n_hidden, alpha, summed)
        _evaluate(lanes, n_hidden, y)
        # the usual update, where no network stops, without a branch per lane
        stops = False
        for lane in range(LANES):
            error = lanes.error[lane]
            fine = (lanes.probe[lane] == 0.0) & (error - error == 0.0)
            stops |= lanes.live[lane] & ((not fine) | (error < target_error)
                                         | (lanes.done[lane] + 1 >= lanes.limit[lane]))
        if not stops:
            for lane in range(LANES):
                lanes.done[lane] += 1
                lanes.accepted[lane] = lanes.error[lane]
            continue
        for lane in range(LANES):
            if not lanes.live[lane]:
                continue
            status = _settle(lanes, lane, target_error, max_iterations, iterations)
            if status < 0:
                continue
            _unload(lanes, lane, status, params, grads, deltas, iterations, statuses, errors)
            active -= 1
            if waiting < rows.shape[0]:
                _load(lanes, lane, rows[waiting], params, grads, deltas, n, iterations,
                      max_iterations)
                waiting += 1
                active += 1
    for lane in range(LANES):  # the tail, still running, to be finished one by one
        if lanes.live[lane]:
            _unload(lanes, lane, RUNNING, params, grads, deltas, iterations, statuses, errors)


_compile_lock = threading.Lock()
_state = {"ready": False, "failure": None}


def _compile(arguments):
    """Compile (or load) ``_train`` once, with numba's SLP vectorizer on, by a call on no
    rows. Returns False, after one line on stderr, if it cannot be had."""
    with _compile_lock:
        if not _state["ready"] and _state["failure"] is None:
            saved = numba_config.SLP_VECTORIZE
            numba_config.SLP_VECTORIZE = 1
            try:
                _train(np.empty(0, np.int64), *arguments[1:])
            except Exception as error:  # noqa: BLE001 - numba fails in many ways
                _state["failure"] = f"{type(error).__name__}: {error}".splitlines()[0]
                print(f"xor-lab: training in lanes unavailable ({_state['failure']}); "
                      "one network at a time", file=sys.stderr)
            else:
                _state["ready"] = True
            finally:
                numba_config.SLP_VECTORIZE = saved
        return _state["ready"]


def failure() -> str | None:
    """Why the lanes loop is off in this process (None: it is not)."""
    return _state["failure"]


def train_batch(params, grads, deltas, config, n, iterations, statuses, errors, first=0,
                stride=1):
    """``engine.kernel.train_batch``, the same arguments and results, in lanes where
    ``in_lanes(config)``; running networks may come back with fewer than n updates done (at
    least one network of the rows has stopped or done n by then)."""
    rows = first + stride * np.flatnonzero(statuses[first::stride] == RUNNING)
    if not in_lanes(config) or rows.size <= TAIL or _state["failure"] is not None:
        train_one_by_one(params, grads, deltas, config, n, iterations, statuses, errors,
                         first, stride)
        return
    _, rules = _compiled_form(config)
    n_hidden = config.hidden[0]
    arguments = (rows, params, grads, deltas, int(n), iterations, statuses, errors,
                 int(n_hidden), float(rules.alpha), float(rules.target_error),
                 int(rules.max_iterations), rules.y, rules.bias_mode == 1)
    if not _state["ready"] and not _compile(arguments):
        train_batch(params, grads, deltas, config, n, iterations, statuses, errors, first,
                    stride)
        return
    _train(*arguments)
