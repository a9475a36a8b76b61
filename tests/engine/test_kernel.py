"""The compiled kernel (engine/kernel.py) against the numpy reference path of Trainer."""

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.config import PRESETS, TrainingConfig
from engine.layout import flatten
from engine.trainer import Status, Trainer

pytest.importorskip("numba")

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL_PREDICTIONS = [0.01505756, 0.98652214, 0.98652109, 0.01448912]


def close(reference, other, rtol=1e-12):
    """Equal to ``rtol`` relative to the largest magnitude of the reference."""
    reference, other = np.asarray(reference), np.asarray(other)
    assert reference.shape == other.shape
    scale = np.max(np.abs(reference)) if reference.size else 0.0
    return np.all(np.abs(reference - other) <= rtol * scale)


def both(config, n=None, **kwargs):
    """The same run on the numpy path and the compiled path."""
    numpy_run = Trainer(config, compiled=False, **kwargs)
    compiled_run = Trainer(config, compiled=True, **kwargs)
    for trainer in (numpy_run, compiled_run):
        if n is None:
            trainer.run()
        else:
            trainer.step(n)
    return numpy_run, compiled_run


def assert_same_run(reference, compiled):
    assert compiled.iteration == reference.iteration
    assert compiled.status is reference.status
    assert close(flatten(reference.layers), flatten(compiled.layers))
    assert close([reference.error], [compiled.error])
    assert close(flatten(reference.grads), flatten(compiled.grads), 1e-10)
    assert close(flatten([reference.deltas]), flatten([compiled.deltas]), 1e-10)
    assert close(reference.predictions, compiled.predictions)
    expected, got = reference.snapshot().history, compiled.snapshot().history
    assert np.array_equal(expected.iterations, got.iterations)
    assert close(expected.error, got.error)
    assert close(expected.parameters, got.parameters)
    # gradients and deltas are differences of nearly equal terms: compare on their scale
    assert close(expected.gradients, got.gradients, 1e-10)
    assert close(expected.deltas, got.deltas, 1e-10)


CASES = list(itertools.product(("sigmoid", "tanh", "relu"), ("mse", "cross-entropy"),
                               ("per-neuron", "summed"), ((2,), (3, 4), (16, 5, 3))))


@pytest.mark.parametrize(("activation", "loss", "bias_update", "hidden"), CASES)
def test_compiled_matches_numpy_on_short_runs(activation, loss, bias_update, hidden):
    config = TrainingConfig(
        activation=activation, loss=loss, bias_update=bias_update, hidden=hidden,
        init="uniform" if activation == "sigmoid" else "xavier", learning_rate=0.1, seed=7,
        max_iterations=2000)
    # a small history so that the stride doubles several times during the run
    reference, compiled = both(config, history_capacity=64)
    assert_same_run(reference, compiled)


def test_four_hidden_layers_of_sixteen():
    config = TrainingConfig(hidden=(16, 16, 16, 16), learning_rate=0.05, seed=3,
                            activation="tanh", init="xavier", max_iterations=300)
    assert_same_run(*both(config))


@pytest.mark.parametrize("name", ["relu", "wide", "per-neuron"])
def test_compiled_converges_at_the_same_iteration(name):
    reference, compiled = both(PRESETS[name])
    assert reference.status is Status.CONVERGED
    assert_same_run(reference, compiled)


def test_deep_cross_entropy_converges_at_the_same_iteration():
    config = TrainingConfig(activation="tanh", init="xavier", hidden=(4, 3),
                            loss="cross-entropy", learning_rate=0.2, seed=5)
    reference, compiled = both(config)
    assert reference.status is Status.CONVERGED
    assert_same_run(reference, compiled)


def test_compiled_reproduces_the_tutorial():
    trainer = Trainer(PRESETS["tutorial"], compiled=True)
    assert trainer.run() is Status.CONVERGED
    assert trainer.iteration == 390_111
    assert np.allclose(trainer.predictions.ravel(), TUTORIAL_PREDICTIONS, rtol=0, atol=1e-8)
    history = trainer.snapshot().history
    assert history.iterations[0] == 0 and history.iterations[-1] == 390_111
    assert len(history) <= trainer.history.capacity + 1


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's overflow warnings
@pytest.mark.parametrize(("activation", "hidden", "iteration"), [
    ("relu", (2,), 1), ("tanh", (2,), 1), ("sigmoid", (8, 8), 0)])
def test_divergence_is_handled_the_same(activation, hidden, iteration):
    config = TrainingConfig(activation=activation, hidden=hidden, learning_rate=1e308, seed=1,
                            loss="cross-entropy", bias_update="summed", max_iterations=300)
    reference, compiled = both(config)
    assert reference.status is Status.DIVERGED and reference.iteration == iteration
    assert_same_run(reference, compiled)
    assert np.all(np.isfinite(flatten(compiled.layers)))
    assert compiled.step(5) == 0


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_overflowing_first_update_diverges_at_iteration_zero():
    config = TrainingConfig(activation="relu", learning_rate=1e308, loss="cross-entropy",
                            max_iterations=100)
    reference, compiled = both(config)
    assert compiled.status is Status.DIVERGED and compiled.iteration == 0
    assert_same_run(reference, compiled)


@pytest.mark.parametrize("bias_update", ["per-neuron", "summed"])
def test_chunked_stepping_equals_one_big_step(bias_update):
    config = PRESETS["tutorial"].replace(bias_update=bias_update, max_iterations=5000)
    whole = Trainer(config, compiled=True, history_capacity=16)
    whole.step(3000)
    chunked = Trainer(config, compiled=True, history_capacity=16)
    while chunked.iteration < 3000:
        chunked.step(min(7, 3000 - chunked.iteration))
    assert np.array_equal(flatten(whole.layers), flatten(chunked.layers))
    assert whole.error == chunked.error
    a, b = whole.snapshot().history, chunked.snapshot().history
    for field in ("iterations", "error", "gradients", "parameters", "deltas"):
        assert np.array_equal(getattr(a, field), getattr(b, field))


def test_switching_paths_mid_run_continues_the_same_run():
    config = PRESETS["wide"]
    reference = Trainer(config, compiled=False)
    reference.step(400)
    mixed = Trainer(config, compiled=True)
    mixed.step(150)
    mixed.compiled = False
    mixed.step(100)
    mixed.compiled = True
    mixed.step(150)
    assert mixed.iteration == 400
    assert close(flatten(reference.layers), flatten(mixed.layers))


def test_reconfigure_applies_to_the_compiled_path():
    config = PRESETS["tutorial"].replace(max_iterations=1000)
    runs = []
    for compiled in (False, True):
        trainer = Trainer(config, compiled=compiled)
        trainer.step(300)
        trainer.reconfigure(trainer.config.replace(learning_rate=0.5, loss="cross-entropy"))
        trainer.step(300)
        runs.append(trainer)
    assert_same_run(*runs)


def _run_python(code):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)


def test_no_jit_work_before_the_first_step():
    result = _run_python(
        "import sys\n"
        "from engine import PRESETS, Trainer\n"
        "trainer = Trainer(PRESETS['tutorial'])\n"
        "trainer.snapshot()\n"
        "print('numba' in sys.modules, 'engine.kernel' in sys.modules)\n"
        "trainer.step(10)\n"
        "print('engine.kernel' in sys.modules)\n")
    assert result.stdout.split() == ["False", "False", "True"]


def test_without_numba_training_falls_back_to_numpy_with_one_notice():
    result = _run_python(
        "import sys\n"
        "sys.modules['numba'] = None  # import numba now raises ImportError\n"
        "from engine import PRESETS, Trainer\n"
        "from engine.batched import BatchedTrainer\n"
        "for _ in range(2):\n"
        "    trainer = Trainer(PRESETS['wide'])\n"
        "    print(trainer.run().value, trainer.iteration)\n"
        "batch = BatchedTrainer(PRESETS['wide'].replace(max_iterations=50), [1, 2])\n"
        "batch.run()\n"
        "print(batch.iterations.tolist())\n")
    assert result.stdout.split("\n")[:3] == ["converged 12753", "converged 12753", "[50, 50]"]
    notices = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notices) == 1
    assert "numpy" in notices[0]


def test_a_new_process_loads_the_compiled_loops_from_the_disk_cache():
    # Otherwise every start of the app or the train command compiles for seconds again.
    warm_up = (
        "from engine import PRESETS, Trainer\n"
        "from engine.batched import BatchedTrainer\n"
        "for config in (PRESETS['tutorial'], PRESETS['tutorial'].replace(hidden=(2, 2))):\n"
        "    Trainer(config).step(1)\n"
        "    BatchedTrainer(config.replace(max_iterations=2), [0, 1]).run()\n")
    _run_python(warm_up)
    result = _run_python(
        warm_up + "from engine import kernel\n"
        "loops = (kernel._train_shallow, kernel._train_any_depth, kernel._batch_shallow,\n"
        "         kernel._batch_any_depth)\n"
        "print([sum(loop.stats.cache_misses.values()) for loop in loops],\n"
        "      [sum(loop.stats.cache_hits.values()) for loop in loops])\n")
    assert result.stdout.strip() == "[0, 0, 0, 0] [1, 1, 1, 1]"
