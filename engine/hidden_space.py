"""Hidden space: the four training points as the output unit sees them.

The output unit reads the last hidden layer h_{L−1} and fires where w_L·h + b_L > 0
(ŷ = σ(a_L) > 0.5): a straight line in the plane of two hidden units. XOR is not linearly
separable in the input plane; a trained network moves its four points in this plane so
that one line separates the classes. Two units are drawn as they are (h₁, h₂); one unit
against 0; more than two as the plane of their two principal components through the
points' mean, which keeps the most of the points' spread a plane can.
"""

from dataclasses import dataclass

import numpy as np

from engine.anatomy import Anatomy
from engine.arrays import frozen_copy
from engine.grid import line_segment

#: Room around the points, as a share of the box they span: markers drawn at the edge.
MARGIN = 0.1
#: Samples closer than this share of the box (along both axes) are drawn on one spot: one
#: label names them all (a trained XOR network maps (0,1) and (1,0) to the same h).
SAME_SPOT = 0.03
#: Where each hidden activation lies (low, high); relu's top is the points' own.
RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, None)}


@dataclass(frozen=True)
class HiddenSpace:
    """The four samples in the plane of the last hidden layer, read-only.

    ``points`` (4, 2): where each sample lies, in the order of ``Anatomy.x``.
    ``labels``: each sample's input "(x₁,x₂)", or "" for a sample on the spot of an earlier
    one, whose label then names both.
    ``toward`` (4, 2): ±1, the way from each point to the box's centre along each axis
    (where its label has room).
    ``classes`` (4,): each sample's target class (y ≥ 0.5).
    ``axes``: the plane's axis names: ("h₁", "h₂"), ("PC1", "PC2"), or ("h₁", "") for one
    unit.
    ``line`` (u₁, u₂, c): the output unit's boundary u·p + c = 0 in the plane, or None if
    the plane does not cross it (u = 0).
    ``boundary``: that line inside ``box`` as ((x0, y0), (x1, y1)), or None.
    ``box`` (x_min, x_max, y_min, y_max): what to show.
    ``kept``: with more than two units, the share of the points' spread their principal
    plane keeps (what it leaves out can put a point on the wrong side of the line drawn);
    None otherwise.
    """

    points: np.ndarray
    labels: tuple
    toward: np.ndarray
    classes: np.ndarray
    axes: tuple
    line: tuple | None
    boundary: tuple | None
    box: tuple
    kept: float | None = None


def principal_plane(h: np.ndarray):
    """The mean m (n,) of the rows of ``h`` (4, n), its first two principal directions
    V (n, 2): the right singular vectors of h − m, largest first (h − m = U S Vᵀ), and the
    share of the points' spread the plane keeps, (s₁² + s₂²) / Σ sᵢ² (1 when they are all
    on one spot).

    Each direction's sign puts its largest loading positive, so that the plane does not
    flip from one update to the next.
    """
    mean = h.mean(axis=0)
    _, spread, vt = np.linalg.svd(h - mean, full_matrices=False)
    directions = vt[:2].T  # (n, 2)
    biggest = np.argmax(np.abs(directions), axis=0)
    total = float(np.sum(spread ** 2))
    kept = float(np.sum(spread[:2] ** 2)) / total if total > 0.0 else 1.0
    return mean, directions * np.sign(directions[biggest, [0, 1]]), kept


def _plane(h: np.ndarray, w: np.ndarray, b: float):
    """(points (4, 2), axis names, (u₁, u₂, c), the spread kept or None) of hidden
    activations ``h`` (4, n) and the output unit's weights ``w`` (n,) and bias ``b``.

    Beyond two units, p = Vᵀ(h − m) and the logit in the plane h = m + Vp is
    a = (Vᵀw)·p + (w·m + b).
    """
    units = h.shape[1]
    if units == 1:
        return np.column_stack([h[:, 0], np.zeros(4)]), ("h₁", ""), (w[0], 0.0, b), None
    if units == 2:
        return h, ("h₁", "h₂"), (w[0], w[1], b), None
    mean, directions, kept = principal_plane(h)
    u = directions.T @ w  # (2,)
    return ((h - mean) @ directions, ("PC1", "PC2"), (u[0], u[1], float(w @ mean) + b),
            kept)


def _nice_step(span: float) -> float:
    """1, 2 or 5 × 10^k, about a fifth of ``span``: a box edge's rounding."""
    rough = max(span, 1e-9) / 5
    power = 10.0 ** np.floor(np.log10(rough))
    return power * min((1.0, 2.0, 5.0, 10.0), key=lambda m: abs(m * power - rough))


def _interval(values: np.ndarray, low=None, high=None) -> tuple[float, float]:
    """One axis's span: the values' extent, stretched to ``low`` and ``high`` where given
    (an activation's range), with MARGIN around. An axis with an open end follows the
    values: rounded out to a nice step, so that it moves now and then, not on every update."""
    start, stop = float(values.min()), float(values.max())
    start = start if low is None else min(start, low)
    stop = stop if high is None else max(stop, high)
    span = stop - start if stop > start else 1.0
    start, stop = start - MARGIN * span, stop + MARGIN * span
    if low is None or high is None:
        step = _nice_step(span)
        start, stop = step * np.floor(start / step), step * np.ceil(stop / step)
    return float(start), float(stop)


def _labels(x: np.ndarray, points: np.ndarray, box) -> tuple:
    """Each sample's input "(x₁,x₂)"; samples on one spot (SAME_SPOT) named together on the
    first of them."""
    x_min, x_max, y_min, y_max = box
    scaled = (points - (x_min, y_min)) / (x_max - x_min, y_max - y_min)  # box → unit square
    names = [f"({x1:.0f},{x2:.0f})" for x1, x2 in x]
    labels = []
    for k in range(len(points)):
        near = np.all(np.abs(scaled - scaled[k]) < SAME_SPOT, axis=1)
        first = int(np.argmax(near))
        labels.append(", ".join(n for n, is_near in zip(names, near) if is_near)
                      if first == k else "")
    return tuple(labels)


def hidden_space(anatomy: Anatomy, layers, activation: str) -> HiddenSpace | None:
    """The four samples of ``anatomy`` in the plane of the last hidden layer (its
    activations h = anatomy.post[−2]), with the output unit's line w·h + b = 0 of ``layers``
    (a list of (w, b), input side first) and ``activation`` the hidden layers' function;
    None when h overflowed (a diverging ReLU network): there is no plane to draw."""
    h = np.asarray(anatomy.post[-2], dtype=np.float64)  # (4, n)
    w_output, b_output = layers[-1]
    if not np.all(np.isfinite(h)):
        return None
    points, axes, line, kept = _plane(h, np.asarray(w_output)[:, 0], float(b_output[0, 0]))
    line = tuple(float(value) for value in line)
    if line[0] == 0.0 and line[1] == 0.0:
        line = None
    units = h.shape[1]
    own = RANGES[activation] if units <= 2 else (None, None)
    box = (*_interval(points[:, 0], *own),
           *_interval(points[:, 1], *(own if units >= 2 else (-0.5, 0.5))))
    x_min, x_max, y_min, y_max = box
    toward = np.where(points < ((x_min + x_max) / 2, (y_min + y_max) / 2), 1.0, -1.0)
    return HiddenSpace(
        points=frozen_copy(points), labels=_labels(anatomy.x, points, box),
        toward=frozen_copy(toward),
        classes=frozen_copy(anatomy.y[:, 0] >= 0.5, np.int64),
        axes=axes, line=line, boundary=line_segment(line, box), box=box, kept=kept)
