"""Sweep speed: 1,000 seeds of the tutorial's network with a million-update budget, on
every core, against the batched trainer alone in the same process.

    .venv/bin/python bench/sweep.py [--seeds 1000] [--budget 1000000] [--reference 200]

Prints the sweep's time (target <= 30 s on a 2-core machine), how often progress came (the
first report waits for the worker processes to start and load the kernel; after it, the
longest gap between reports, target <= 1 s), and the cost per network-update of the sweep
against ``BatchedTrainer`` on every core for the first ``--reference`` seeds: the ratio is
the sweep's overhead (processes, chunking, results), measured against a reference that runs
on the same machine at the same time rather than against a fixed figure.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.batched import LANES, BatchedTrainer  # noqa: E402
from engine.config import PRESETS  # noqa: E402
from engine.sweep import Sweep, plan, run_sweep, summarize  # noqa: E402

TUTORIAL = PRESETS["tutorial"]


def batched_cost(seeds, budget) -> tuple[float, int]:
    """Seconds per network-update of BatchedTrainer on every core, and its updates."""
    batch = BatchedTrainer(TUTORIAL.replace(max_iterations=budget), seeds)
    start = time.perf_counter()
    batch.run()
    seconds = time.perf_counter() - start
    updates = int(batch.iterations.sum())
    return seconds / updates, updates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--budget", type=int, default=1_000_000)
    parser.add_argument("--reference", type=int, default=200,
                        help="seeds trained by the batched trainer alone")
    args = parser.parse_args()
    # load or compile both loops first (in lanes, and one at a time for the last few)
    BatchedTrainer(TUTORIAL.replace(max_iterations=100), range(2 * LANES)).run()

    sweep = Sweep(TUTORIAL, range(args.seeds), args.budget)
    reports = []
    start = time.perf_counter()
    result = run_sweep(sweep, progress=lambda done, total: reports.append(time.perf_counter()))
    updates = sum(run.iterations for run in result.runs)
    sweep_cost = result.seconds / updates
    gaps = [later - earlier for earlier, later in zip(reports, reports[1:])]
    summary = summarize(result.runs)

    reference_cost, reference_updates = batched_cost(range(args.reference), args.budget)

    cores = os.cpu_count()
    print(f"{args.seeds:,} seeds of the tutorial network, budget {args.budget:,} updates, "
          f"{cores} cores, {len(plan(sweep, cores))} chunks")
    print(f"sweep: {result.seconds:.1f} s (target <= 30 s), {updates:,} network-updates, "
          f"{summary['converged']:,} converged, median "
          f"{summary['median_iterations_converged']:,.0f} updates")
    print(f"progress: {len(reports)} reports, the first after {reports[0] - start:.2f} s "
          f"(workers starting), then the longest gap {max(gaps, default=0):.2f} s "
          f"(target <= 1 s)")
    print(f"cost per network-update: sweep {sweep_cost * 1e9:.1f} ns, batched trainer alone "
          f"{reference_cost * 1e9:.1f} ns ({args.reference} seeds, {reference_updates:,} "
          f"updates, {cores} threads): overhead ratio {sweep_cost / reference_cost:.2f}×")


if __name__ == "__main__":
    main()
