"""Trainer: runs gradient descent on one network and hands out immutable snapshots."""

from dataclasses import dataclass
from enum import Enum

import numpy as np

from engine.arrays import frozen_copy
from engine.compiled import disable, failure, load_kernel, mark_ready
from engine.config import TrainingConfig
from engine.datasets import dataset
from engine.history import DEFAULT_CAPACITY, History, HistoryView
from engine.layout import NetworkLayout, flatten
from engine.network import (
    backward,
    bias_steps,
    forward,
    gradients,
    init_layers,
    mean_error,
    output_logit,
)
from engine.trainer_state import TrainerState


class Status(str, Enum):
    """Where a run stands. The values are what the CLI prints and the JSON holds."""

    RUNNING = "running"
    CONVERGED = "converged"
    MAX_ITERATIONS = "max_iterations"
    DIVERGED = "diverged"


#: Status by its code in the compiled kernel and in ``BatchedTrainer.statuses``.
STATUSES = tuple(Status)


def select_kernel(compiled: bool | None):
    """The kernel module for a ``compiled`` choice: None for numpy (False, or None when the
    kernel cannot be had); True without it raises ImportError."""
    if compiled is False:
        return None
    kernel = load_kernel()
    if kernel is None and compiled:
        raise ImportError(f"compiled=True needs the numba kernel ({failure()})")
    return kernel


@dataclass(frozen=True)
class Snapshot:
    """The state of a run at one iteration. Every array is a read-only copy.

    layers, gradients: tuples of (w, b) and (∂E/∂w, ∂E/∂b) per layer, input side first;
    deltas: the per-sample deltas (4, n) of every layer; predictions: ŷ (4, 1).
    """

    config: TrainingConfig
    iteration: int
    status: Status
    error: float
    layers: tuple
    gradients: tuple
    deltas: tuple
    predictions: np.ndarray
    history: HistoryView | None


class Trainer:
    """Full-batch gradient descent on the four samples of ``config.gate``.

    Each update: θ ← θ − α ∂E_sum/∂θ (biases per ``config.bias_update``). ``iteration``
    counts updates. The run stops when the mean error falls below the target (converged),
    when ``max_iterations`` updates are done, or when an update would make a parameter or
    the error non-finite (diverged; the last finite state is kept).

    ``compiled``: True runs chunks in the numba kernel (engine.kernel), False in numpy (the
    reference), None picks the kernel when numba imports. The kernel is loaded and compiled
    on the first ``step``, in the caller's (worker) thread, never here.
    """

    def __init__(self, config: TrainingConfig, layers=None, history_capacity=DEFAULT_CAPACITY,
                 compiled: bool | None = None):
        self.config = config
        self.compiled = compiled
        self.layout = NetworkLayout(config.layer_sizes)  # fixed: a new shape needs a new Trainer
        if layers is None:
            rng = np.random.RandomState(config.seed)
            layers = init_layers(config.layer_sizes, config.init, rng)
        else:
            self.layout.check(layers)
        self.layers = [(np.array(w, dtype=np.float64), np.array(b, dtype=np.float64))
                       for w, b in layers]
        self.x, self.y = dataset(config.gate)
        self.iteration = 0
        self.status = Status.RUNNING
        self._evaluate()
        self.history = History(self.layout.n_parameters, self.layout.n_deltas, history_capacity)
        self._record()
        self._update_status()

    @classmethod
    def branched(cls, config: TrainingConfig, layers, iteration: int, history: History,
                 compiled: bool | None = None) -> "Trainer":
        """A run going on from ``layers`` at ``iteration``, ``history`` recorded up to
        there: what a fresh run started from those parameters does, numbered on from the
        moment it branched from."""
        trainer = cls(config, layers, history_capacity=4, compiled=compiled)
        trainer.iteration, trainer.history = iteration, history
        trainer._update_status()
        return trainer

    def _evaluate(self):
        """Forward and backward pass for the current parameters."""
        config = self.config
        self.outputs = forward(self.layers, self.x, config.activation)
        logit = output_logit(self.layers, self.outputs)
        self.error = mean_error(self.y, self.outputs[-1], logit, config.loss)
        self.deltas = backward(self.layers, self.outputs, self.y, config.activation, config.loss)
        self.grads = gradients(self.outputs, self.deltas)

    def _record(self):
        self.history.record(self.iteration, self.error, flatten(self.grads),
                            flatten(self.layers), flatten([self.deltas]))

    def _update_status(self):
        if self.status is Status.DIVERGED:
            return
        if self.error < self.config.target_error:
            self.status = Status.CONVERGED
        elif self.iteration >= self.config.max_iterations:
            self.status = Status.MAX_ITERATIONS
        else:
            self.status = Status.RUNNING

    @property
    def finished(self) -> bool:
        return self.status is not Status.RUNNING

    def step(self, n: int = 1) -> int:
        """Perform up to ``n`` updates; return how many were done."""
        if n <= 0 or self.status is not Status.RUNNING:
            return 0
        kernel = select_kernel(self.compiled)
        if kernel is not None:
            try:
                done = self._step_compiled(kernel, n)
            except Exception as error:  # compiling, loading or caching failed: numpy below
                if self.compiled:
                    raise
                disable(error)
            else:
                mark_ready(self.config)
                return done
        done = 0
        alpha = self.config.learning_rate
        # A diverging run overflows on its way to inf; that is detected below, not an error.
        with np.errstate(over="ignore", invalid="ignore"):
            while done < n and self.status is Status.RUNNING:
                bias_moves = bias_steps(self.grads, self.deltas, self.config.bias_update)
                updated = [(w - alpha * dw, b - alpha * db)
                           for (w, b), (dw, _), db in zip(self.layers, self.grads, bias_moves)]
                previous = self.layers
                self.layers = updated
                self._evaluate()
                finite = np.isfinite(self.error) and all(
                    np.isfinite(w).all() and np.isfinite(b).all() for w, b in updated)
                if not finite:
                    self.layers = previous
                    self._evaluate()
                    self.status = Status.DIVERGED
                    break
                self.iteration += 1
                done += 1
                if self.history.wants(self.iteration):
                    self._record()
                self._update_status()
        return done

    def _step_compiled(self, kernel, n: int) -> int:
        """``step`` in engine.kernel: same updates, history points and stopping rule.

        The kernel starts from the cached gradients, as the numpy loop does.
        """
        layout = self.layout
        params = flatten(self.layers)
        grads = flatten(self.grads)
        deltas = flatten([self.deltas])
        outputs = np.zeros(layout.n_outputs)
        outputs[:self.x.size] = self.x.ravel()
        done, status, error = kernel.train_chunk(params, grads, deltas, outputs, self.config,
                                                 self.iteration, n, self.history.buffers)
        self.iteration += int(done)
        self.layers = layout.unflatten(params)
        self.status = STATUSES[status]
        if self.status is Status.DIVERGED:
            self._evaluate()  # the kernel's buffers hold the rejected update
        elif done:
            self.error = float(error)
            self.grads = layout.unflatten(grads)
            self.deltas = layout.split_layers(deltas)
            self.outputs = [self.x] + layout.split_layers(outputs[self.x.size:])
        return int(done)

    def run(self) -> Status:
        """Train until the run stops by itself."""
        while not self.finished:
            self.step(100_000)
        return self.status

    def reconfigure(self, config: TrainingConfig):
        """Switch to ``config`` mid-run (learning rate, target, loss, gate, …).

        Changes that alter the network's shape or start (``TrainingConfig.needs_restart``)
        need a new Trainer instead and raise ValueError here.
        """
        if self.config.needs_restart(config):
            raise ValueError("this change needs a new network: create a new Trainer")
        # Only the targets and the loss change the evaluation at θ. Keeping it otherwise keeps
        # a compiled run bit for bit on its course (numpy's differs in the last bits).
        evaluated = (self.config.gate, self.config.loss) == (config.gate, config.loss)
        self.config = config
        if not evaluated:
            self.x, self.y = dataset(config.gate)
            self._evaluate()
        self._update_status()

    def state(self) -> TrainerState:
        """Copies of everything ``restore`` needs to go on exactly from here."""
        return TrainerState(
            iteration=self.iteration,
            status=self.status,
            error=float(self.error),
            parameters=frozen_copy(flatten(self.layers)),
            gradients=frozen_copy(flatten(self.grads)),
            deltas=frozen_copy(flatten([self.deltas])),
            outputs=frozen_copy(flatten([self.outputs[1:]])),
            history=self.history.state(),
        )

    @classmethod
    def restore(cls, config: TrainingConfig, state: TrainerState,
                compiled: bool | None = None) -> "Trainer":
        """The trainer ``state`` was taken from, trained with ``config``: its future updates
        are bit for bit those it would have made. ValueError if ``state`` does not fit
        ``config``'s network."""
        layout = NetworkLayout(config.layer_sizes)
        state.check(layout)
        trainer = cls(config, layers=layout.unflatten(state.parameters),
                      history_capacity=state.history.capacity, compiled=compiled)
        # The stored evaluation, not the one __init__ made: see engine/trainer_state.py.
        trainer.error = state.error
        trainer.grads = layout.unflatten(state.gradients)
        trainer.deltas = layout.split_layers(state.deltas)
        trainer.outputs = [trainer.x] + layout.split_layers(state.outputs)
        trainer.iteration = state.iteration
        trainer.status = Status(state.status)
        trainer.history = History.from_state(state.history)
        trainer._update_status()  # ``config`` may set another limit or target than the run's
        return trainer

    @property
    def predictions(self) -> np.ndarray:
        return self.outputs[-1]

    def snapshot(self, with_history: bool = True) -> Snapshot:
        """An immutable copy of the current state (and of the history if asked)."""
        history = None
        if with_history:
            history = self.history.view(self.iteration, self.error, flatten(self.grads),
                                        flatten(self.layers), flatten([self.deltas]))
        return Snapshot(
            config=self.config,
            iteration=self.iteration,
            status=self.status,
            error=self.error,
            layers=tuple((frozen_copy(w), frozen_copy(b)) for w, b in self.layers),
            gradients=tuple((frozen_copy(dw), frozen_copy(db)) for dw, db in self.grads),
            deltas=tuple(frozen_copy(d) for d in self.deltas),
            predictions=frozen_copy(self.outputs[-1]),
            history=history,
        )
