"""Networks trained in vector lanes (engine.kernel_lanes) end exactly as one at a time."""

import numpy as np
import pytest

pytest.importorskip("numba")

from engine import kernel, kernel_lanes  # noqa: E402
from engine.batched import LANES, BatchedTrainer, in_lanes  # noqa: E402
from engine.config import PRESETS, TrainingConfig  # noqa: E402


def train(train_batch, config, seeds, n, start=None):
    """Every network of ``seeds`` to its end by calls of ``train_batch`` of up to n updates,
    from their starts changed by ``start(params, grads)`` if given; every array the kernels
    write."""
    batch = BatchedTrainer(config, seeds, threads=1)
    arrays = (batch.parameters, batch._grads, batch._deltas)
    if start:
        start(batch.parameters, batch._grads)
    while not batch.finished:
        train_batch(*arrays, config, n, batch.iterations, batch.statuses, batch.errors)
    return (*arrays, batch.iterations, batch.statuses, batch.errors)


def assert_same_runs(config, seeds, n=5_000, start=None):
    """Both kernels give the same arrays, bit for bit; returns the statuses."""
    lanes = train(kernel_lanes.train_batch, config, seeds, n, start)
    one_by_one = train(kernel.train_batch, config, seeds, n, start)
    assert kernel_lanes.failure() is None
    for name, ours, theirs in zip(("params", "grads", "deltas", "iterations", "statuses",
                                   "errors"), lanes, one_by_one):
        np.testing.assert_array_equal(ours, theirs, err_msg=name)  # nan where nan
    return lanes[4]


@pytest.mark.parametrize("hidden", [1, 2, 3, 4])
@pytest.mark.parametrize("bias_update", ["summed", "per-neuron"])
def test_lanes_equal_one_network_at_a_time(hidden, bias_update):
    # the bias sum over the 4·H hidden deltas takes every branch of numpy's summation:
    # sequential (4), one block of 8, a block and a rest (12), two blocks (16)
    config = TrainingConfig(hidden=(hidden,), bias_update=bias_update, learning_rate=5.0,
                            max_iterations=6_000)
    statuses = assert_same_runs(config, range(3 * LANES + 3))
    # networks stop at different times, so lanes are refilled (one unit cannot learn XOR)
    assert kernel.CONVERGED in statuses if hidden > 1 else set(statuses) == {
        kernel.MAX_ITERATIONS}


def test_the_tutorials_networks_in_short_calls():
    # calls of 777 updates end in the middle of runs; lanes are refilled and handed back
    config = PRESETS["tutorial"].replace(max_iterations=20_000)
    assert_same_runs(config, range(40), n=777)


def test_far_exponents_and_a_diverging_network():
    def start(params, grads):
        params[1:] *= 1000.0  # e^x far outside its fast path, |x| >= 512: libm's
        params[0], grads[0] = -1.7e308, 1e308  # the first step overflows

    config = TrainingConfig(learning_rate=2.0, max_iterations=300)
    statuses = assert_same_runs(config, range(LANES + 2), n=70, start=start)
    assert statuses[0] == kernel.DIVERGED
    assert kernel.MAX_ITERATIONS in statuses


def test_other_networks_are_trained_one_at_a_time():
    config = PRESETS["tutorial"].replace(loss="cross-entropy", max_iterations=3_000)
    assert in_lanes(PRESETS["wide"]) and not in_lanes(config)
    assert not in_lanes(PRESETS["tanh"]) and not in_lanes(PRESETS["deep3-sigmoid"])
    assert_same_runs(config, range(LANES + 1), n=1_000)


def test_a_lanes_loop_that_cannot_be_had_leaves_one_at_a_time(monkeypatch, capsys):
    def broken(*arguments):
        raise RuntimeError("no vector loop today")

    monkeypatch.setattr(kernel_lanes, "_train", broken)
    monkeypatch.setattr(kernel_lanes, "_state", {"ready": False, "failure": None})
    config = PRESETS["tutorial"].replace(max_iterations=3_000)
    lanes = train(kernel_lanes.train_batch, config, range(12), 1_000)
    one_by_one = train(kernel.train_batch, config, range(12), 1_000)
    for ours, theirs in zip(lanes, one_by_one):
        np.testing.assert_array_equal(ours, theirs)
    assert capsys.readouterr().err.count("training in lanes unavailable") == 1
