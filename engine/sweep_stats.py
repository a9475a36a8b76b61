"""A sweep as a window shows it while it runs: its runs chunk by chunk, and what they add up
to so far (fraction converged, a histogram of updates to converge, the final errors, the
runs that did not converge and why, the varied settings' curves or phase diagram).

Everything here is a frozen value computed from the runs done, so that a worker thread can
hand it to the screen whole, and the screen only draws it.
"""

import math
import statistics
from dataclasses import dataclass

import numpy as np

from engine.arrays import frozen_copy
from engine.config import TrainingConfig
from engine.sweep import (
    RunResult,
    Sweep,
    setting_text,
)
from engine.trainer import Status

#: A run that did not converge is "stuck" when an output is this close to 0.5 (the network
#: cannot tell that input's class apart: the plateau where XOR's gradients vanish) …
STUCK_MARGIN = 0.1
#: … or its mean error is this high (every output near 0.5 gives 0.125 with MSE).
STUCK_ERROR = 0.1
#: Histogram bins per decade of updates: fixed by the budget, so bars do not jump while the
#: sweep runs.
BINS_PER_DECADE = 5
#: The error plot draws at most this many runs (evenly spread over the sweep): more dots
#: than pixels cost redraw time and show nothing more.
MAX_POINTS = 5_000
#: The list of runs that did not converge holds at most this many (the CSV holds them all).
MAX_LISTED = 1_000
#: Log axes get strictly positive data.
ERROR_FLOOR = 1e-12


def verdict(run: RunResult) -> str:
    """Why a run did not converge, judged from where it ended: "diverged", "stuck" (an
    output within STUCK_MARGIN of 0.5, or the error at the 0.5-output plateau) or "still
    improving" (every output on its side of 0.5: a larger budget would likely converge)."""
    if run.status is Status.DIVERGED or not math.isfinite(run.error):
        return "diverged"
    if run.error >= STUCK_ERROR or any(abs(p - 0.5) < STUCK_MARGIN for p in run.predictions):
        return "stuck"
    return "still improving"


def run_config(sweep: Sweep, run: RunResult) -> TrainingConfig:
    """The configuration that trains ``run`` again from iteration 0, exactly as the sweep
    did: its seed, its varied settings and the budget as the update limit."""
    return sweep.config.replace(seed=run.seed, max_iterations=sweep.budget,
                                **dict(run.settings))


@dataclass(frozen=True)
class Unconverged:
    """A run that did not converge, as the list shows it."""

    run: RunResult
    verdict: str
    settings_text: str  # "learning_rate 0.5, hidden 4,3"; "" with nothing varied


@dataclass(frozen=True)
class ByValue:
    """One varied setting: per value (``labels``, in the sweep's order), the fraction of
    its runs done that converged and the median updates of those (NaN: none yet)."""

    name: str
    labels: tuple[str, ...]
    fractions: np.ndarray  # (n_values,)
    medians: np.ndarray  # (n_values,)


@dataclass(frozen=True)
class Phase:
    """Two varied settings: the fraction converged per pair, ``fractions[i, j]`` for the
    first setting's i-th value and the second's j-th (NaN: no run of the pair done yet)."""

    names: tuple[str, str]
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    fractions: np.ndarray  # (n_rows, n_columns)


@dataclass(frozen=True)
class SweepStats:
    """What the runs done so far add up to."""

    done: int
    total: int
    converged: int
    seconds: float
    #: Updates to converge of the converged runs: ``counts[k]`` fell in
    #: [edges[k], edges[k + 1]).
    histogram_edges: np.ndarray
    histogram_counts: np.ndarray
    #: (seed, final error) of the runs drawn, converged and not (at most MAX_POINTS in all).
    converged_points: tuple[np.ndarray, np.ndarray]
    unconverged_points: tuple[np.ndarray, np.ndarray]
    #: The runs that did not converge (the first MAX_LISTED), and how many there are.
    unconverged: tuple[Unconverged, ...]
    unconverged_count: int
    by_value: ByValue | None
    phase: Phase | None

    @property
    def fraction(self) -> float | None:
        return self.converged / self.done if self.done else None

    def summary_text(self) -> str:
        """'7 of 12 runs converged (58.3 %)'."""
        if not self.done:
            return "no runs yet"
        return (f"{self.converged:,} of {self.done:,} runs converged "
                f"({self.fraction:.1%})").replace("%", " %")

    def progress_text(self) -> str:
        """'120/1,000 runs, ETA 12 s', or how long it took once done."""
        if self.done >= self.total:
            return f"{self.done:,}/{self.total:,} runs in {self.seconds:.1f} s"
        eta = eta_seconds(self.done, self.total, self.seconds)
        return (f"{self.done:,}/{self.total:,} runs, "
                + ("ETA …" if eta is None else f"ETA {eta:,.0f} s"))


def eta_seconds(done: int, total: int, seconds: float) -> float | None:
    """The time left at the pace so far; None before the first run is done."""
    return seconds * (total - done) / done if done else None


def histogram_edges(budget: int) -> np.ndarray:
    """Log-spaced bin edges from 1 to just past ``budget`` updates."""
    decades = max(math.log10(budget + 1), 1.0)
    return np.geomspace(1.0, budget + 1.0, max(2, math.ceil(decades * BINS_PER_DECADE)) + 1)


def _points(runs) -> tuple[np.ndarray, np.ndarray]:
    runs = [run for run in runs if math.isfinite(run.error)]
    return (frozen_copy([run.seed for run in runs]),
            frozen_copy([max(run.error, ERROR_FLOOR) for run in runs]))


def _settings_text(settings) -> str:
    return ", ".join(f"{name} {setting_text(value)}" for name, value in settings)


def _groups(runs):
    groups: dict[tuple, list[RunResult]] = {}
    for run in runs:
        groups.setdefault(run.settings, []).append(run)
    return groups


def _fraction(group) -> float:
    if not group:
        return math.nan
    return sum(run.status is Status.CONVERGED for run in group) / len(group)


def _median(group) -> float:
    converged = [run.iterations for run in group if run.status is Status.CONVERGED]
    return float(statistics.median(converged)) if converged else math.nan


def _by_value(sweep: Sweep, groups) -> ByValue:
    (name, values), = sweep.varied
    members = [groups.get(((name, value),), []) for value in values]
    return ByValue(name, tuple(str(setting_text(value)) for value in values),
                   frozen_copy([_fraction(group) for group in members]),
                   frozen_copy([_median(group) for group in members]))


def _phase(sweep: Sweep, groups) -> Phase:
    (first, rows), (second, columns) = sweep.varied
    fractions = [[_fraction(groups.get(((first, row), (second, column)), []))
                  for column in columns] for row in rows]
    return Phase((first, second), tuple(str(setting_text(v)) for v in rows),
                 tuple(str(setting_text(v)) for v in columns), frozen_copy(fractions))


def sweep_stats(sweep: Sweep, runs, seconds: float = 0.0) -> SweepStats:
    """What ``runs`` (the runs of ``sweep`` done so far, in any order) add up to."""
    runs = tuple(runs)
    converged = [run for run in runs if run.status is Status.CONVERGED]
    others = [run for run in runs if run.status is not Status.CONVERGED]
    edges = histogram_edges(sweep.budget)
    counts, _ = np.histogram([run.iterations for run in converged], bins=edges)
    stride = max(1, math.ceil(len(runs) / MAX_POINTS))
    shown = runs[::stride]
    groups = _groups(runs) if sweep.varied else {}
    return SweepStats(
        done=len(runs), total=sweep.runs, converged=len(converged), seconds=seconds,
        histogram_edges=frozen_copy(edges), histogram_counts=frozen_copy(counts, int),
        converged_points=_points(r for r in shown if r.status is Status.CONVERGED),
        unconverged_points=_points(r for r in shown if r.status is not Status.CONVERGED),
        unconverged=tuple(Unconverged(run, verdict(run), _settings_text(run.settings))
                          for run in others[:MAX_LISTED]),
        unconverged_count=len(others),
        by_value=_by_value(sweep, groups) if len(sweep.varied) == 1 else None,
        phase=_phase(sweep, groups) if len(sweep.varied) == 2 else None)
