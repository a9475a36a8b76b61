"""Smoothing of a curve for display: the error panel's EWMA."""

import math

import numpy as np

#: Each block of the vectorised EWMA scales its values by at most this (far from overflow).
_MAX_GROWTH = 1e150


def ewma(values, weight: float) -> np.ndarray:
    """Exponential moving average, bias-corrected as in TensorBoard's scalar dashboard.

    s_i = w·s_{i-1} + (1 − w)·v_i with s_{-1} = 0, shown as s_i / (1 − w^{i+1}) so that the
    first points are not pulled towards zero. ``weight`` 0 returns the values unchanged.

    Vectorised in blocks: within a block starting at i₀ (k = i − i₀),
    s_i = w^k·(w·s_{i₀−1} + (1 − w)·Σ_{m≤k} w^{−m}·v_{i₀+m}), blocks short enough that w^{−m}
    stays finite.
    """
    values = np.asarray(values, dtype=np.float64)
    if weight <= 0.0 or values.size == 0:
        return values.copy()
    if not 0.0 < weight < 1.0:
        raise ValueError(f"smoothing weight must be in [0, 1) (got {weight})")
    block = max(1, int(math.log(_MAX_GROWTH) / -math.log(weight)))
    smoothed = np.empty_like(values)
    last = 0.0
    for start in range(0, values.size, block):
        chunk = values[start:start + block]
        powers = weight ** np.arange(chunk.size)  # w^k
        run = powers * (weight * last + (1.0 - weight) * np.cumsum(chunk / powers))
        smoothed[start:start + chunk.size] = run
        last = run[-1]
    return smoothed / (1.0 - weight ** np.arange(1, values.size + 1))
