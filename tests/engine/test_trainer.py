import numpy as np
import pytest

from engine.config import PRESETS, TrainingConfig
from engine.layout import flatten, parameter_groups
from engine.trainer import Status, Trainer


def test_same_seed_gives_an_identical_run():
    config = TrainingConfig(hidden=(3,), learning_rate=0.5, seed=5)
    first, second = Trainer(config), Trainer(config)
    first.step(500)
    second.step(500)
    assert np.array_equal(flatten(first.layers), flatten(second.layers))
    assert first.error == second.error


def test_other_seed_gives_another_start():
    a = Trainer(TrainingConfig(seed=1))
    b = Trainer(TrainingConfig(seed=2))
    assert not np.array_equal(flatten(a.layers), flatten(b.layers))


def test_randomness_never_touches_the_global_state():
    np.random.seed(123)
    expected = np.random.random_sample(3)
    np.random.seed(123)
    Trainer(TrainingConfig(seed=9, init="xavier")).step(3)
    assert np.array_equal(np.random.random_sample(3), expected)


def test_step_counts_updates_and_stops_at_max_iterations():
    trainer = Trainer(PRESETS["tutorial"].replace(max_iterations=250))
    assert trainer.step(100) == 100
    assert trainer.iteration == 100
    assert trainer.status is Status.RUNNING
    assert trainer.step(1000) == 150
    assert trainer.status is Status.MAX_ITERATIONS
    assert trainer.step(10) == 0


def test_step_stops_early_on_convergence():
    trainer = Trainer(TrainingConfig(learning_rate=2.0, target_error=1e-2, seed=1))
    done = trainer.step(10**6)
    assert trainer.status is Status.CONVERGED
    assert done == trainer.iteration < 10**6
    assert trainer.error < 1e-2


@pytest.mark.parametrize("compiled", [False, None])
@pytest.mark.filterwarnings("error")
def test_divergence_keeps_the_last_finite_parameters(compiled):
    # the first update overflows the output weights to inf
    config = TrainingConfig(activation="relu", learning_rate=1e308, loss="cross-entropy",
                            max_iterations=100)
    trainer = Trainer(config, compiled=compiled)
    trainer.run()
    assert trainer.status is Status.DIVERGED
    assert np.all(np.isfinite(flatten(trainer.layers)))
    assert np.isfinite(trainer.error)
    assert trainer.step(5) == 0


def test_learning_rate_changes_mid_run_without_restart():
    trainer = Trainer(PRESETS["tutorial"])
    trainer.step(10)
    before = flatten(trainer.layers)
    trainer.reconfigure(trainer.config.replace(learning_rate=0.5))
    trainer.step(1)
    assert trainer.iteration == 11
    step = before - flatten(trainer.layers)
    reference = Trainer(PRESETS["tutorial"])
    reference.step(11)
    assert not np.allclose(flatten(reference.layers), flatten(trainer.layers))
    assert np.abs(step).max() > 0


def test_reconfigure_refuses_changes_that_need_a_new_network():
    trainer = Trainer(PRESETS["tutorial"])
    with pytest.raises(ValueError, match="new network"):
        trainer.reconfigure(trainer.config.replace(hidden=(3,)))


def test_raising_the_target_marks_a_run_converged():
    trainer = Trainer(PRESETS["tutorial"])
    trainer.step(10)
    trainer.reconfigure(trainer.config.replace(target_error=0.5))
    assert trainer.status is Status.CONVERGED


def test_snapshot_is_an_immutable_copy():
    trainer = Trainer(PRESETS["tutorial"])
    snapshot = trainer.snapshot()
    weights = snapshot.layers[0][0].copy()
    trainer.step(50)
    assert np.array_equal(snapshot.layers[0][0], weights)
    assert snapshot.iteration == 0
    for array in (snapshot.layers[0][0], snapshot.gradients[1][1], snapshot.deltas[0],
                  snapshot.predictions, snapshot.history.error):
        with pytest.raises(ValueError):
            array[...] = 0
    later = trainer.snapshot()
    assert later.iteration == 50
    assert later.history.iterations[0] == 0 and later.history.iterations[-1] == 50


def test_snapshot_holds_the_tutorials_quantities():
    trainer = Trainer(PRESETS["tutorial"])
    snapshot = trainer.snapshot()
    assert [d.shape for d in snapshot.deltas] == [(4, 2), (4, 1)]
    assert [(g[0].shape, g[1].shape) for g in snapshot.gradients] == [
        ((2, 2), (1, 2)), ((2, 1), (1, 1))]
    assert snapshot.predictions.shape == (4, 1)
    n = len(parameter_groups(trainer.config.layer_sizes))
    assert n == 9
    assert snapshot.history.parameters.shape[1] == n
    assert snapshot.history.deltas.shape[1] == 12
    assert snapshot.error == pytest.approx(0.5 * np.mean((trainer.y - snapshot.predictions) ** 2))


def test_loaded_layers_must_fit_the_configuration():
    with pytest.raises(ValueError, match="shape"):
        Trainer(TrainingConfig(), layers=[(np.zeros((2, 3)), np.zeros((1, 3))),
                                          (np.zeros((3, 1)), np.zeros((1, 1)))])
