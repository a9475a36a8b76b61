"""Read-only copies: what a frame, a snapshot or a result hands to another thread must not
change under it (the engine goes on mutating its own arrays)."""

import numpy as np


def frozen_copy(array, dtype=np.float64) -> np.ndarray:
    """A read-only copy of ``array`` as ``dtype`` (None: its own)."""
    copy = np.array(array, dtype=dtype, copy=True)
    copy.setflags(write=False)
    return copy
