import numpy as np
import pytest

from engine.config import TrainingConfig
from engine.history import History
from engine.trainer import Trainer


def feed(history, iterations):
    for i in range(iterations + 1):
        if history.wants(i):
            history.record(i, 1.0 / (i + 1), np.full(2, i), np.full(2, -i), np.full(3, i))


def test_a_million_updates_stay_within_capacity_with_first_and_last_points():
    history = History(n_parameters=2, n_deltas=3, capacity=256)
    feed(history, 10**6)
    assert history.count <= 256
    view = history.view(10**6, 1e-6, np.zeros(2), np.zeros(2), np.zeros(3))
    assert len(view) <= 257
    assert view.iterations[0] == 0
    assert view.iterations[-1] == 10**6
    assert np.all(np.diff(view.iterations) > 0)
    # evenly spread over the whole run, not bunched at the start
    assert view.iterations[history.count // 2] > 10**6 // 4


def test_points_keep_their_values_through_decimation():
    history = History(n_parameters=2, n_deltas=3, capacity=8)
    feed(history, 1000)
    for k in range(history.count):
        i = history.iterations[k]
        assert history.error[k] == 1.0 / (i + 1)
        assert history.gradients[k, 0] == i and history.parameters[k, 1] == -i


def test_view_does_not_repeat_the_latest_recorded_point():
    history = History(n_parameters=2, n_deltas=3, capacity=8)
    feed(history, 4)
    view = history.view(4, 0.2, np.full(2, 4), np.full(2, -4), np.full(3, 4))
    assert view.iterations.tolist() == [0, 1, 2, 3, 4]


def test_trainer_history_is_bounded():
    trainer = Trainer(TrainingConfig(target_error=1e-12, max_iterations=5000),
                      history_capacity=16)
    trainer.run()
    view = trainer.snapshot().history
    assert len(view) <= 17
    assert view.iterations[0] == 0 and view.iterations[-1] == 5000
    assert view.error[-1] == trainer.error


def test_a_million_trainer_updates_keep_history_bounded():
    config = TrainingConfig(target_error=1e-12, max_iterations=10**6)
    trainer = Trainer(config, history_capacity=512)
    assert trainer.run().value == "max_iterations"
    view = trainer.snapshot().history
    assert len(view) <= 513 and trainer.history.count <= 512
    assert view.iterations[0] == 0 and view.iterations[-1] == 10**6
    assert view.error[0] == Trainer(config).error
    assert view.error[-1] == trainer.error


def test_capacity_must_be_even_and_useful():
    with pytest.raises(ValueError):
        History(2, 3, capacity=7)


def test_count_and_stride_live_in_the_buffers_the_kernel_updates():
    history = History(n_parameters=2, n_deltas=3, capacity=8)
    feed(history, 20)
    assert history.buffers.state.tolist() == [history.count, history.stride]
    assert (history.count, history.stride) == (6, 4)
    history.buffers.state[:] = (2, 8)  # as the compiled kernel does
    assert (history.count, history.stride) == (2, 8)
    assert history.buffers.iterations is history.iterations
