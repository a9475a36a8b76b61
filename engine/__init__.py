"""XOR Lab's engine: the network, its training and its files, in numpy alone (no Qt)."""

from engine.config import PRESETS, ConfigError, TrainingConfig
from engine.datasets import GATES, dataset
from engine.trainer import Snapshot, Status, Trainer

__all__ = [
    "GATES",
    "PRESETS",
    "ConfigError",
    "Snapshot",
    "Status",
    "Trainer",
    "TrainingConfig",
    "dataset",
]
