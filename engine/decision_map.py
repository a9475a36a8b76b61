"""The decision map of one network: its output over the input plane, the output's 0.5
isoline and the first hidden layer's units, computed together so that they always agree."""

from dataclasses import dataclass

import numpy as np

from engine.grid import (
    decision_grid,
    firing_side,
    hidden_lines,
    isoline,
    label_point,
    line_segment,
)

GRID_RESOLUTION = 96


@dataclass(frozen=True)
class HiddenUnit:
    """A first-hidden-layer unit on the decision map, each part None where it misses the
    box: ``segment`` its line w·x + b = 0 inside it ((x0, y0), (x1, y1)), ``firing`` the
    polygon where w·x + b > 0 (corners (k, 2)), ``label_at`` where its name goes."""

    segment: tuple | None
    firing: np.ndarray | None
    label_at: tuple | None


@dataclass(frozen=True)
class DecisionMap:
    """The output over the input plane for the parameters of ``iteration``: ``grid`` (R, R)
    as ``engine.grid.decision_grid``, ``contour`` its 0.5 isoline as segments (xs, ys), and
    ``units`` the first hidden layer's HiddenUnits, drawn with the map they belong to."""

    grid: np.ndarray
    iteration: int
    contour: tuple
    units: tuple


def decision_map(snapshot) -> DecisionMap:
    """The decision map of ``snapshot``'s parameters."""
    layers, activation = snapshot.layers, snapshot.config.activation
    grid = decision_grid(layers, activation, GRID_RESOLUTION)
    contour = isoline(grid)
    for array in (grid, *contour):
        array.setflags(write=False)
    units = tuple(HiddenUnit(line_segment(line), firing_side(line), label_point(line))
                  for line in hidden_lines(layers))
    return DecisionMap(grid, snapshot.iteration, contour, units)
