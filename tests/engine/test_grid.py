import numpy as np
import pytest

from engine.config import PRESETS
from engine.grid import (
    DEFAULT_BOX,
    decision_grid,
    firing_side,
    grid_axes,
    hidden_lines,
    isoline,
    label_point,
    line_segment,
)
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


def test_isoline_of_a_linear_field_is_its_level_line_across_the_sampled_box():
    xs, ys = grid_axes(40)
    mesh_x, mesh_y = np.meshgrid(xs, ys)
    slope, intercept = 0.5, 0.2  # the line y = 0.5x + 0.2 crosses the box left to right
    field = 0.5 + 0.3 * (slope * mesh_x + intercept - mesh_y)
    line_x, line_y = isoline(field)
    # linear interpolation is exact on a linear field
    assert np.allclose(line_y, slope * line_x + intercept, atol=1e-12)
    # the segments cover the line from the first sampled x to the last, without overlap
    starts = np.column_stack([line_x[::2], line_y[::2]])
    ends = np.column_stack([line_x[1::2], line_y[1::2]])
    length = np.linalg.norm(ends - starts, axis=1).sum()
    assert length == pytest.approx(np.hypot(xs[-1] - xs[0], slope * (xs[-1] - xs[0])),
                                   rel=1e-9)
    assert line_x.min() == pytest.approx(xs[0]) and line_x.max() == pytest.approx(xs[-1])


def test_isoline_splits_a_saddle_cell_the_way_its_centre_lies():
    # corners (0,0) and (1,1) high, the other two low; the box maps index i to x = i.
    box = (-0.5, 1.5, -0.5, 1.5)
    high_centre = np.array([[0.9, 0.3], [0.3, 0.9]])  # mean 0.6: the high corners join
    xs, ys = isoline(high_centre, box=box)
    cut = sorted(tuple(sorted(zip(np.round(xs[k:k + 2], 6), np.round(ys[k:k + 2], 6))))
                 for k in (0, 2))
    # the low corners (1, 0) and (0, 1) are cut off
    assert cut == [((0.0, 0.666667), (0.333333, 1.0)), ((0.666667, 0.0), (1.0, 0.333333))]
    low_centre = np.array([[0.9, 0.1], [0.1, 0.9]])  # mean 0.5 ≥ 0.5 still joins them …
    assert len(isoline(low_centre, box=box)[0]) == 4
    joined_low = np.array([[0.6, 0.1], [0.1, 0.6]])  # … mean 0.35: the high corners are cut off
    xs, ys = isoline(joined_low, box=box)
    cut = sorted(tuple(sorted(zip(np.round(xs[k:k + 2], 6), np.round(ys[k:k + 2], 6))))
                 for k in (0, 2))
    assert cut == [((0.0, 0.2), (0.2, 0.0)), ((0.8, 1.0), (1.0, 0.8))]


def test_isoline_of_the_trained_tutorial_network_is_where_it_outputs_one_half():
    trainer = Trainer(PRESETS["tutorial"])
    trainer.run()
    grid = decision_grid(trainer.layers, "sigmoid")
    xs, ys = isoline(grid)
    assert len(xs) > 200  # two bands' edges across the box, 96 cells a side
    output = predict(trainer.layers, np.column_stack([xs, ys]), "sigmoid")
    assert np.abs(output - 0.5).max() < 0.01
    assert isoline(np.full((10, 10), 0.2, dtype=np.float32))[0].size == 0


def _area(polygon: np.ndarray) -> float:
    """Signed area (shoelace): positive when the corners run anticlockwise."""
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def test_firing_side_is_the_part_of_the_box_where_the_unit_fires():
    line = (1.0, 1.0, -1.0)  # x₁ + x₂ > 1: the box's top right, above the anti-diagonal
    polygon = firing_side(line)
    w1, w2, b = line
    assert np.all(polygon @ np.array([w1, w2]) + b >= -1e-12)  # every corner on that side
    # its corners: the line's two ends and the three box corners beyond the line
    corners = sorted(map(tuple, np.round(polygon, 9)))
    assert corners == [(-1.0, 2.0), (2.0, -1.0), (2.0, 2.0)]
    assert _area(polygon) == pytest.approx(4.5)  # half the 3 × 3 box, anticlockwise
    flipped = firing_side((-1.0, -1.0, 1.0))  # the same line, firing below it
    assert _area(flipped) == pytest.approx(4.5)
    assert np.all(flipped.sum(axis=1) <= 1 + 1e-12)
    assert firing_side((1.0, 0.0, 10.0)) is not None  # fires over the whole box
    assert _area(firing_side((1.0, 0.0, 10.0))) == pytest.approx(9.0)
    assert firing_side((1.0, 0.0, -10.0)) is None  # fires nowhere in it
    assert firing_side(None) is None


def test_a_lines_label_sits_inside_the_box_on_its_firing_side_near_an_end():
    x_min, x_max, y_min, y_max = DEFAULT_BOX
    for line in ((1.0, 1.0, -1.0), (-1.0, -1.0, 1.5), (0.0, 2.0, -1.0), (3.0, -1.0, 0.2)):
        x, y = label_point(line)
        w1, w2, b = line
        assert w1 * x + w2 * y + b > 0
        assert x_min < x < x_max and y_min < y < y_max
        (x0, y0), (x1, y1) = line_segment(line)
        top = max((x0, y0), (x1, y1), key=lambda p: (p[1], p[0]))
        assert np.hypot(x - top[0], y - top[1]) < 0.5  # near that end
    assert label_point((1.0, 0.0, -10.0)) is None  # the line misses the box
