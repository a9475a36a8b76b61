"""Trainer: runs gradient descent on one network and hands out immutable snapshots."""

from dataclasses import dataclass
from enum import Enum

import numpy as np

from engine.config import TrainingConfig
from engine.datasets import dataset
from engine.history import DEFAULT_CAPACITY, History, HistoryView
from engine.network import (
    backward,
    bias_steps,
    forward,
    gradients,
    init_layers,
    mean_error,
    output_logit,
)


class Status(str, Enum):
    """Where a run stands. The values are what the CLI prints and the JSON holds."""

    RUNNING = "running"
    CONVERGED = "converged"
    MAX_ITERATIONS = "max_iterations"
    DIVERGED = "diverged"


def flatten(pairs) -> np.ndarray:
    """One row of every layer's (w, b) pair, input layer first, each w then b row-major."""
    return np.concatenate([part.ravel() for pair in pairs for part in pair])


def parameter_groups(layer_sizes) -> list[tuple[int, str]]:
    """(layer index, "w" or "b") for every entry of ``flatten``, layer 0 the first hidden."""
    groups = []
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        groups += [(layer, "w")] * (n_in * n_out) + [(layer, "b")] * n_out
    return groups


def delta_groups(layer_sizes, n_samples=4) -> list[int]:
    """The layer index of every column of the history's deltas (each layer's (4, n) raveled)."""
    return [layer for layer, n in enumerate(layer_sizes[1:]) for _ in range(n_samples * n)]


def _frozen(array) -> np.ndarray:
    copy = np.array(array, dtype=np.float64, copy=True)
    copy.setflags(write=False)
    return copy


def check_layers(layers, layer_sizes):
    """Raise ValueError unless ``layers`` are finite arrays shaped for ``layer_sizes``."""
    expected = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    if len(layers) != len(expected):
        raise ValueError(f"expected {len(expected)} layers, found {len(layers)}")
    for index, ((w, b), (n_in, n_out)) in enumerate(zip(layers, expected)):
        for name, array, shape in (("w", w, (n_in, n_out)), ("b", b, (1, n_out))):
            if np.shape(array) != shape:
                raise ValueError(
                    f"layer {index} {name} has shape {np.shape(array)}, expected {shape}"
                )
            if not np.all(np.isfinite(array)):
                raise ValueError(f"layer {index} {name} holds a non-finite value")


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
    """

    def __init__(self, config: TrainingConfig, layers=None, history_capacity=DEFAULT_CAPACITY):
        self.config = config
        if layers is None:
            rng = np.random.RandomState(config.seed)
            layers = init_layers(config.layer_sizes, config.init, rng)
        else:
            check_layers(layers, config.layer_sizes)
        self.layers = [(np.array(w, dtype=np.float64), np.array(b, dtype=np.float64))
                       for w, b in layers]
        self.x, self.y = dataset(config.gate)
        self.iteration = 0
        self.status = Status.RUNNING
        self._evaluate()
        n_parameters = len(flatten(self.layers))
        n_deltas = sum(d.size for d in self.deltas)
        self.history = History(n_parameters, n_deltas, history_capacity)
        self._record()
        self._update_status()

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
        done = 0
        alpha = self.config.learning_rate
        while done < n and self.status is Status.RUNNING:
            bias_moves = bias_steps(self.grads, self.deltas, self.config.bias_update)
            updated = [(w - alpha * dw, b - alpha * db)
                       for (w, b), (dw, _), db in zip(self.layers, self.grads, bias_moves)]
            previous = self.layers
            self.layers = updated
            self._evaluate()
            finite = np.isfinite(self.error) and all(
                np.isfinite(w.sum() + b.sum()) for w, b in updated)
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
        self.config = config
        self.x, self.y = dataset(config.gate)
        self._evaluate()
        self._update_status()

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
            layers=tuple((_frozen(w), _frozen(b)) for w, b in self.layers),
            gradients=tuple((_frozen(dw), _frozen(db)) for dw, db in self.grads),
            deltas=tuple(_frozen(d) for d in self.deltas),
            predictions=_frozen(self.outputs[-1]),
            history=history,
        )
