"""BatchedTrainer: many networks of one shape, one per seed, trained side by side.

Network k starts exactly as ``Trainer(config.replace(seed=seeds[k]))`` and follows the same
updates and stopping rule (converged / max_iterations / diverged, each on its own), so its
iteration count, status and parameters equal a single compiled run's. No history is kept.

The compiled kernel stores the batch as columns (parameter × network) so that every
arithmetic step runs across networks in SIMD lanes; each network's own arithmetic is in the
same order as ``engine.kernel`` (and so mirrors ``engine.network``). Between chunks of
updates the running networks are packed together so stopped ones cost nothing. Without
numba each network is trained by a numpy ``Trainer``.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from engine.config import TrainingConfig
from engine.datasets import dataset
from engine.trainer import Status, Trainer, _unflatten, flatten, load_kernel, select_kernel

_STATUSES = list(Status)
#: Below this many networks per thread, threads cost more than they save.
_MIN_PER_THREAD = 128


class BatchedTrainer:
    """``len(seeds)`` copies of ``config``'s network, seed k for network k.

    ``parameters`` (B, P) in ``flatten`` order, ``iterations`` (B,), ``errors`` (B,) and
    ``statuses`` (B codes, see ``status``) hold every network's state. After a divergence
    a network's error is the compiled evaluation of its last finite state, which may differ
    from a single Trainer's numpy re-evaluation in the last digit.
    """

    def __init__(self, config: TrainingConfig, seeds, compiled: bool | None = None,
                 threads: int | None = None):
        self.config = config
        self.threads = threads or os.cpu_count() or 1
        self.seeds = [int(seed) for seed in seeds]
        self.compiled = compiled
        # each network's start and first evaluation exactly as its own Trainer's
        starts = [Trainer(config.replace(seed=seed), compiled=False, history_capacity=4)
                  for seed in self.seeds]
        self.parameters = np.array([flatten(t.layers) for t in starts])  # (B, P)
        self._grads = np.array([flatten(t.grads) for t in starts])  # (B, P)
        self._deltas = np.array([flatten([t.deltas]) for t in starts])  # (B, D)
        self.iterations = np.zeros(len(self.seeds), dtype=np.int64)
        self.errors = np.array([t.error for t in starts])
        self.statuses = np.array([_STATUSES.index(t.status) for t in starts], dtype=np.int64)

    def status(self, k: int) -> Status:
        return _STATUSES[self.statuses[k]]

    def layers(self, k: int) -> list:
        """Network k's [(w, b), …] like ``Trainer.layers``."""
        return _unflatten(self.parameters[k], self.config.layer_sizes)

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
            self._step_compiled(running, n)
        return int(self.iterations.sum()) - before

    def _step_compiled(self, running, n):
        # The kernel releases the GIL: split the running networks over threads (columns
        # are independent, so the split does not change any result).
        parts = [part for part in np.array_split(running, self.threads) if part.size]
        if len(parts) > 1 and min(part.size for part in parts) < _MIN_PER_THREAD:
            parts = [running]
        if len(parts) == 1:
            self._step_part(parts[0], n)
        else:
            with ThreadPoolExecutor(len(parts)) as pool:
                list(pool.map(lambda part: self._step_part(part, n), parts))

    def _step_part(self, running, n):
        from engine.batch_kernel import train_batch  # numba is known to import by now

        config, kernel = self.config, load_kernel()
        x, y = dataset(config.gate)
        params = np.ascontiguousarray(self.parameters[running].T)  # (P, B')
        grads = np.ascontiguousarray(self._grads[running].T)
        deltas = np.ascontiguousarray(self._deltas[running].T)
        iterations = self.iterations[running].copy()
        statuses = self.statuses[running].copy()
        errors = self.errors[running].copy()
        train_batch(
            params, grads, deltas, np.array(config.layer_sizes, dtype=np.int64),
            x.ravel().copy(), y.ravel().copy(), kernel.ACTIVATION_CODES[config.activation],
            kernel.LOSS_CODES[config.loss], kernel.BIAS_CODES[config.bias_update],
            config.learning_rate, config.target_error, config.max_iterations, n,
            iterations, statuses, errors)
        self.parameters[running] = params.T
        self._grads[running] = grads.T
        self._deltas[running] = deltas.T
        self.iterations[running] = iterations
        self.statuses[running] = statuses
        self.errors[running] = errors

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
            self.statuses[k] = _STATUSES.index(trainer.status)
