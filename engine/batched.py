"""BatchedTrainer: many networks of one shape, one per seed, trained side by side.

Network k starts exactly as ``Trainer(config.replace(seed=seeds[k]))`` and follows the same
updates and stopping rule (converged / max_iterations / diverged, each on its own), so its
iteration count, status and parameters equal a single compiled run's. No history is kept.

The compiled kernel trains them: one hidden layer of sigmoids with the squared error (the
tutorial's network) ``LANES`` at a time in vector registers (``engine.kernel_lanes``), other
shapes one at a time (``engine.kernel.train_batch``); a stopped network costs nothing. The
networks are shared out over the cores, network k to thread k mod threads. Without numba
each network is trained by a numpy ``Trainer``.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from engine.config import TrainingConfig
from engine.layout import NetworkLayout, flatten
from engine.trainer import STATUSES, Status, Trainer, select_kernel

#: Networks trained side by side in the vector registers (``engine.kernel_lanes``): two AVX
#: registers of four float64 each.
LANES = 8


def in_lanes(config: TrainingConfig) -> bool:
    """Whether ``config``'s networks are trained in lanes."""
    return len(config.hidden) == 1 and config.activation == "sigmoid" and config.loss == "mse"


class BatchedTrainer:
    """``len(seeds)`` copies of ``config``'s network, seed k for network k.

    ``parameters`` (B, P) in ``engine.layout`` order, ``iterations`` (B,), ``errors`` (B,) and
    ``statuses`` (B codes, see ``status``) hold every network's state. After a divergence
    a network's error is that of its last finite state.
    """

    def __init__(self, config: TrainingConfig, seeds, compiled: bool | None = None,
                 threads: int | None = None):
        self.config = config
        self.threads = threads or os.cpu_count() or 1
        self.seeds = [int(seed) for seed in seeds]
        self.compiled = compiled
        self.layout = NetworkLayout(config.layer_sizes)
        # each network's start and first evaluation exactly as its own Trainer's
        starts = [Trainer(config.replace(seed=seed), compiled=False, history_capacity=4)
                  for seed in self.seeds]
        self.parameters = np.array([flatten(t.layers) for t in starts])  # (B, P)
        self._grads = np.array([flatten(t.grads) for t in starts])  # (B, P)
        self._deltas = np.array([flatten([t.deltas]) for t in starts])  # (B, D)
        self.iterations = np.zeros(len(self.seeds), dtype=np.int64)
        self.errors = np.array([t.error for t in starts])
        self.statuses = np.array([STATUSES.index(t.status) for t in starts], dtype=np.int64)

    def status(self, k: int) -> Status:
        return STATUSES[self.statuses[k]]

    def layers(self, k: int) -> list:
        """Network k's [(w, b), …] like ``Trainer.layers``."""
        return self.layout.unflatten(self.parameters[k])

    @property
    def finished(self) -> bool:
        return not np.any(self.statuses == 0)

    def run(self, chunk: int = 20_000):
        """Train until every network has stopped."""
        while not self.finished:
            self.step(chunk)

    def step(self, n: int) -> int:
        """Up to ``n`` updates of every running network; returns the updates done in all."""
        kernel = select_kernel(self.compiled)
        running = np.flatnonzero(self.statuses == 0)
        if n <= 0 or running.size == 0:
            return 0
        before = int(self.iterations.sum())
        if kernel is None:
            self._step_numpy(running, n)
        else:
            self._step_compiled(n)
        return int(self.iterations.sum()) - before

    def _step_compiled(self, n):
        from engine.kernel_lanes import train_batch  # numba: imported once the kernel is

        # The kernel releases the GIL: thread t takes networks t, t + threads, … (interleaved,
        # so that networks which stop early are spread over the threads).
        threads = min(self.threads, len(self.seeds))
        arguments = (self.parameters, self._grads, self._deltas, self.config, n,
                     self.iterations, self.statuses, self.errors)
        if threads == 1:
            train_batch(*arguments)
            return
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda first: train_batch(*arguments, first, threads),
                          range(threads)))

    def _step_numpy(self, running, n):
        for k in running:
            trainer = Trainer(self.config.replace(seed=self.seeds[k]), compiled=False,
                              layers=self.layers(k), history_capacity=4)
            trainer.iteration = int(self.iterations[k])
            trainer._update_status()
            if trainer.status is Status.RUNNING:
                trainer.step(n)
            self.parameters[k] = flatten(trainer.layers)
            self.iterations[k] = trainer.iteration
            self.errors[k] = trainer.error
            self.statuses[k] = STATUSES.index(trainer.status)
