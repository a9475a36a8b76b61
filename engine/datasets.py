"""The two-input logic gates the network can learn, as (inputs, targets) arrays."""

import numpy as np

#: Inputs in the tutorial's order: (0,0), (0,1), (1,0), (1,1).
INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)  # (4, 2)

#: Target column of each gate's truth table, row by row in the order of INPUTS.
TRUTH_TABLES = {
    "xor": (0, 1, 1, 0),
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xnor": (1, 0, 0, 1),
}

GATES = tuple(TRUTH_TABLES)


def dataset(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """Return fresh copies of (x, y) for ``gate``: x is (4, 2), y is (4, 1), both float64."""
    if gate not in TRUTH_TABLES:
        raise ValueError(f"unknown gate {gate!r}; choose one of {', '.join(GATES)}")
    y = np.array(TRUTH_TABLES[gate], dtype=np.float64).reshape(4, 1)  # (4, 1)
    return INPUTS.copy(), y
