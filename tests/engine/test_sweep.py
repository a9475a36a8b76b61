"""Sweeps: each run equal to its own Trainer, in order, cancellable between chunks."""

import multiprocessing
import threading

import pytest

from engine.config import PRESETS, ConfigError
from engine.sweep import (
    MIN_LANE_CHUNK,
    RunResult,
    Sweep,
    chunk_size,
    plan,
    run_sweep,
    seeds_from,
    summarize,
)
from engine.trainer import Status, Trainer

pytest.importorskip("numba")

TUTORIAL = PRESETS["tutorial"]
#: lr 0.5 and 2.0 with this budget: some seeds converge, some run out of updates
MIXED = Sweep(TUTORIAL, range(40, 44), 12_000, (("learning_rate", (0.5, 2.0)),))


@pytest.fixture(scope="module")
def mixed_in_process():
    return run_sweep(MIXED, workers=1)


def test_runs_equal_single_trainer_runs(mixed_in_process):
    result = mixed_in_process
    assert (result.total, result.cancelled) == (8, False)
    assert [(run.settings, run.seed) for run in result.runs] == [
        ((("learning_rate", lr),), seed) for lr in (0.5, 2.0) for seed in range(40, 44)]
    for run in result.runs:
        single = Trainer(TUTORIAL.replace(seed=run.seed, max_iterations=12_000,
                                          **dict(run.settings)), compiled=True)
        single.run()
        assert (run.iterations, run.status) == (single.iteration, single.status), run
        assert run.error == pytest.approx(single.error, rel=1e-12, abs=0)
        assert run.predictions == pytest.approx(single.predictions.ravel(), rel=1e-12)
    assert {run.status for run in result.runs} == {Status.CONVERGED, Status.MAX_ITERATIONS}


def test_a_process_pool_gives_the_same_runs(mixed_in_process):
    pooled = run_sweep(MIXED, workers=2)
    assert pooled.runs == mixed_in_process.runs
    assert multiprocessing.active_children() == []


def test_chunks_cover_every_run_in_order_and_fit_the_time_per_chunk():
    sweep = Sweep(TUTORIAL, range(10), 1_000_000, (("gate", ("xor", "and")),))
    chunks = plan(sweep, workers=2)
    size = chunk_size(TUTORIAL, 1_000_000)
    # one at a time, a million updates of several networks is over a second of work; in
    # lanes a chunk fills them twice
    assert 1 <= chunk_size(PRESETS["tanh"], 1_000_000) < 10
    assert size == MIN_LANE_CHUNK
    assert all(len(chunk.seeds) <= size for chunk in chunks)
    assert [(chunk.config.gate, seed) for chunk in chunks for seed in chunk.seeds] == [
        (gate, seed) for gate in ("xor", "and") for seed in range(10)]
    assert {chunk.config.max_iterations for chunk in chunks} == {1_000_000}
    # a quick sweep still gives every worker a share
    assert [len(chunk.seeds) for chunk in plan(Sweep(TUTORIAL, range(10), 100), 2)] == [5, 5]


def test_progress_counts_runs_after_each_chunk(one_seed_a_chunk):
    reports = []
    run_sweep(Sweep(TUTORIAL, range(3), 50), workers=1,
              progress=lambda done, total: reports.append((done, total)))
    assert reports == [(1, 3), (2, 3), (3, 3)]


def test_cancel_in_process_returns_the_finished_chunks(one_seed_a_chunk):
    done = []
    result = run_sweep(Sweep(TUTORIAL, range(5), 50), workers=1,
                       progress=lambda d, total: done.append(d), cancel=lambda: len(done) >= 2)
    assert result.cancelled
    assert [run.seed for run in result.runs] == [0, 1]


def test_cancel_in_a_pool_stops_between_chunks_and_ends_the_workers(one_seed_a_chunk,
                                                                    mixed_in_process):
    cancel = threading.Event()
    result = run_sweep(MIXED, workers=2, progress=lambda *_: cancel.set(), cancel=cancel)
    assert result.cancelled and result.total == 8
    # the first chunk and those already handed to the workers, no more
    assert 1 <= len(result.runs) <= 4
    assert set(result.runs) <= set(mixed_in_process.runs)
    assert multiprocessing.active_children() == []


def test_numpy_runs_equal_compiled_ones():
    sweep = Sweep(PRESETS["wide"], range(2), 300)
    numpy_runs = run_sweep(sweep, workers=1, compiled=False).runs
    compiled_runs = run_sweep(sweep, workers=1, compiled=True).runs
    assert [(r.iterations, r.status) for r in numpy_runs] == [
        (r.iterations, r.status) for r in compiled_runs]


def test_summary_per_setting():
    def run(lr, seed, status, iterations):
        return RunResult((("learning_rate", lr),), seed, status, iterations, 0.1, (0.5,) * 4)

    runs = [run(0.5, 0, Status.CONVERGED, 10), run(0.5, 1, Status.CONVERGED, 30),
            run(0.5, 2, Status.MAX_ITERATIONS, 50), run(2.0, 0, Status.DIVERGED, 3)]
    summary = summarize(runs, ("learning_rate",))
    assert summary["runs"] == 4 and summary["converged"] == 2
    assert summary["converged_fraction"] == 0.5
    assert summary["median_iterations_converged"] == 20
    assert summary["by_setting"] == [
        {"learning_rate": 0.5, "runs": 3, "converged": 2, "converged_fraction": 2 / 3,
         "median_iterations_converged": 20},
        {"learning_rate": 2.0, "runs": 1, "converged": 0, "converged_fraction": 0.0,
         "median_iterations_converged": None}]
    assert "by_setting" not in summarize(runs)


@pytest.mark.parametrize("arguments, field, reason", [
    ((range(0), 10), "seeds", "from 1 to 100,000"),
    ((range(2), 0), "max_iterations", ">= 1"),
    ((range(2), 10, (("seed", (1, 2)),)), "vary", "cannot be varied"),
    ((range(2), 10, (("speed", (1, 2)),)), "vary", "not a configuration field"),
    ((range(2), 10, (("gate", ("xor",)),) * 2), "vary", "varied twice"),
    ((range(2), 10, (("gate", ("xor",)), ("loss", ("mse",)), ("init", ("xavier",)))),
     "vary", "at most 2"),
    ((range(2), 10, (("learning_rate", (0.1, -1.0)),)), "learning_rate", "> 0"),
])
def test_bad_sweeps_name_the_field(arguments, field, reason):
    with pytest.raises(ConfigError) as raised:
        Sweep(TUTORIAL, *arguments)
    assert raised.value.field == field and reason in raised.value.reason


def test_seeds_stay_in_numpys_range():
    assert seeds_from(7, 3) == (7, 8, 9)
    with pytest.raises(ConfigError, match="4294967296"):
        seeds_from(2**32 - 1, 2)
    with pytest.raises(ConfigError, match="100,000"):
        seeds_from(0, 10**12)  # refused before building a trillion seeds
