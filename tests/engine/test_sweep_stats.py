"""What a sweep window shows: live runs equal to run_sweep's, and what they add up to."""

import math
import multiprocessing
import threading

import numpy as np
import pytest

from engine.config import PRESETS
from engine.sweep import RunResult, Sweep, in_order, run_sweep, seeds_from
from engine.sweep_stats import (
    MAX_LISTED,
    MAX_POINTS,
    eta_seconds,
    histogram_edges,
    run_config,
    sweep_stats,
    verdict,
)
from engine.trainer import Status

pytest.importorskip("numba")

TUTORIAL = PRESETS["tutorial"]
#: lr 1 runs out of updates (one seed stuck at the plateau), lr 4 mostly converges
RATES = Sweep(TUTORIAL, seeds_from(0, 12), 2_000, (("learning_rate", (1.0, 4.0)),))


def run(seed=0, status=Status.MAX_ITERATIONS, iterations=2_000, error=1e-3,
        predictions=(0.05, 0.95, 0.95, 0.05), settings=()) -> RunResult:
    return RunResult(settings, seed, status, iterations, error, predictions)


@pytest.fixture(scope="module")
def rates():
    return run_sweep(RATES, workers=1)


def test_runs_come_chunk_by_chunk_as_the_sweep_goes(one_seed_a_chunk, rates):
    done = {}
    calls = []

    def chunk_done(index, runs):
        done[index] = runs
        calls.append(len(in_order(done)))

    live = run_sweep(RATES, workers=1, chunk_done=chunk_done)
    assert live.runs == rates.runs and not live.cancelled
    assert calls == list(range(1, RATES.runs + 1))


def test_a_process_pool_gives_the_runs_one_process_does(rates):
    assert run_sweep(RATES, workers=2, chunk_done=lambda *_: None).runs == rates.runs
    assert multiprocessing.active_children() == []


def test_a_cancel_stops_between_chunks(one_seed_a_chunk):
    cancel = threading.Event()
    live = run_sweep(RATES, workers=1, cancel=cancel,
                     chunk_done=lambda index, runs: cancel.set())
    assert live.cancelled and len(live.runs) == 1


def test_stats_count_the_converged_runs_as_summarize_does(rates):
    stats = sweep_stats(RATES, rates.runs, 1.5)
    converged = [r for r in rates.runs if r.status is Status.CONVERGED]
    assert (stats.done, stats.total, stats.converged) == (24, 24, len(converged))
    assert 0 < stats.converged < 24
    assert stats.histogram_counts.sum() == len(converged)
    assert stats.unconverged_count == 24 - len(converged)
    assert stats.summary_text().startswith(f"{len(converged)} of 24 runs converged")
    by_value = stats.by_value
    assert by_value.labels == ("1.0", "4.0") and stats.phase is None
    for k, lr in enumerate((1.0, 4.0)):
        group = [r for r in rates.runs if r.settings == (("learning_rate", lr),)]
        done = [r.iterations for r in group if r.status is Status.CONVERGED]
        assert by_value.fractions[k] == len(done) / 12
        assert (math.isnan(by_value.medians[k]) if not done
                else by_value.medians[k] == np.median(done))


def test_a_phase_diagram_has_one_cell_per_pair_and_nan_where_nothing_ran():
    sweep = Sweep(TUTORIAL, seeds_from(0, 10), 100,
                  (("learning_rate", (1.0, 2.0, 4.0)), ("gate", ("xor", "and"))))
    runs = [run(seed, Status.CONVERGED, 50, 1e-5,
                settings=(("learning_rate", 2.0), ("gate", "and"))) for seed in range(4)]
    runs.append(run(9, settings=(("learning_rate", 2.0), ("gate", "and"))))
    phase = sweep_stats(sweep, runs).phase
    assert phase.fractions.shape == (3, 2)
    assert phase.row_labels == ("1.0", "2.0", "4.0") and phase.column_labels == ("xor", "and")
    assert phase.fractions[1, 1] == 0.8
    assert np.isnan(phase.fractions).sum() == 5


def test_verdicts_tell_stuck_runs_from_slow_ones():
    assert verdict(run(predictions=(0.05, 0.95, 0.95, 0.05), error=3e-4)) == "still improving"
    assert verdict(run(predictions=(0.05, 0.499, 0.95, 0.503), error=0.06)) == "stuck"
    assert verdict(run(predictions=(0.5, 0.5, 0.5, 0.5), error=0.125)) == "stuck"
    assert verdict(run(status=Status.DIVERGED, error=math.inf)) == "diverged"


def test_the_plateau_run_of_the_rates_sweep_is_stuck_the_others_still_improving(rates):
    verdicts = {r.seed: verdict(r) for r in rates.runs
                if r.settings == (("learning_rate", 1.0),)}
    assert verdicts[11] == "stuck"
    assert set(verdicts.values()) == {"stuck", "still improving"}


def test_histogram_bins_are_fixed_by_the_budget_and_cover_it():
    edges = histogram_edges(1_000_000)
    assert edges[0] == 1 and edges[-1] > 1_000_000
    assert np.allclose(np.diff(np.log10(edges)), np.diff(np.log10(edges))[0])


def test_big_sweeps_draw_and_list_a_bounded_number_of_runs():
    sweep = Sweep(TUTORIAL, seeds_from(0, 20_000), 100)
    runs = [run(seed, error=0.12, predictions=(0.5,) * 4) for seed in range(20_000)]
    stats = sweep_stats(sweep, runs)
    assert len(stats.unconverged_points[0]) <= MAX_POINTS
    assert len(stats.unconverged) == MAX_LISTED and stats.unconverged_count == 20_000


def test_a_run_reopens_with_its_seed_settings_and_budget():
    config = run_config(RATES, run(7, settings=(("learning_rate", 4.0),)))
    assert config == TUTORIAL.replace(seed=7, learning_rate=4.0, max_iterations=2_000)


def test_eta_follows_the_pace_so_far():
    assert eta_seconds(0, 10, 1.0) is None
    assert eta_seconds(5, 10, 2.0) == 2.0
