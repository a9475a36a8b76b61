"""Frame: everything a view draws of one moment of a run, sized by what is drawn.

A frame holds a bounded, decimated view of the history (at most ERROR_POINTS rows for the
error, LINE_POINTS for the gradient and parameter series, MAX_LINES series per legend entry),
never a copy of every recorded row: its cost is the same after a thousand updates as after
ten million, and it is the same for the tutorial's 9 parameters as it is small for a
16×16×16×16 network's 881. Every array is a read-only copy, safe to hand to another thread.
"""

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from engine.anatomy import Anatomy
from engine.decision_map import DecisionMap, decision_map
from engine.history import History
from engine.layout import delta_groups, flatten, parameter_groups
from engine.recording import RecordingStatus
from engine.smoothing import ewma
from engine.stepper import Inspection
from engine.trainer import Snapshot

#: Points drawn per gradient or parameter series: a panel is ~1000 px wide, more only slow
#: the painting down.
LINE_POINTS = 200
#: The error curve is a single series: twice the detail.
ERROR_POINTS = 2 * LINE_POINTS
#: A legend entry draws at most this many series; a group with more (a 16-wide layer has
#: 272 weights and biases) is drawn as its range and mean magnitude, which a person can read,
#: where 272 overlapping lines are a smudge that costs 100+ ms to paint.
MAX_LINES = 16
#: Log axes must never receive 0: magnitudes are clipped at this floor.
LOG_FLOOR = 1e-12
#: The parameter panel's groups, in legend order (the tutorial's parameter plot).
PARAMETER_GROUPS = (("output", "w"), ("output", "b"), ("hidden", "w"), ("hidden", "b"))
#: A |θ| above this is "exploding", which the tutorial calls a sign of a bug or of too large
#: a learning rate. Every preset converges with |θ| < 12 (the tutorial's own run ends at
#: 11.9), and a weight of 1e3 on an input in [0, 1] saturates a sigmoid or tanh unit so far
#: that its gradient underflows: no healthy run of these networks gets there, while one
#: heading for an overflow passes it long before it diverges (the tutorial's network at
#: α = 1e4 does at its first update).
EXPLODING_PARAMETER = 1e3


@dataclass(frozen=True)
class Trace:
    """One legend entry of a log-scale panel: the magnitudes of a group of series.

    ``key`` names the group (a layer index, or a (role, kind) pair of PARAMETER_GROUPS);
    ``x`` the iterations (n,); ``lines`` (k, n) the |values| of every series when the group
    has at most MAX_LINES, else (1, n) their mean; ``band`` None, or (2, n) the least and
    the greatest |value| of the group at each iteration when ``lines`` is the mean.
    """

    key: object
    x: np.ndarray
    lines: np.ndarray
    band: np.ndarray | None


@dataclass(frozen=True)
class ErrorTrace:
    """The mean error: ``raw`` and its EWMA ``smooth`` (n,) at iterations ``x``, and the
    target it must fall below."""

    x: np.ndarray
    raw: np.ndarray
    smooth: np.ndarray
    target: float


@dataclass(frozen=True)
class Timeline:
    """The moments a history scrubber moves over: the ``rows`` recorded points, the live
    state last when it is newer; ``shown`` the row drawn (``rows`` − 1: the live state),
    at ``iteration``. Row r was recorded at iteration r × ``stride`` (engine.history); the
    live state is at ``live_iteration``."""

    rows: int
    shown: int
    iteration: int
    stride: int
    live_iteration: int

    @property
    def live(self) -> bool:
        return self.shown == self.rows - 1

    def iteration_of(self, row: int) -> int:
        """The iteration of ``row``: what to ask the session to show (by iteration, not
        row: by the time it asks, the history may have halved its rows)."""
        return self.live_iteration if row >= self.rows - 1 else row * self.stride


@dataclass(frozen=True)
class Frame:
    """What the window draws of one moment.

    ``snapshot``: the engine's state (no history); ``error``, ``gradients`` (one Trace per
    layer, of the per-sample deltas when ``show_deltas``) and ``parameters`` (one Trace per
    PARAMETER_GROUPS entry): the decimated history; ``decision``: the map of the last
    refresh; ``running``: whether the session is playing; ``updates_per_second``: measured.
    ``command``: the number of the last command applied before this frame, stamped by the
    driver that numbers them (gui.worker); 0 otherwise.
    """

    snapshot: Snapshot
    error: ErrorTrace
    gradients: tuple
    parameters: tuple
    show_deltas: bool
    decision: DecisionMap
    running: bool
    updates_per_second: float
    command: int = 0
    #: A recording in progress (frames so far, iterations apart), or None.
    recording: RecordingStatus | None = None
    #: How the network trains: "compiled", "preparing" (numpy meanwhile) or "numpy".
    kernel: str = "compiled"
    #: The snapshot's forward and backward pass sample by sample (engine.anatomy), for the
    #: teaching views; None in a frame built without a session.
    anatomy: Anatomy | None = None
    #: Where the drawn moment lies in the recorded history; when it is not the live state
    #: the curves show the whole run and ``snapshot`` (and all drawn of it) that moment.
    timeline: Timeline | None = None
    #: The live state's iteration being taken a sample at a time (engine.stepper), or None.
    inspection: Inspection | None = None
    #: The largest |θ| of ``snapshot`` (see EXPLODING_PARAMETER).
    largest_parameter: float = 0.0
    #: Wall time this run has spent training since its network started (a new network, a
    #: reset or an opened session start at 0): what an unsaved run would lose.
    training_seconds: float = 0.0

    @property
    def exploding(self) -> bool:
        """Whether some |θ| has passed EXPLODING_PARAMETER."""
        return self.largest_parameter > EXPLODING_PARAMETER


def display_rows(n: int, limit: int) -> np.ndarray:
    """At most ``limit`` indices of ``range(n)``: every k-th, k a power of two, and the last.

    A power-of-two step keeps the rows drawn where they were as the history grows (evenly
    spread rows would move on every new point and make the curves shimmer).
    """
    if n <= limit:
        return np.arange(n)
    step = 1 << math.ceil(math.log2((n - 1) / (limit - 2)))
    rows = np.arange(0, n, step)
    return rows if rows[-1] == n - 1 else np.append(rows, n - 1)


def magnitudes(values) -> np.ndarray:
    """|values| within [LOG_FLOOR, 1e300], NaN as LOG_FLOOR: what a log axis can show."""
    result = np.abs(np.asarray(values, dtype=np.float64))
    np.fmax(result, LOG_FLOOR, out=result)  # fmax, unlike maximum, replaces NaN
    return np.fmin(result, 1e300, out=result)


def largest_magnitude(layers) -> float:
    """max |θ| over ``layers`` ((w, b) pairs)."""
    return float(np.abs(flatten(layers)).max())


def drawable_map(snapshot: Snapshot) -> DecisionMap:
    """The decision map of ``snapshot`` with nothing a plot cannot draw: a ReLU network
    heading for a divergence keeps finite θ whose activations overflow, and its output is
    then NaN (inf − inf) over parts of the plane. Those cells are drawn as 0.5, undecided,
    and the boundary's segments through them are left out."""
    with np.errstate(over="ignore", invalid="ignore"):
        decision = decision_map(snapshot)
    grid, (xs, ys) = decision.grid, decision.contour
    if np.isfinite(grid).all() and np.isfinite(xs).all() and np.isfinite(ys).all():
        return decision
    ends = np.isfinite(xs) & np.isfinite(ys)  # segment k joins points 2k and 2k + 1
    kept = np.repeat(ends[0::2] & ends[1::2], 2)
    finite = np.where(np.isfinite(grid), grid, np.float32(0.5)).astype(grid.dtype)
    return replace(decision, grid=_frozen(finite),
                   contour=(_frozen(xs[kept].copy()), _frozen(ys[kept].copy())))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class _Sample:
    """Rows of a history picked for drawing: those recorded up to ``latest`` (a Snapshot),
    then ``latest`` itself as the last row."""

    def __init__(self, history: History, latest: Snapshot, limit: int):
        recorded = history.iterations[:history.count]
        n = int(np.searchsorted(recorded, latest.iteration, side="right"))
        # The latest state is the last row, unless the history's last point already is it.
        self.fresh = n == 0 or recorded[n - 1] != latest.iteration
        self.n = n
        self.rows = display_rows(n + self.fresh, limit)  # of the recorded rows, then the state
        self.recorded = self.rows[:-1] if self.fresh else self.rows
        self.history, self.latest = history, latest
        self.x = _frozen(self.column("iterations").astype(np.float64))

    def _latest(self, name: str):
        latest = self.latest
        return {"iterations": lambda: latest.iteration, "error": lambda: latest.error,
                "gradients": lambda: flatten(latest.gradients),
                "parameters": lambda: flatten(latest.layers),
                "deltas": lambda: flatten([latest.deltas])}[name]()

    def column(self, name: str) -> np.ndarray:
        """The sampled rows of the history's series ``name``: (n,) or (n, columns)."""
        picked = getattr(self.history, name)[self.recorded]
        if not self.fresh:
            return picked
        return np.concatenate([picked, np.asarray(self._latest(name), picked.dtype)[None]])

    def whole(self, name: str) -> np.ndarray:
        """Every recorded row of the series ``name`` up to the latest, then the latest's."""
        recorded = getattr(self.history, name)[:self.n]
        if not self.fresh:
            return recorded
        return np.append(recorded, self._latest(name))


@lru_cache(maxsize=32)
def _groups(layer_sizes: tuple, series: str) -> tuple:
    """Every legend entry of a history ``series`` in legend order, as (key, its columns as
    a tuple of contiguous (start, stop) runs)."""
    n_layers = len(layer_sizes) - 1
    if series == "deltas":
        keys, order = delta_groups(layer_sizes), range(n_layers)
    elif series == "gradients":
        keys, order = [layer for layer, _ in parameter_groups(layer_sizes)], range(n_layers)
    else:
        keys = [("output" if layer == n_layers - 1 else "hidden", kind)
                for layer, kind in parameter_groups(layer_sizes)]
        order = PARAMETER_GROUPS
    runs, start = {}, 0
    for stop in range(1, len(keys) + 1):
        if stop == len(keys) or keys[stop] != keys[start]:
            runs.setdefault(keys[start], []).append((start, stop))
            start = stop
    return tuple((key, tuple(runs[key])) for key in order)


def _trace(key, x, values: np.ndarray, runs) -> Trace:
    """The Trace of the columns ``runs`` of the magnitudes ``values`` (n, columns)."""
    parts = [values[:, start:stop] for start, stop in runs]  # views, (n, k) each
    count = sum(part.shape[1] for part in parts)
    if count <= MAX_LINES:
        return Trace(key, x, _frozen(np.concatenate(parts, axis=1).T.copy()), None)
    # Least, greatest and mean magnitude: each combines over the runs without gathering
    # the columns (a median would need them together and costs ~30x as much).
    low = np.minimum.reduce([part.min(axis=1) for part in parts])
    high = np.maximum.reduce([part.max(axis=1) for part in parts])
    mean = sum(part.sum(axis=1) for part in parts) / count
    return Trace(key, x, _frozen(mean[None]), _frozen(np.stack([low, high])))


def _traces(sample: _Sample, series: str) -> tuple:
    """One Trace per legend entry of the history's ``series``."""
    values = magnitudes(sample.column(series))  # (n, columns)
    groups = _groups(sample.latest.config.layer_sizes, series)
    return tuple(_trace(key, sample.x, values, runs) for key, runs in groups)


def history_traces(history: History, latest: Snapshot, smoothing: float,
                   show_deltas: bool) -> tuple:
    """(ErrorTrace, gradient Traces, parameter Traces) of a run up to ``latest``: the
    ``history``'s points up to its iteration (a later history of the same run draws an
    earlier moment of it), then ``latest``'s.

    The gradient Traces are one per layer, input side first: |∂E/∂θ| of its weights and
    biases, or its per-sample |δ| when ``show_deltas``; the parameter Traces |θ| follow
    PARAMETER_GROUPS. The error is smoothed over every recorded point, then sampled.
    """
    errors = _Sample(history, latest, ERROR_POINTS)
    raw = magnitudes(errors.whole("error"))  # smoothed over every recorded point, as drawn
    smooth = magnitudes(ewma(raw, smoothing))[errors.rows]
    error = ErrorTrace(errors.x, _frozen(raw[errors.rows]), _frozen(smooth),
                       latest.config.target_error)
    lines = _Sample(history, latest, LINE_POINTS)
    gradients = _traces(lines, "deltas" if show_deltas else "gradients")
    return error, gradients, _traces(lines, "parameters")
