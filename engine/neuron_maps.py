"""What the network diagram shows of each unit: its a and h for one input or the batch, the
range its colour spans, and its activation over the input plane.

The diagram's columns are numbered inputs first: column 0 the inputs x, column l = 1…L the
units of layer l (column L the output ŷ), as ``anatomy.pre[l − 1]`` and ``anatomy.post[l − 1]``.
"""

import numpy as np

from engine.anatomy import Anatomy
from engine.arrays import frozen_copy
from engine.grid import DEFAULT_BOX, grid_axes
from engine.network import forward

#: Cells per side of a unit's map: a map is drawn a few dozen pixels wide, so more cells
#: would not be seen, and 32² points keep a 16-wide layer's maps well under a millisecond.
MAP_RESOLUTION = 32


def unit_values(parts: Anatomy, sample: int | None) -> tuple[tuple, tuple]:
    """(a, h) of every unit for training input ``sample`` (a row of ``parts.x``), or their
    means over the four inputs for None.

    ``a``: per layer l = 1…L its a_l (n_l,); ``h``: per diagram column, inputs first: the
    input x (2,), then h_l (n_l,). The mean of h is not f(mean a): each is averaged alone.
    """
    def pick(values):
        return values.mean(axis=0) if sample is None else values[sample]

    pre = tuple(frozen_copy(pick(a), dtype=None) for a in parts.pre)
    post = tuple(frozen_copy(pick(h), dtype=None) for h in (parts.x, *parts.post))
    return pre, post


def colour_levels(activation: str, column: int, n_columns: int, values) -> tuple[float, float]:
    """The values at the two ends of a column's colour scale: the range its units can take.

    Inputs: [0, 1] (the truth table's), widened to any value outside it; the output unit
    is always a sigmoid: [0, 1]; hidden units: their activation's range, sigmoid [0, 1],
    tanh [−1, 1], ReLU [0, ∞) up to the largest value shown, at least 1.
    """
    values = np.asarray(values)
    if column == 0:
        return min(0.0, float(values.min())), max(1.0, float(values.max()))
    if column == n_columns - 1 or activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    return 0.0, max(1.0, float(values.max()))


def neuron_maps(layers, activation: str, layer: int, resolution: int = MAP_RESOLUTION,
                box=DEFAULT_BOX) -> np.ndarray:
    """Each unit of ``layer`` (0 = the first hidden layer) over the input plane: its h_l at
    the centre of every cell of the decision grid's mesh (engine.grid).

    Read-only float32 (n_l, R, R): ``maps[k, i, j]`` is unit k's activation at (xs[j], ys[i]),
    row 0 the bottom of the box, as ``decision_grid``; the output layer's only map is the
    decision grid itself.
    """
    if resolution < 2:
        raise ValueError(f"map resolution must be at least 2 (got {resolution})")
    if not 0 <= layer < len(layers):
        raise ValueError(f"layer must be 0 to {len(layers) - 1} (got {layer})")
    xs, ys = grid_axes(resolution, box)
    mesh_x, mesh_y = np.meshgrid(xs, ys)  # (R, R) each
    points = np.column_stack([mesh_x.ravel(), mesh_y.ravel()])  # (R², 2)
    # The whole pass: forward() takes its last layer for the output (a sigmoid), so a
    # hidden layer's h must come from the full network, not from the layers up to it.
    h = forward(layers, points, activation)[layer + 1]  # (R², n_l)
    maps = h.T.reshape(-1, resolution, resolution).astype(np.float32)
    maps.setflags(write=False)
    return maps
