"""BatchedTrainer: many seeds at once, each network equal to its own single Trainer run."""

import numpy as np
import pytest

from engine.batched import BatchedTrainer
from engine.config import PRESETS, TrainingConfig
from engine.layout import flatten
from engine.trainer import Status, Trainer

pytest.importorskip("numba")


def assert_matches_single_runs(batch, config, seeds):
    for k, seed in enumerate(seeds):
        single = Trainer(config.replace(seed=seed), compiled=True)
        single.run()
        assert batch.iterations[k] == single.iteration, seed
        assert batch.status(k) is single.status, seed
        assert np.array_equal(batch.parameters[k], flatten(single.layers)), seed
        assert batch.errors[k] == pytest.approx(single.error, rel=1e-12, abs=0), seed


def test_starts_like_single_trainers():
    config = TrainingConfig(hidden=(3, 2), init="xavier", activation="tanh")
    batch = BatchedTrainer(config, [0, 5, 9])
    for k, seed in enumerate([0, 5, 9]):
        assert np.array_equal(batch.parameters[k], flatten(Trainer(config.replace(
            seed=seed)).layers))


def test_each_network_stops_on_its_own():
    # seeds converge at different iterations, some hit the limit first
    config = PRESETS["wide"].replace(max_iterations=12_500)
    seeds = [0, 1, 4, 9, 11]
    batch = BatchedTrainer(config, seeds, threads=1)
    batch.run(chunk=3_000)
    assert batch.finished
    assert len(set(batch.iterations.tolist())) > 2
    assert {batch.status(k) for k in range(len(seeds))} == {
        Status.CONVERGED, Status.MAX_ITERATIONS}
    assert_matches_single_runs(batch, config, seeds)


@pytest.mark.parametrize("config", [
    TrainingConfig(activation="relu", init="xavier", hidden=(4,), learning_rate=0.05,
                   loss="cross-entropy", bias_update="summed", max_iterations=3000),
    TrainingConfig(activation="tanh", init="xavier", hidden=(3, 4, 2), learning_rate=0.1,
                   max_iterations=2000),
    TrainingConfig(activation="relu", learning_rate=1e308, loss="cross-entropy",
                   bias_update="summed", max_iterations=50),
])
def test_batched_equals_single_runs(config):
    seeds = list(range(6))
    batch = BatchedTrainer(config, seeds, threads=2)
    batch.run(chunk=777)
    assert_matches_single_runs(batch, config, seeds)


def test_threads_do_not_change_results():
    config = PRESETS["tutorial"].replace(max_iterations=2000)
    seeds = list(range(300))
    one = BatchedTrainer(config, seeds, threads=1)
    two = BatchedTrainer(config, seeds, threads=2)
    one.run()
    two.run()
    assert np.array_equal(one.parameters, two.parameters)
    assert np.array_equal(one.iterations, two.iterations)


def test_numpy_fallback_gives_the_same_runs():
    config = PRESETS["per-neuron"].replace(max_iterations=300)
    compiled = BatchedTrainer(config, [3, 4])
    reference = BatchedTrainer(config, [3, 4], compiled=False)
    compiled.run()
    reference.run()
    assert np.array_equal(compiled.iterations, reference.iterations)
    scale = np.max(np.abs(reference.parameters))
    assert np.all(np.abs(compiled.parameters - reference.parameters) <= 1e-12 * scale)
