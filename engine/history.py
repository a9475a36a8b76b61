"""Bounded training history: a fixed number of points per series, whatever the run length.

Points are recorded every ``stride`` iterations. When the buffer is full every other point
is dropped and the stride doubles, so memory stays constant, the whole run stays covered
evenly, and the first point (iteration 0) is always kept. The latest state is appended
when a view is taken, so a view always ends at the current iteration.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

DEFAULT_CAPACITY = 2048


@dataclass(frozen=True)
class HistoryView:
    """Read-only copies of the recorded series.

    iterations (n,), error (n,), gradients (n, P) = ∂E/∂θ, parameters (n, P) = θ, deltas
    (n, D) = the per-sample deltas; P and D in ``engine.layout`` order.
    """

    iterations: np.ndarray
    error: np.ndarray
    gradients: np.ndarray
    parameters: np.ndarray
    deltas: np.ndarray

    def __len__(self):
        return len(self.iterations)


class HistoryBuffers(NamedTuple):
    """A History's arrays, which the compiled kernel records into as ``History.record`` does."""

    iterations: np.ndarray  # (capacity,) int64
    error: np.ndarray  # (capacity,)
    gradients: np.ndarray  # (capacity, P)
    parameters: np.ndarray  # (capacity, P)
    deltas: np.ndarray  # (capacity, D)
    state: np.ndarray  # [count, stride] int64, here so that the kernel updates them in place

    @classmethod
    def empty(cls, capacity: int, n_parameters: int, n_deltas: int, stride: int = 1):
        """No points yet, room for ``capacity``, the first one at a multiple of ``stride``."""
        return cls(np.zeros(capacity, dtype=np.int64), np.zeros(capacity),
                   np.zeros((capacity, n_parameters)), np.zeros((capacity, n_parameters)),
                   np.zeros((capacity, n_deltas)), np.array([0, stride], dtype=np.int64))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_capacity(capacity):
    if not _whole(capacity) or capacity < 4 or capacity % 2:
        raise ValueError(f"history capacity must be an even number >= 4 (got {capacity!r})")


@dataclass(frozen=True)
class HistoryState:
    """Everything a History holds, to rebuild it exactly: its ``capacity``, ``stride`` and
    ``count`` and copies of its ``count`` recorded rows (the series of HistoryView)."""

    count: int
    stride: int
    capacity: int
    iterations: np.ndarray  # (count,) int64
    error: np.ndarray  # (count,)
    gradients: np.ndarray  # (count, P)
    parameters: np.ndarray  # (count, P)
    deltas: np.ndarray  # (count, D)

    def check(self, n_parameters: int, n_deltas: int):
        """Raise ValueError unless this is a history of P = ``n_parameters`` and D =
        ``n_deltas`` that training could have recorded (finite errors and parameters)."""
        _check_capacity(self.capacity)
        stride, count = self.stride, self.count
        if not _whole(stride) or stride < 1 or stride & (stride - 1):
            raise ValueError(f"history stride must be a power of two (got {stride!r})")
        if not _whole(count) or not 1 <= count <= self.capacity:
            raise ValueError(f"history count must be from 1 to the capacity {self.capacity} "
                             f"(got {count!r})")
        for name, columns in (("iterations", None), ("error", None),
                              ("gradients", n_parameters), ("parameters", n_parameters),
                              ("deltas", n_deltas)):
            expected = (count,) if columns is None else (count, columns)
            if np.shape(getattr(self, name)) != expected:
                raise ValueError(f"history {name} has shape {np.shape(getattr(self, name))}, "
                                 f"expected {expected}")
        for name in ("error", "parameters"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ValueError(f"history {name} holds a non-finite value")


class History:
    """Fixed-capacity recorder of (iteration, error, gradients, parameters, deltas)."""

    def __init__(self, n_parameters: int, n_deltas: int, capacity: int = DEFAULT_CAPACITY):
        _check_capacity(capacity)
        self.capacity = capacity
        self.buffers = HistoryBuffers.empty(capacity, n_parameters, n_deltas)
        (self.iterations, self.error, self.gradients, self.parameters, self.deltas,
         self._state) = self.buffers

    @property
    def count(self) -> int:
        """How many points are recorded."""
        return int(self._state[0])

    @property
    def stride(self) -> int:
        """Iterations between recorded points."""
        return int(self._state[1])

    def wants(self, iteration: int) -> bool:
        """Whether the point at ``iteration`` falls on the current stride."""
        return iteration % self.stride == 0

    def record(self, iteration, error, gradients, parameters, deltas):
        """Store one point (call only when ``wants(iteration)``)."""
        if self.count == self.capacity:
            self._halve()
            if not self.wants(iteration):
                return
        i = self.count
        self.iterations[i] = iteration
        self.error[i] = error
        self.gradients[i] = gradients
        self.parameters[i] = parameters
        self.deltas[i] = deltas
        self._state[0] = i + 1

    def keep(self, count: int):
        """Forget the points after the first ``count`` (a run branched from an earlier
        moment goes on from there)."""
        self._state[0] = min(self.count, max(1, count))

    def _halve(self):
        """Keep every other point (the first included) and double the stride."""
        half = self.capacity // 2
        for series in (self.iterations, self.error, self.gradients, self.parameters, self.deltas):
            series[:half] = series[: self.capacity : 2]
        self._state[0] = half
        self._state[1] *= 2

    def state(self) -> HistoryState:
        """Read-only copies of what is recorded (the latest state is not appended)."""
        n = self.count
        rows = [series[:n].copy() for series in self.buffers[:5]]
        for row in rows:
            row.setflags(write=False)
        return HistoryState(n, self.stride, self.capacity, *rows)

    @classmethod
    def from_state(cls, state: HistoryState) -> "History":
        """The History that ``state`` was taken from (``state`` passed HistoryState.check)."""
        history = cls(state.parameters.shape[1], state.deltas.shape[1], state.capacity)
        rows = (state.iterations, state.error, state.gradients, state.parameters, state.deltas)
        for series, recorded in zip(history.buffers[:5], rows):
            series[:state.count] = recorded
        history._state[:] = (state.count, state.stride)
        return history

    def view(self, iteration, error, gradients, parameters, deltas) -> HistoryView:
        """Copies of the recorded points, followed by the given latest point if it is newer."""
        n = self.count
        series = [self.iterations[:n], self.error[:n], self.gradients[:n],
                  self.parameters[:n], self.deltas[:n]]
        if n == 0 or self.iterations[n - 1] != iteration:
            latest = (iteration, error, gradients, parameters, deltas)
            series = [np.concatenate([s, np.asarray(v, dtype=s.dtype)[None]])
                      for s, v in zip(series, latest)]
        else:
            series = [s.copy() for s in series]
        for s in series:
            s.setflags(write=False)
        return HistoryView(*series)
