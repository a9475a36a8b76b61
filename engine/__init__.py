"""XOR Lab's engine: the network, its training and its files, in numpy alone (no Qt)."""

#: The version, written once: pyproject.toml, `--version` and the About box read it.
__version__ = "0.1.0"

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
