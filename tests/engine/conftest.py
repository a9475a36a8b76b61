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
