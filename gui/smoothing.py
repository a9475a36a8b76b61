"""Display smoothing for the error curve (no training maths: only what is drawn)."""

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
    smoothed = np.empty_like(values)
    last = 0.0
    for i, value in enumerate(values):
        last = weight * last + (1.0 - weight) * value
        smoothed[i] = last
    return smoothed / (1.0 - weight ** np.arange(1, values.size + 1))
