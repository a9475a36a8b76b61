import numpy as np
import pytest

from engine.datasets import GATES, dataset

EXPECTED = {
    "xor": lambda a, b: a != b,
    "and": lambda a, b: a and b,
    "or": lambda a, b: a or b,
    "nand": lambda a, b: not (a and b),
    "nor": lambda a, b: not (a or b),
    "xnor": lambda a, b: a == b,
}


@pytest.mark.parametrize("gate", GATES)
def test_truth_tables_in_the_tutorial_order(gate):
    x, y = dataset(gate)
    assert x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.shape == (4, 1)
    assert y.ravel().tolist() == [float(EXPECTED[gate](bool(a), bool(b))) for a, b in x]


def test_dataset_returns_copies():
    x, y = dataset("xor")
    x[:] = 7
    assert dataset("xor")[0].max() == 1


def test_unknown_gate_is_named():
    with pytest.raises(ValueError, match="'xand'"):
        dataset("xand")


def test_all_six_gates_exist():
    assert set(GATES) == set(EXPECTED)
    assert np.array_equal(dataset("xor")[1], 1 - dataset("xnor")[1])
