"""Smoothing of a curve for display: the error panel's EWMA."""

import numpy as np


def ewma(values, weight: float) -> np.ndarray:
    """Exponential moving average, bias-corrected as in TensorBoard's scalar dashboard.

    s_i = w·s_{i-1} + (1 − w)·v_i with s_{-1} = 0, shown as s_i / (1 − w^{i+1}) so that the
    first points are not pulled towards zero. ``weight`` 0 returns the values unchanged.
    """
    values = np.asarray(values, dtype=np.float64)
    if weight <= 0.0 or values.size == 0:
        return values.copy()
    if not 0.0 < weight < 1.0:
        raise ValueError(f"smoothing weight must be in [0, 1) (got {weight})")
    smoothed = []
    last = 0.0
    keep = 1.0 - weight
    for value in values.tolist():  # plain floats: ~10x faster than indexing the array
        last = weight * last + keep * value
        smoothed.append(last)
    return np.array(smoothed) / (1.0 - weight ** np.arange(1, values.size + 1))
