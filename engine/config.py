"""TrainingConfig: every choice that defines a training run, validated on construction."""

import math
from dataclasses import asdict, dataclass, fields, replace

from engine.datasets import GATES

ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = ("uniform", "xavier")
BIAS_UPDATES = ("per-neuron", "summed")
LOSSES = ("mse", "cross-entropy")

MAX_HIDDEN_LAYERS = 4
MAX_LAYER_WIDTH = 16

#: Fields whose change alters the network's shape or its starting parameters: changing one
#: of them means starting over. Every other field can change in the middle of a run.
RESTART_FIELDS = ("seed", "hidden", "init", "activation")


class ConfigError(ValueError):
    """A configuration value is invalid; ``field`` names the TrainingConfig field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


def _check_choice(field, value, choices):
    if value not in choices:
        raise ConfigError(field, f"must be one of {', '.join(choices)} (got {value!r})")


def _check_int(field, value, low, high=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(field, f"must be a whole number (got {value!r})")
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ConfigError(field, f"must be {bound} (got {value})")


def _check_positive_float(field, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(field, f"must be a number (got {value!r})")
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(field, f"must be a finite number > 0 (got {value})")


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden layer sizes typed by a person: '2', '4,3', '4, 4' or '4 4' → a tuple of ints.

    Only the syntax is checked here (ConfigError on anything but whole numbers); the sizes
    themselves are validated by TrainingConfig.
    """
    parts = text.replace(",", " ").split()
    try:
        return tuple(int(part) for part in parts)
    except ValueError:
        raise ConfigError("hidden", "must be whole numbers separated by commas, e.g. 2 or "
                          f"4,3 (got {text!r})") from None


@dataclass(frozen=True)
class TrainingConfig:
    """One training run.

    ``hidden`` lists the hidden layer widths from input to output; the output layer is one
    sigmoid unit. ``bias_update="summed"`` reproduces the tutorial's full script, where every
    bias of a layer moves by the sum of *all* that layer's deltas; ``"per-neuron"`` is the
    true gradient step. ``init="uniform"`` draws U[0, 1) as the tutorial; ``"xavier"`` draws
    weights from U[-a, a] with a = sqrt(6 / (n_in + n_out)) (Glorot & Bengio 2010) and sets
    the biases to zero.
    """

    gate: str = "xor"
    seed: int = 42
    hidden: tuple[int, ...] = (2,)
    learning_rate: float = 0.02
    activation: str = "sigmoid"
    init: str = "uniform"
    bias_update: str = "per-neuron"
    loss: str = "mse"
    target_error: float = 1e-4
    max_iterations: int = 5_000_000

    def __post_init__(self):
        _check_choice("gate", self.gate, GATES)
        _check_int("seed", self.seed, 0, 2**32 - 1)
        hidden = self.hidden
        if isinstance(hidden, list):
            hidden = tuple(hidden)
            object.__setattr__(self, "hidden", hidden)
        if not isinstance(hidden, tuple) or not 1 <= len(hidden) <= MAX_HIDDEN_LAYERS:
            raise ConfigError(
                "hidden", f"must list 1 to {MAX_HIDDEN_LAYERS} layer sizes (got {hidden!r})"
            )
        for width in hidden:
            _check_int("hidden", width, 1, MAX_LAYER_WIDTH)
        _check_positive_float("learning_rate", self.learning_rate)
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("init", self.init, INITS)
        _check_choice("bias_update", self.bias_update, BIAS_UPDATES)
        _check_choice("loss", self.loss, LOSSES)
        _check_positive_float("target_error", self.target_error)
        _check_int("max_iterations", self.max_iterations, 1)
        # Store plain floats so that equality and JSON output do not depend on int vs float.
        object.__setattr__(self, "learning_rate", float(self.learning_rate))
        object.__setattr__(self, "target_error", float(self.target_error))

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per layer from input to output, e.g. (2, 2, 1)."""
        return (2, *self.hidden, 1)

    def replace(self, **changes) -> "TrainingConfig":
        """A copy with ``changes`` applied (validated like a new config)."""
        return replace(self, **changes)

    def needs_restart(self, other: "TrainingConfig") -> bool:
        """True when going from self to ``other`` changes the network's shape or start."""
        return any(getattr(self, f) != getattr(other, f) for f in RESTART_FIELDS)

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        values = asdict(self)
        values["hidden"] = list(self.hidden)
        return values

    @classmethod
    def from_dict(cls, values: dict) -> "TrainingConfig":
        """Build from ``to_dict`` output; unknown keys are an error, missing keys default."""
        if not isinstance(values, dict):
            raise ConfigError("config", f"must be an object (got {type(values).__name__})")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(unknown[0], "is not a configuration field")
        values = dict(values)
        if isinstance(values.get("hidden"), list):
            values["hidden"] = tuple(values["hidden"])
        return cls(**values)


#: Named starting points. "tutorial" is the tutorial's full script exactly.
PRESETS = {
    "tutorial": TrainingConfig(bias_update="summed"),
    "tanh": TrainingConfig(activation="tanh", init="xavier", learning_rate=0.1, seed=2),
    "relu": TrainingConfig(
        activation="relu", init="xavier", hidden=(4,), learning_rate=0.05, seed=3
    ),
    "wide": TrainingConfig(hidden=(4,), learning_rate=0.5),
    "per-neuron": TrainingConfig(learning_rate=0.5),
}
