"""CSV tables for spreadsheets and plotting scripts: the recorded history, the decision grid.

Numbers are written with as many significant digits as read back the very same number: 17
for float64, 9 for the decision grid's float32.
"""

import csv
import io

import numpy as np

from engine.files import write_text_atomic
from engine.grid import DEFAULT_BOX, grid_axes
from engine.history import HistoryView
from engine.layout import parameter_names

#: Significant digits that read back every float64, and every float32.
FLOAT64 = "%.17g"
FLOAT32 = "%.9g"


def _csv(header: list[str], columns: list[np.ndarray], formats: list[str]) -> str:
    """Rows of ``columns`` (each (n,) or (n, k)) under ``header``, with one format per column."""
    buffer = io.StringIO()
    # The csv module quotes the names with a comma in them ("w_hidden[0,1]").
    csv.writer(buffer, lineterminator="\n").writerow(header)
    np.savetxt(buffer, np.column_stack(columns), fmt=formats, delimiter=",")
    return buffer.getvalue()


def history_csv(history: HistoryView, layer_sizes) -> str:
    """iteration, error, ∂E/∂θ (columns dE/dw_hidden[0,0], …), θ (w_hidden[0,0], …): one row
    per point of ``history`` (a ``Trainer.history.view``, so the latest state is included)."""
    names = parameter_names(layer_sizes)
    header = ["iteration", "error", *(f"dE/d{name}" for name in names), *names]
    columns = [history.iterations, history.error, history.gradients, history.parameters]
    return _csv(header, columns, ["%d"] + [FLOAT64] * (1 + 2 * len(names)))


def grid_csv(grid: np.ndarray, box=DEFAULT_BOX) -> str:
    """x1, x2, output at the centre of every cell of a ``decision_grid`` over ``box``."""
    xs, ys = grid_axes(grid.shape[0], box)
    mesh_x, mesh_y = np.meshgrid(xs, ys)  # grid[i, j] is the output at (xs[j], ys[i])
    output = FLOAT32 if grid.dtype == np.float32 else FLOAT64
    return _csv(["x1", "x2", "output"], [mesh_x.ravel(), mesh_y.ravel(), grid.ravel()],
                [FLOAT64, FLOAT64, output])


def write_history(path, trainer):
    """Write ``trainer``'s recorded history, its current state last, as CSV (atomically)."""
    write_text_atomic(path, history_csv(trainer.snapshot().history, trainer.config.layer_sizes))
