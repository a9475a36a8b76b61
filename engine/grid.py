"""What the decision-region panel draws: the output over the input plane, hidden-unit lines."""

import numpy as np

from engine.network import predict

#: (x_min, x_max, y_min, y_max) of the tutorial's decision plot: each input ±1 around [0, 1].
DEFAULT_BOX = (-1.0, 2.0, -1.0, 2.0)


def grid_axes(resolution: int, box=DEFAULT_BOX) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the ``resolution`` cells along x and along y."""
    x_min, x_max, y_min, y_max = box
    half_x = (x_max - x_min) / (2 * resolution)
    half_y = (y_max - y_min) / (2 * resolution)
    xs = np.linspace(x_min + half_x, x_max - half_x, resolution)
    ys = np.linspace(y_min + half_y, y_max - half_y, resolution)
    return xs, ys


def decision_grid(layers, activation, resolution: int = 96, box=DEFAULT_BOX) -> np.ndarray:
    """Network output at the centre of each cell of a resolution × resolution mesh.

    Row-major float32 array: ``grid[i, j]`` is the output at (xs[j], ys[i]), so row 0 is the
    bottom of the box (y_min) and column 0 its left edge (x_min).
    """
    if resolution < 2:
        raise ValueError(f"grid resolution must be at least 2 (got {resolution})")
    xs, ys = grid_axes(resolution, box)
    mesh_x, mesh_y = np.meshgrid(xs, ys)  # (R, R) each
    points = np.column_stack([mesh_x.ravel(), mesh_y.ravel()])  # (R², 2)
    return predict(layers, points, activation).reshape(resolution, resolution).astype(np.float32)


def hidden_lines(layers):
    """Each first-hidden-layer unit's line w₁x₁ + w₂x₂ + b = 0 as (w₁, w₂, b), or None if w = 0."""
    w, b = layers[0]
    lines = []
    for unit in range(w.shape[1]):
        w1, w2, bias = float(w[0, unit]), float(w[1, unit]), float(b[0, unit])
        lines.append(None if w1 == 0.0 and w2 == 0.0 else (w1, w2, bias))
    return lines


def line_segment(line, box=DEFAULT_BOX):
    """The part of ``line`` (w₁, w₂, b) inside ``box`` as ((x0, y0), (x1, y1)), or None."""
    if line is None:
        return None
    w1, w2, bias = line
    x_min, x_max, y_min, y_max = box
    points = []
    if w2 != 0.0:
        points += [(x, -(w1 * x + bias) / w2) for x in (x_min, x_max)]
    if w1 != 0.0:
        points += [(-(w2 * y + bias) / w1, y) for y in (y_min, y_max)]
    eps = 1e-12 * max(1.0, x_max - x_min, y_max - y_min)
    inside = sorted({(x, y) for x, y in points
                     if x_min - eps <= x <= x_max + eps and y_min - eps <= y <= y_max + eps})
    if len(inside) < 2:
        return None
    return inside[0], inside[-1]
