"""Sweeps: many seeds of one configuration, for up to two varied settings, each run trained
to convergence or an update budget, on every local core.

A sweep is split into chunks, one configuration × a slice of its seeds, each trained by a
``BatchedTrainer``: so run k of a chunk is exactly ``Trainer(config.replace(seed=k,
max_iterations=budget))`` run to its end (iterations and status equal, the error to ~1e-12).
Chunks are sized to take well under a second each, so that progress comes at least once a
second and a cancel waits at most for the chunks already running.

The chunks run in a pool of processes started afresh ("spawn"): forking a process that
already has threads (a window's, numba's) is unsafe, and each worker then loads the compiled
kernel from the disk cache once (a fraction of a second) and keeps it for every chunk. Given a
scheduler's address, they run on a Dask cluster instead (engine.sweep_cluster), fed the same
way.
"""

import csv
import io
import itertools
import math
import multiprocessing
import os
import statistics
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from engine.batched import LANES, BatchedTrainer, in_lanes
from engine.config import FIELD_SPECS, MAX_SEED, ConfigError, TrainingConfig
from engine.datasets import dataset
from engine.layout import NetworkLayout
from engine.network import forward
from engine.sweep_cluster import connect, run_on, threads
from engine.trainer import Status

MAX_SEEDS = 100_000
MAX_VARIED = 2
MAX_VALUES = 100
#: Settings a sweep cannot vary: the seeds and the budget are its own axes.
NOT_VARIED = ("seed", "max_iterations")
#: How often a sweep waiting for chunks looks whether it was cancelled.
CANCEL_SECONDS = 0.25
#: A chunk's work in the worst case (every run using the whole budget), in seconds.
CHUNK_SECONDS = 0.5
#: Rough cost of one network-update per parameter on one core (the tutorial's 9 parameters
#: take ~0.1-0.18 µs one at a time, ~0.04-0.09 µs in lanes): only used to size chunks, so
#: erring high just makes more of them.
_UPDATE_SECONDS_PER_PARAMETER = 2.5e-8
_LANE_UPDATE_SECONDS_PER_PARAMETER = 1e-8
#: Seeds of a chunk trained in lanes, at least: a chunk's last runs leave lanes idle, but
#: the last two of them are finished one at a time (engine.kernel_lanes), so one filling of
#: the lanes wastes ~16 % of a sweep of tutorial runs and four fillings ~10 %, while chunks
#: of one filling report progress four times as often.
MIN_LANE_CHUNK = LANES


@dataclass(frozen=True)
class Sweep:
    """``config`` trained from each of ``seeds`` for at most ``budget`` updates, once per
    combination of the ``varied`` settings: ((field, (value, …)), …), at most two fields.
    Invalid values raise ConfigError naming the field."""

    config: TrainingConfig
    seeds: tuple[int, ...]
    budget: int
    varied: tuple[tuple[str, tuple], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "seeds", tuple(int(seed) for seed in self.seeds))
        object.__setattr__(self, "varied", tuple((name, tuple(values))
                                                 for name, values in self.varied))
        if not 1 <= len(self.seeds) <= MAX_SEEDS:
            raise ConfigError("seeds", f"must number from 1 to {MAX_SEEDS:,} "
                                       f"(got {len(self.seeds):,})")
        if len(self.varied) > MAX_VARIED:
            raise ConfigError("vary", f"at most {MAX_VARIED} settings can be varied")
        names = [name for name, _ in self.varied]
        for name, values in self.varied:
            if name not in FIELD_SPECS or name in NOT_VARIED:
                raise ConfigError("vary", f"{name} cannot be varied (the seeds and the "
                                          "budget are the sweep's own)" if name in NOT_VARIED
                                  else f"{name} is not a configuration field")
            if names.count(name) > 1:
                raise ConfigError("vary", f"{name} is varied twice")
            if not 1 <= len(values) <= MAX_VALUES or len(set(values)) != len(values):
                raise ConfigError("vary", f"{name} needs 1 to {MAX_VALUES} different values")
        # every configuration and seed checked now, not in a worker halfway through
        self.configs()
        self.config.replace(seed=min(self.seeds)).replace(seed=max(self.seeds))

    @property
    def varied_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.varied)

    @property
    def runs(self) -> int:
        return len(self.seeds) * math.prod(len(values) for _, values in self.varied)

    def configs(self) -> list[tuple[tuple, TrainingConfig]]:
        """(settings, config) for each combination of the varied values, the first field's
        values outermost; settings: ((field, value), …)."""
        base = self.config.replace(max_iterations=self.budget)
        combos = itertools.product(*(values for _, values in self.varied))
        return [(settings, base.replace(**dict(settings)))
                for settings in (tuple(zip(self.varied_names, combo)) for combo in combos)]


@dataclass(frozen=True)
class Chunk:
    """One configuration and a slice of seeds: the unit of work sent to a worker."""

    config: TrainingConfig
    settings: tuple  # ((field, value), …), the varied settings of ``config``
    seeds: tuple[int, ...]
    compiled: bool | None = None


@dataclass(frozen=True)
class RunResult:
    """How one run of a sweep ended. ``predictions``: ŷ for the four inputs."""

    settings: tuple  # ((field, value), …)
    seed: int
    status: Status
    iterations: int
    error: float
    predictions: tuple[float, ...]


@dataclass(frozen=True)
class SweepResult:
    """The runs that finished, in the sweep's order (varied values, then seeds); ``total``
    runs were asked for; ``cancelled``: stopped early, ``runs`` holds what was done."""

    runs: tuple[RunResult, ...]
    total: int
    cancelled: bool
    seconds: float


def chunk_size(config: TrainingConfig, budget: int) -> int:
    """How many seeds of ``config`` one chunk trains: CHUNK_SECONDS of work at worst (at
    least MIN_LANE_CHUNK in lanes)."""
    lanes = in_lanes(config)
    update = ((_LANE_UPDATE_SECONDS_PER_PARAMETER if lanes else _UPDATE_SECONDS_PER_PARAMETER)
              * NetworkLayout(config.layer_sizes).n_parameters)
    return max(MIN_LANE_CHUNK if lanes else 1, int(CHUNK_SECONDS / (budget * update)))


def plan(sweep: Sweep, workers: int = 1, compiled: bool | None = None) -> list[Chunk]:
    """The sweep's chunks in order, at most ``chunk_size`` seeds each and small enough that
    every one of ``workers`` gets one."""
    chunks = []
    for settings, config in sweep.configs():
        size = min(chunk_size(config, sweep.budget), math.ceil(len(sweep.seeds) / workers))
        for start in range(0, len(sweep.seeds), size):
            chunks.append(Chunk(config, settings, sweep.seeds[start:start + size], compiled))
    return chunks


def run_chunk(chunk: Chunk) -> tuple[RunResult, ...]:
    """Train every run of ``chunk`` to its end. A pure, top-level (picklable) function of
    its argument, so that any executor can call it: the local process pool here, a Dask
    cluster's ``client.map(run_chunk, chunks)`` as well."""
    # one thread per chunk: the parallelism is across chunks, one worker per core
    batch = BatchedTrainer(chunk.config, chunk.seeds, compiled=chunk.compiled, threads=1)
    batch.run()
    x, _ = dataset(chunk.config.gate)
    results = []
    for k, seed in enumerate(batch.seeds):
        # the last finite state, even after a divergence: its outputs may overflow to 0 or 1
        with np.errstate(over="ignore", invalid="ignore"):
            predictions = forward(batch.layers(k), x, chunk.config.activation)[-1]
        results.append(RunResult(chunk.settings, seed, batch.status(k),
                                 int(batch.iterations[k]), float(batch.errors[k]),
                                 tuple(float(p) for p in predictions.ravel())))
    return tuple(results)


def _cancel_test(cancel):
    """A callable from a threading.Event, a callable or None."""
    if cancel is None:
        return lambda: False
    return cancel.is_set if hasattr(cancel, "is_set") else cancel


def run_sweep(sweep: Sweep, workers: int | None = None, progress=None, cancel=None,
              compiled: bool | None = None, chunk_done=None,
              scheduler: str | None = None) -> SweepResult:
    """Run ``sweep`` on ``workers`` processes (default: every core; 1: in this process), or
    on the Dask cluster whose scheduler is at ``scheduler`` ('tcp://host:port'; ClusterError
    when it cannot be used), with the same results.

    ``progress(done, total)`` is called in this thread after each chunk, with runs as the
    unit, and ``chunk_done(index, runs)`` with the chunk's runs (``index``: its place in
    the sweep; ``in_order`` puts what came in the sweep's order), so that a window can show
    results as they come. ``cancel`` (a threading.Event or a callable returning True) is
    checked between chunks: no new chunk starts, those running finish (but a wait of
    CANCEL_SECONDS with none finishing drops them: a cluster that lost its workers would
    never finish them), and the result says it was cancelled. No worker process outlives
    the call. A cluster lost for good is a ClusterError.
    """
    start = time.perf_counter()
    cancelled = _cancel_test(cancel)
    done: dict[int, tuple[RunResult, ...]] = {}
    count = 0

    def finished(index, results):
        nonlocal count
        done[index] = results
        count += len(results)
        if progress is not None:
            progress(count, sweep.runs)
        if chunk_done is not None:
            chunk_done(index, results)

    if scheduler is not None:
        stopped = _run_on_cluster(sweep, scheduler, compiled, finished, cancelled)
    else:
        stopped = _run_here(sweep, workers, compiled, finished, cancelled)
    return SweepResult(in_order(done), sweep.runs, stopped, time.perf_counter() - start)


def _run_on_cluster(sweep, scheduler, compiled, finished, cancelled) -> bool:
    client = connect(scheduler)
    try:
        workers = threads(client)
        chunks = plan(sweep, workers, compiled)
        return run_on(client, scheduler, lambda executor: _feed(
            executor, workers, chunks, finished, cancelled))
    finally:
        client.close()


def _run_here(sweep, workers, compiled, finished, cancelled) -> bool:
    workers = max(1, workers or os.cpu_count() or 1)
    chunks = plan(sweep, workers, compiled)
    if workers == 1 or len(chunks) == 1:
        for index, chunk in enumerate(chunks):
            if cancelled():
                return True
            finished(index, run_chunk(chunk))
        return False
    workers = min(workers, len(chunks))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return _feed(pool, workers, chunks, finished, cancelled)


def in_order(done: dict) -> tuple[RunResult, ...]:
    """The runs of the chunks done ({index: runs}) in the sweep's order."""
    return tuple(run for index in sorted(done) for run in done[index])


def _feed(executor, workers, chunks, finished, cancelled) -> bool:
    """Feed ``chunks`` to ``executor`` (a process pool or a Dask cluster's), ``workers`` + 1
    at a time so that a cancel waits only for those, passing each chunk's runs to
    ``finished`` as it ends; returns whether it was cancelled."""
    waiting = list(enumerate(chunks))[::-1]
    running = {}
    stopped = False
    while waiting or running:
        stopped = stopped or cancelled()
        while waiting and not stopped and len(running) <= workers:
            index, chunk = waiting.pop()
            running[executor.submit(run_chunk, chunk)] = index
        if not running:
            break
        # not for ever: a cancel must not wait on a chunk whose workers are all gone
        ready, _ = wait(running, timeout=CANCEL_SECONDS, return_when=FIRST_COMPLETED)
        if not ready and cancelled():
            return True
        for future in ready:
            finished(running.pop(future), future.result())
    return stopped and bool(waiting)  # a cancel after the last chunk cancels nothing


def summarize(runs, varied_names=()) -> dict:
    """Runs, converged fraction and median iterations of the converged runs, over all
    ``runs`` and (``by_setting``) per combination of the varied settings."""

    def stats(group):
        converged = [run.iterations for run in group if run.status is Status.CONVERGED]
        return {
            "runs": len(group),
            "converged": len(converged),
            "converged_fraction": len(converged) / len(group) if group else None,
            "median_iterations_converged":
                statistics.median(converged) if converged else None,
        }

    summary = stats(list(runs))
    if varied_names:
        groups: dict[tuple, list] = {}
        for run in runs:
            groups.setdefault(run.settings, []).append(run)
        summary["by_setting"] = [{**dict(settings), **stats(group)}
                                 for settings, group in groups.items()]
    return summary


def seeds_from(first: int, count: int) -> tuple[int, ...]:
    """``count`` consecutive seeds from ``first``; ConfigError for a count out of range or
    a seed past the last valid one."""
    if not 1 <= count <= MAX_SEEDS:
        raise ConfigError("seeds", f"must number from 1 to {MAX_SEEDS:,} (got {count:,})")
    if not 0 <= first <= MAX_SEED or first + count - 1 > MAX_SEED:
        raise ConfigError("seed", f"seeds must lie from 0 to {MAX_SEED} (asked for "
                                  f"{first} to {first + count - 1})")
    return tuple(range(first, first + count))


def setting_text(value):
    """A setting as a table shows it: a hidden layout as '4,3'."""
    return ",".join(map(str, value)) if isinstance(value, tuple) else value


def json_rows(runs) -> list[dict]:
    """One JSON-ready object per run: seed, status, iterations, error, varied settings."""
    return [{"seed": run.seed, "status": run.status.value, "iterations": run.iterations,
             "error": run.error, **{name: list(value) if isinstance(value, tuple) else value
                                    for name, value in run.settings}}
            for run in runs]


def csv_text(runs, varied_names) -> str:
    """One row per run: its varied settings, seed, status, iterations, error, ŷ per input
    (numbers written in full, as repr does)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([*varied_names, "seed", "status", "iterations", "error",
                     "prediction_00", "prediction_01", "prediction_10", "prediction_11"])
    for run in runs:
        writer.writerow([*(setting_text(value) for _, value in run.settings), run.seed,
                         run.status.value, run.iterations, repr(run.error),
                         *map(repr, run.predictions)])
    return text.getvalue()
