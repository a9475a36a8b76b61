import numpy as np
import pytest

from engine.config import PRESETS
from engine.grid import decision_grid, grid_axes, hidden_lines, line_segment
from engine.network import predict
from engine.trainer import Trainer


def test_grid_is_row_major_float32_over_the_tutorial_box():
    trainer = Trainer(PRESETS["tutorial"])
    trainer.step(1000)
    grid = decision_grid(trainer.layers, "sigmoid", resolution=30)
    assert grid.shape == (30, 30) and grid.dtype == np.float32
    xs, ys = grid_axes(30)
    assert xs[0] > -1 and xs[-1] < 2 and ys[0] > -1
    expected = predict(trainer.layers, np.array([[xs[4], ys[20]]]), "sigmoid")[0, 0]
    assert grid[20, 4] == pytest.approx(expected, rel=1e-6)


def test_hidden_lines_and_their_segments():
    layers = [(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[-1.0, 3.0]])),
              (np.ones((2, 1)), np.zeros((1, 1)))]
    lines = hidden_lines(layers)
    assert lines == [(1.0, 1.0, -1.0), None]
    start, end = line_segment(lines[0])
    assert start[0] + start[1] == pytest.approx(1.0)
    assert end[0] + end[1] == pytest.approx(1.0)
    assert line_segment((1.0, 0.0, -10.0)) is None  # x = 10 lies outside the box
    assert line_segment((1.0, 0.0, -0.5)) == ((0.5, -1.0), (0.5, 2.0))
