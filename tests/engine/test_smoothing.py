import numpy as np
import pytest

from engine.smoothing import ewma


def test_zero_weight_returns_the_values():
    values = np.array([3.0, 1.0, 2.0])
    assert np.array_equal(ewma(values, 0.0), values)


def test_bias_correction_keeps_a_constant_series_constant():
    assert np.allclose(ewma(np.full(50, 0.25), 0.99), 0.25)


def test_smoothing_follows_the_tensorboard_formula():
    values = np.array([1.0, 0.0])
    # s0 = 0.5·1 → 0.5 / (1 − 0.5) = 1; s1 = 0.5·0.5 + 0 = 0.25 → 0.25 / (1 − 0.25) = 1/3
    assert np.allclose(ewma(values, 0.5), [1.0, 1 / 3])


def test_weight_of_one_is_rejected():
    with pytest.raises(ValueError):
        ewma([1.0], 1.0)


@pytest.mark.parametrize("weight", [0.01, 0.3, 0.6, 0.99])
def test_the_vectorised_average_equals_the_recurrence(weight):
    values = np.random.RandomState(0).lognormal(-5, 3, size=2000)
    last, expected = 0.0, []
    for i, value in enumerate(values):
        last = weight * last + (1 - weight) * value
        expected.append(last / (1 - weight ** (i + 1)))
    assert np.allclose(ewma(values, weight), expected, rtol=1e-12, atol=0)
