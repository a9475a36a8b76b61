"""Helpers shared by the engine's tests."""

import numpy as np
import pytest

ROWS = ("parameters", "gradients", "deltas", "outputs")
HISTORY_ROWS = ("iterations", "error", "gradients", "parameters", "deltas")


def _assert_same_state(first, second):
    """Every number of two TrainerStates equal, bit for bit."""
    assert (first.iteration, first.status, first.error) == (
        second.iteration, second.status, second.error)
    for name in ROWS:
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    a, b = first.history, second.history
    assert (a.count, a.stride, a.capacity) == (b.count, b.stride, b.capacity)
    for name in HISTORY_ROWS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), f"history {name}"


@pytest.fixture
def assert_same_state():
    """``assert_same_state(first, second)``: two TrainerStates are equal bit for bit."""
    return _assert_same_state


@pytest.fixture
def overflowing_relu():
    """(config, layers) of a diverging ReLU network: finite θ whose activations overflow,
    as a learning rate of 1e300 leaves it."""
    from engine.config import PRESETS

    config = PRESETS["tutorial"].replace(hidden=(4, 4), activation="relu")
    layers = [(np.full((2, 4), 1e200), np.zeros((1, 4))),
              (np.full((4, 4), 1e200), np.zeros((1, 4))), (np.ones((4, 1)), np.zeros((1, 1)))]
    return config, layers
