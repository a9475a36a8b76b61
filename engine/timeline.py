"""The recorded moments of a run, as a history scrubber moves over them.

The history keeps θ at every recorded point (engine.history), so any of them can be drawn
again, evaluated anew, or trained on from: a branch.
"""

from engine.trainer import Snapshot, Trainer


def timeline_rows(trainer: Trainer) -> int:
    """The recorded points, then the live state when it is newer than the last of them."""
    history = trainer.history
    return history.count + (int(history.iterations[history.count - 1]) != trainer.iteration)


def _recorded_layers(trainer: Trainer, row: int):
    return trainer.layout.unflatten(trainer.history.parameters[row].copy())


def recorded_moment(trainer: Trainer, row: int) -> Snapshot:
    """The snapshot of the recorded point ``row``: its θ, evaluated anew, at its iteration."""
    moment = Trainer(trainer.config, _recorded_layers(trainer, row), history_capacity=4,
                     compiled=False)
    moment.iteration = int(trainer.history.iterations[row])
    return moment.snapshot(with_history=False)


def branched(trainer: Trainer, row: int, compiled: bool | None) -> Trainer:
    """A run going on from the recorded point ``row``, its history up to there; the later
    points of ``trainer`` are dropped."""
    layers, iteration = _recorded_layers(trainer, row), int(trainer.history.iterations[row])
    trainer.history.keep(row + 1)
    return Trainer.branched(trainer.config, layers, iteration, trainer.history, compiled)
