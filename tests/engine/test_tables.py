"""CSV tables: names in layout order, one row per recorded point, numbers that read back."""

import csv
import io

import numpy as np

from engine.config import PRESETS
from engine.grid import decision_grid, grid_axes
from engine.layout import parameter_names
from engine.tables import grid_csv, history_csv
from engine.trainer import Trainer

TUTORIAL_NAMES = parameter_names((2, 2, 1))


def read(text: str) -> tuple[list[str], np.ndarray]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], np.array([[float(value) for value in row] for row in rows[1:]])


def test_history_csv_has_one_row_per_point_and_reads_back_exactly():
    trainer = Trainer(PRESETS["tutorial"], history_capacity=64)
    trainer.step(5_001)
    history = trainer.snapshot().history
    header, table = read(history_csv(history, (2, 2, 1)))
    assert header == ["iteration", "error", *(f"dE/d{name}" for name in TUTORIAL_NAMES),
                      *TUTORIAL_NAMES]
    # every recorded point, then the current state (5,001 is off the stride)
    assert len(table) == trainer.history.count + 1 == len(history)
    assert table[-1, 0] == 5_001
    assert np.array_equal(table[:, 0], history.iterations)
    assert np.array_equal(table[:, 1], history.error)
    assert np.array_equal(table[:, 2:11], history.gradients)
    assert np.array_equal(table[:, 11:], history.parameters)


def test_grid_csv_lists_every_cell_centre_with_its_output():
    trainer = Trainer(PRESETS["tutorial"])
    trainer.step(2_000)
    grid = decision_grid(trainer.layers, "sigmoid", resolution=8)
    header, table = read(grid_csv(grid))
    assert header == ["x1", "x2", "output"] and len(table) == 64
    xs, ys = grid_axes(8)
    i, j = 5, 2  # grid[i, j] is the output at (xs[j], ys[i])
    assert table[i * 8 + j, 0] == xs[j] and table[i * 8 + j, 1] == ys[i]
    assert np.array_equal(table[:, 2].astype(np.float32), grid.ravel())
