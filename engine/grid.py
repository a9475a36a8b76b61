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


def isoline(grid: np.ndarray, level: float = 0.5, box=DEFAULT_BOX):
    """The ``level`` isoline of a ``decision_grid`` as line segments in data coordinates.

    Marching squares over the cells between sample centres, interpolating linearly along each
    cell edge; a saddle cell is split the way its centre (the mean of its corners) lies.
    Returns ``(xs, ys)``: segment k joins point 2k to point 2k + 1.
    """
    values = np.asarray(grid, dtype=np.float64)
    rows, columns = values.shape
    # Where each cell edge crosses the level, in (column, row) index units, and whether it does.
    along_x, cross_x = _crossings(values[:, :-1], values[:, 1:], level)   # (R, C-1)
    along_y, cross_y = _crossings(values[:-1, :], values[1:, :], level)   # (R-1, C)
    cell_rows, cell_columns = np.mgrid[0:rows - 1, 0:columns - 1]
    # The four edges of every cell, anticlockwise from the bottom: (R-1, C-1, 4) each.
    edge_x = np.stack([cell_columns + along_x[:-1], cell_columns + 1.0,
                       cell_columns + along_x[1:], cell_columns.astype(np.float64)], axis=-1)
    edge_y = np.stack([cell_rows.astype(np.float64), cell_rows + along_y[:, 1:],
                       cell_rows + 1.0, cell_rows + along_y[:, :-1]], axis=-1)
    crossed = np.stack([cross_x[:-1], cross_y[:, 1:], cross_x[1:], cross_y[:, :-1]], axis=-1)
    count = crossed.sum(axis=-1)

    # Two crossings: one segment between them.
    single = count == 2
    first = np.argmax(crossed[single], axis=-1)
    second = 3 - np.argmax(crossed[single][:, ::-1], axis=-1)
    pairs = [(edge_x[single], edge_y[single], first, second)]
    # Four (a saddle): cut off the two corners that lie on the other side from the centre.
    saddle = count == 4
    corner = values[:-1, :-1][saddle] >= level                # bottom-left
    centre = (values[:-1, :-1] + values[:-1, 1:] + values[1:, :-1] + values[1:, 1:])[saddle]
    joined = corner == (centre / 4 >= level)                  # bottom-left joins top-right
    for a, b in (((0, 3), (0, 1)), ((2, 1), (2, 3))):         # (cut off BL/TR, cut off BR/TL)
        pairs.append((edge_x[saddle], edge_y[saddle],
                      np.where(joined, b[0], a[0]), np.where(joined, b[1], a[1])))

    ends = []
    for xs, ys, start, end in pairs:
        cell = np.arange(len(start))
        ends.append(np.stack([np.column_stack([xs[cell, start], ys[cell, start]]),
                              np.column_stack([xs[cell, end], ys[cell, end]])], axis=1))
    segments = np.concatenate(ends).reshape(-1, 2)           # (2 × segments, 2)
    x_min, x_max, y_min, y_max = box
    # Index i is the centre of cell i: i + 0.5 cell widths from the box's edge.
    xs = x_min + (segments[:, 0] + 0.5) * (x_max - x_min) / columns
    ys = y_min + (segments[:, 1] + 0.5) * (y_max - y_min) / rows
    return xs, ys


def _crossings(start: np.ndarray, end: np.ndarray, level: float):
    """Fraction of the way from ``start`` to ``end`` where the level lies, and whether it does
    (exactly one end at or above it)."""
    crossed = (start >= level) != (end >= level)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(crossed, (level - start) / (end - start), 0.0)
    return fraction, crossed


def firing_side(line, box=DEFAULT_BOX):
    """Where a unit fires: the half-plane w₁x₁ + w₂x₂ + b > 0 of ``line`` (w₁, w₂, b) inside
    ``box``, as the polygon's corners (k, 2) anticlockwise, or None where it misses the box.

    The box clipped by the half-plane (one Sutherland–Hodgman step): each corner on the
    firing side is kept, and each edge the line crosses adds the crossing
    p + t(q − p), t = a(p) / (a(p) − a(q)), a(p) = w·p + b.
    """
    if line is None:
        return None
    w1, w2, bias = line
    x_min, x_max, y_min, y_max = box
    corners = [(x_min, y_min), (x_max, y_min), (x_max, y_max), (x_min, y_max)]
    values = [w1 * x + w2 * y + bias for x, y in corners]
    polygon = []
    for k, (p, a_p) in enumerate(zip(corners, values)):
        q, a_q = corners[(k + 1) % 4], values[(k + 1) % 4]
        if a_p >= 0.0:
            polygon.append(p)
        if (a_p > 0.0 > a_q) or (a_p < 0.0 < a_q):
            t = a_p / (a_p - a_q)
            polygon.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    if len(polygon) < 3:
        return None
    return np.array(polygon)


#: A line's label sits this share of the box's width in from the line's end, and this share
#: off the line on its firing side: near the end, where lines crossing mid-box do not meet.
LABEL_INSET = 0.1
LABEL_OFFSET = 0.06


def label_point(line, box=DEFAULT_BOX):
    """Where to centre the name of ``line``'s unit: on its firing side, near the top end of
    its segment inside ``box`` (the right end of a level line); None when it misses the box."""
    segment = line_segment(line, box)
    if segment is None:
        return None
    w1, w2, _ = line
    x_min, x_max, y_min, y_max = box
    start, end = (np.array(p) for p in sorted(segment, key=lambda p: (p[1], p[0]), reverse=True))
    width = x_max - x_min
    along = end - start
    length = float(np.hypot(*along))
    step = min(LABEL_INSET * width, length / 2)
    point = start + (along / length * step if length > 0.0 else 0.0)
    point = point + LABEL_OFFSET * width * np.array([w1, w2]) / np.hypot(w1, w2)
    inset = LABEL_INSET * width  # a label at 200 % is ~30 px tall: clear of the edges
    return (float(np.clip(point[0], x_min + inset, x_max - inset)),
            float(np.clip(point[1], y_min + inset, y_max - inset)))
