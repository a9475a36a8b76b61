"""Engine speed, side by side in one run: the tutorial's loop, numpy, compiled, batched.

    .venv/bin/python bench/engine.py [--repeat 3]

Every figure is for the tutorial's network (2-2-1 sigmoid, lr 0.02, summed biases, seed
42), which converges after 390,111 updates. The two slow paths are timed on fewer updates
and extrapolated (marked "~"). Timings are the best of ``--repeat`` runs (median beside).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.batched import BatchedTrainer  # noqa: E402
from engine.config import PRESETS  # noqa: E402
from engine.trainer import Trainer  # noqa: E402

TUTORIAL = PRESETS["tutorial"]
UPDATES = 390_111
SLOW_UPDATES = 20_000


def tutorial_loop(updates):
    """The tutorial's full script as written (lists for its history), stopped after
    ``updates`` updates; returns the lists so that their memory is measured."""

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def sigmoid_derivative(sigmoid_result):
        return sigmoid_result * (1 - sigmoid_result)

    def error(target, prediction):
        return .5 * (target - prediction) ** 2

    def error_derivative(target, prediction):
        return - target + prediction

    rng = np.random.RandomState(42)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[bool(a) != bool(b)] for a, b in x], dtype=int)
    alpha = 0.02
    w_hidden = rng.random_sample(size=(2, 2))
    b_hidden = rng.random_sample(size=(1, 2))
    w_output = rng.random_sample(size=(2, 1))
    b_output = rng.random_sample(size=(1, 1))
    errors, params, grads = [], [], []
    for _ in range(updates):
        y_hidden = sigmoid(np.dot(x, w_hidden) + b_hidden)
        y_output = sigmoid(np.dot(y_hidden, w_output) + b_output)
        e = error(y, y_output).mean()
        if e < 1e-4:
            break
        grad_output = error_derivative(y, y_output) * sigmoid_derivative(y_output)
        grad_hidden = grad_output.dot(w_output.T) * sigmoid_derivative(y_hidden)
        w_output -= alpha * y_hidden.T.dot(grad_output)
        w_hidden -= alpha * x.T.dot(grad_hidden)
        b_output -= alpha * np.sum(grad_output)
        b_hidden -= alpha * np.sum(grad_hidden)
        errors.append(e)
        grads.append(np.concatenate((grad_output.ravel(), grad_hidden.ravel())))
        params.append(np.concatenate((w_output.ravel(), b_output.ravel(),
                                      w_hidden.ravel(), b_hidden.ravel())))
    return errors, params, grads


def timed_together(functions, repeat):
    """(best, median) seconds of each function over ``repeat`` rounds. Each round runs every
    function once, in turn, so that all of them see the same moments of a shared machine
    and their ratios hold even when its speed drifts."""
    times = [[] for _ in functions]
    for _ in range(repeat):
        for function, spent in zip(functions, times):
            start = time.perf_counter()
            function()
            spent.append(time.perf_counter() - start)
    return [(min(spent), statistics.median(spent)) for spent in times]


def traced_peak(function):
    """Peak bytes allocated through Python/numpy while ``function()`` runs (tracemalloc
    slows Python code several times over, so it is never on while timing)."""
    tracemalloc.start()
    result = function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak


def run_python(code, env=None):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True, env=env)
    return time.perf_counter() - start, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat

    def tutorial():
        return tutorial_loop(SLOW_UPDATES)

    def numpy_path():
        trainer = Trainer(TUTORIAL, compiled=False)
        trainer.step(SLOW_UPDATES)
        return trainer

    def compiled_path():
        trainer = Trainer(TUTORIAL, compiled=True)
        trainer.run()
        assert trainer.iteration == UPDATES
        return trainer

    batch_updates = 20_000
    widths = (1024, 4096)
    # built ahead (one per round, one for the memory run): starting 4,096 networks takes
    # about a second of numpy, which is set-up, not training
    ready = {width: [BatchedTrainer(TUTORIAL.replace(max_iterations=batch_updates), range(width))
                     for _ in range(repeat + 1)] for width in widths}

    def batched(width):
        batch = ready[width].pop()
        batch.run()
        return batch

    paths = [  # name, run, updates per run, "to converge" from the best time per update
        ("tutorial loop (lists)", tutorial, SLOW_UPDATES, lambda t: f"~{t * UPDATES:.1f} s"),
        ("numpy reference path", numpy_path, SLOW_UPDATES, lambda t: f"~{t * UPDATES:.1f} s"),
        ("compiled (numba)", compiled_path, UPDATES, lambda t: f"{t * UPDATES * 1e3:.0f} ms"),
    ]
    for width in widths:
        paths.append((f"batched, B={width} ({os.cpu_count()} threads)",
                      lambda width=width: batched(width), width * batch_updates,
                      lambda t: f"{t * UPDATES * 1e3:.0f} ms/net"))
    Trainer(TUTORIAL, compiled=True).step(1)  # load or compile the kernels first
    BatchedTrainer(TUTORIAL.replace(max_iterations=10), [0, 1]).run()
    times = timed_together([run for _, run, _, _ in paths], repeat)
    rows = []
    for (name, run, updates, converge), (best, median) in zip(paths, times):
        peak = traced_peak(run)
        memory = f"{peak / 1e6:.1f} MB"
        if run is tutorial:
            memory = f"~{peak * UPDATES / SLOW_UPDATES / 1e6:.0f} MB"  # its lists grow
        rows.append((name, best / updates, median / updates, converge(best / updates), memory))

    reference, reference_median = rows[0][1], rows[0][2]
    print(f"Tutorial network, {UPDATES:,} updates to converge; best of {repeat} interleaved "
          f"rounds (median in brackets). ~ = timed on {SLOW_UPDATES:,} updates, extrapolated.")
    print(f"{'path':32} {'µs/update':>20} {'to converge':>14} {'peak mem':>10} "
          f"{'speed-up':>17}")
    for name, best, median, converge, memory in rows:
        print(f"{name:32} {best * 1e6:9.4f} ({median * 1e6:8.4f}) {converge:>14} "
              f"{memory:>10} {reference / best:6.3g}× ({reference_median / median:6.3g}×)")
    print("peak mem: tracemalloc peak of Python/numpy allocations during the run "
          "(tutorial lists extrapolated to the full run).")

    # whole processes: the headless CLI with a warm cache, JIT start-up, flat memory
    cli = [sys.executable, "main.py", "train", "--preset", "tutorial"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cli, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    print(f"\n`python main.py train --preset tutorial` (warm cache): best {min(times):.2f} s, "
          f"median {statistics.median(times):.2f} s  (target <= 1.5 s)")

    startup = ("import time; t = time.perf_counter()\n"
               "from engine import PRESETS, Trainer\n"
               "trainer = Trainer(PRESETS['tutorial']); t1 = time.perf_counter()\n"
               "trainer.step(1); print(t1 - t, time.perf_counter() - t1)\n")
    _, out = run_python(startup)
    init, first = (float(v) for v in out.split())
    print(f"import engine + Trainer(): {init * 1e3:.0f} ms (no numba); first step (numba import "
          f"+ cached kernel): {first * 1e3:.0f} ms")
    with tempfile.TemporaryDirectory() as cache:
        _, out = run_python(startup, env=dict(os.environ, NUMBA_CACHE_DIR=cache))
    print(f"first step with a cold cache (compiles the one-hidden-layer loop): "
          f"{float(out.split()[1]):.2f} s")

    soak = ("import resource\n"
            "from engine import PRESETS, Trainer\n"
            "trainer = Trainer(PRESETS['tutorial'].replace(target_error=1e-300, "
            "max_iterations=10_000_000))\n"
            "trainer.step(1)\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "trainer.run()\n"
            "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(trainer.iteration, before, after, len(trainer.snapshot().history))\n")
    seconds, out = run_python(soak)
    iterations, before, after, points = (int(v) for v in out.split())
    print(f"{iterations:,} compiled updates with history: peak RSS +{(after - before) / 1024:.1f} "
          f"MB ({before / 1024:.0f} -> {after / 1024:.0f} MB), {points} history points, "
          f"{seconds:.1f} s  (target <= 30 MB)")
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this bench process peak RSS: {usage:.0f} MB")


if __name__ == "__main__":
    main()
