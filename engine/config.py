"""TrainingConfig: every choice that defines a training run, validated on construction.

Each field says, once, in its metadata, how people see it: its label, its help text (the
tooltip and the ``--help`` line), its command-line flag, its limits and whether changing it
restarts the network. FIELD_SPECS collects those; the validation, the command line and the
config panel all read them, so a limit or a wording exists in one place only.
"""

import math
import re
import reprlib
import typing
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation

from engine.datasets import GATES

ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = ("uniform", "xavier")
BIAS_UPDATES = ("per-neuron", "summed")
LOSSES = ("mse", "cross-entropy")

MAX_SEED = 2**32 - 1  # numpy.random.RandomState takes seeds below 2**32
MAX_HIDDEN_LAYERS = 4
MAX_LAYER_WIDTH = 16
#: Far beyond any run worth waiting for (~3 hours at 10⁸ updates/s), and well inside the
#: compiled kernel's int64 counters.
MAX_ITERATIONS = 10**12
#: Any finite rate is allowed below this, for the divergence demos (a rate of 1e308 makes
#: the network overflow at once); the bound only keeps the value a float.
MAX_LEARNING_RATE = 1e308
#: The mean squared error of a sample is at most ½: a target of 1 or more is met before
#: the first update.
MAX_TARGET_ERROR = 1.0


class ConfigError(ValueError):
    """A configuration value is invalid; ``field`` names the TrainingConfig field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass(frozen=True)
class FieldSpec:
    """How one TrainingConfig field is shown, typed and limited.

    ``kind`` is the field's type (int, float, str or tuple); ``low``/``high`` bound a number,
    or each number of a tuple, inclusively unless ``low_exclusive``; a tuple holds 1 to
    ``max_count`` numbers. ``restarts``: changing the field starts the network over.
    """

    name: str
    label: str
    help: str
    flag: str
    kind: type
    restarts: bool = False
    low: float | None = None
    high: float | None = None
    low_exclusive: bool = False
    max_count: int | None = None
    choices: tuple[str, ...] | None = None


def _spec(label: str, flag: str, help: str, **limits) -> dict:
    """Dataclass field metadata; name and kind are added from the field itself."""
    return {"spec": {"label": label, "flag": flag, "help": help, **limits}}


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


#: Digits grouped in threes by commas; a first group of 0 groups nothing ("0,001" is 0.001).
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+")


def parse_number(field: str, text: str, kind: type):
    """A number typed by a person, for ``field``: ``kind`` int or float.

    Commas are read as thousands separators only where they group digits in threes
    ("5,000,000", "1,000.5"); a lone decimal comma ("0,02", "0,001", "1,5e-4") is a decimal
    point. A whole number may be written with an exponent when it is whole ("1e6").
    What could be read both ways ("1,000" for a float) or neither ("4,2" for a whole
    number) is a ConfigError, never silently reinterpreted: stripping the comma would turn
    a learning rate of 0,02 into 2.
    """
    cleaned = text.strip().replace("_", "").replace(" ", "")
    number, _, exponent = cleaned.lower().partition("e")
    if "," in number:
        whole = number.split(".")[0]
        if _GROUPED.fullmatch(whole):
            if kind is float and "." not in number and not exponent:
                raise ConfigError(field, f"{text!r} could mean {whole.replace(',', '')} or "
                                  f"{whole.replace(',', '.', 1)}: write it without a comma")
            cleaned = cleaned.replace(",", "")
        elif kind is float and number.count(",") == 1 and "." not in number:
            cleaned = cleaned.replace(",", ".")
    try:
        return kind(cleaned)
    except ValueError:
        if kind is int and exponent:
            whole = _whole_with_exponent(cleaned)
            if whole is not None:
                return whole
        example = "100000, 100,000 or 1e5" if kind is int else "0.02 or 1e-4"
        raise ConfigError(field, f"must be a number such as {example} (got {text!r})") from None


def _whole_with_exponent(text: str) -> int | None:
    """'1e6' or '2.5e3' as the whole number it exactly is (a budget of a million typed as
    it is said); None when it is not one, or its exponent is beyond any bound here."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value() or value.adjusted() > 100:
        return None
    return int(value)


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

    gate: str = field(default="xor", metadata=_spec(
        "Gate", "--gate", "Logic gate whose truth table the network learns.", choices=GATES))
    seed: int = field(default=42, metadata=_spec(
        "Seed", "--seed",
        f"Seeds the random starting weights, a whole number from 0 to {MAX_SEED}: the same "
        "seed gives the same run, and 42 gives the tutorial's.",
        restarts=True, low=0, high=MAX_SEED))
    hidden: tuple[int, ...] = field(default=(2,), metadata=_spec(
        "Hidden layout", "--hidden",
        f"Hidden layer widths from input to output, e.g. 2 or 4,3 (1 to {MAX_HIDDEN_LAYERS} "
        f"layers of 1 to {MAX_LAYER_WIDTH} neurons).",
        restarts=True, low=1, high=MAX_LAYER_WIDTH, max_count=MAX_HIDDEN_LAYERS))
    learning_rate: float = field(default=0.02, metadata=_spec(
        "Learning rate", "--lr",
        f"Step size α of gradient descent, a number > 0 and <= {MAX_LEARNING_RATE:g}; the "
        "tutorial uses 0.02.",
        low=0, low_exclusive=True, high=MAX_LEARNING_RATE))
    activation: str = field(default="sigmoid", metadata=_spec(
        "Activation", "--activation",
        "Hidden-layer activation function (the output unit is always a sigmoid).",
        restarts=True, choices=ACTIVATIONS))
    init: str = field(default="uniform", metadata=_spec(
        "Initialisation", "--init",
        "Starting weights. uniform: U[0, 1) as in the tutorial; xavier: Glorot uniform "
        "weights and zero biases.",
        restarts=True, choices=INITS))
    bias_update: str = field(default="per-neuron", metadata=_spec(
        "Bias update", "--bias-update",
        "summed: each bias moves by the sum of all its layer's deltas (the tutorial's "
        "script); per-neuron: the true gradient step.",
        choices=BIAS_UPDATES))
    loss: str = field(default="mse", metadata=_spec(
        "Loss", "--loss", "mse: mean squared error (the tutorial); cross-entropy: log loss.",
        choices=LOSSES))
    target_error: float = field(default=1e-4, metadata=_spec(
        "Target error", "--target-error",
        "Training stops (converged) when the mean error falls below this value, e.g. 1e-4 "
        f"(> 0 and <= {MAX_TARGET_ERROR:g}).",
        low=0, low_exclusive=True, high=MAX_TARGET_ERROR))
    max_iterations: int = field(default=5_000_000, metadata=_spec(
        "Max iterations", "--max-iterations",
        f"Training stops after this many updates (1 to {MAX_ITERATIONS:,}).",
        low=1, high=MAX_ITERATIONS))

    def __post_init__(self):
        # Field order decides which error a config with several bad values reports.
        for spec in FIELD_SPECS.values():
            object.__setattr__(self, spec.name, _validated(spec, getattr(self, spec.name)))

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
        unknown = sorted(set(values) - set(FIELD_SPECS))
        if unknown:
            raise ConfigError(unknown[0], "is not a configuration field")
        return cls(**values)


#: Every field's spec, in field order.
FIELD_SPECS: dict[str, FieldSpec] = {
    # kind comes from the annotation (tuple[int, ...] → tuple); this module must therefore
    # not use ``from __future__ import annotations``, which would turn it into a string.
    f.name: FieldSpec(name=f.name, kind=typing.get_origin(f.type) or f.type,
                      **f.metadata["spec"])
    for f in fields(TrainingConfig)
}

#: Fields whose change alters the network's shape or its starting parameters: changing one
#: of them means starting over. Every other field can change in the middle of a run.
RESTART_FIELDS = tuple(name for name, spec in FIELD_SPECS.items() if spec.restarts)


def _validated(spec: FieldSpec, value):
    """``value`` checked against ``spec`` (ConfigError naming the field if it fails), as
    stored: a list of sizes becomes a tuple and a number of a float field a float."""
    if spec.choices is not None:
        if value not in spec.choices:
            raise ConfigError(spec.name,
                              f"must be one of {', '.join(spec.choices)} (got {shown(value)})")
        return value
    if spec.kind is tuple:
        value = tuple(value) if isinstance(value, list) else value
        if not isinstance(value, tuple) or not 1 <= len(value) <= spec.max_count:
            raise ConfigError(spec.name,
                              f"must list 1 to {spec.max_count} sizes (got {shown(value)})")
        for number in value:
            _check_number(spec, number, int)
        return value
    _check_number(spec, value, spec.kind)
    return float(value) if spec.kind is float else value


def _check_number(spec: FieldSpec, value, kind):
    # bool is an int to Python, never to a person typing a seed.
    allowed = (int, float) if kind is float else int
    if isinstance(value, bool) or not isinstance(value, allowed):
        what = "a number" if kind is float else "a whole number"
        raise ConfigError(spec.name, f"must be {what} (got {shown(value)})")
    # Compared exactly, int to float included: math.isfinite and float() would raise
    # OverflowError on an integer of a few hundred digits (one a file may hold).
    too_low = spec.low is not None and (
        value <= spec.low if spec.low_exclusive else value < spec.low)
    too_high = spec.high is not None and value > spec.high
    if too_low or too_high or (isinstance(value, float) and not math.isfinite(value)):
        raise ConfigError(spec.name, f"must be {_range_text(spec, kind)} (got {shown(value)})")


def shown(value) -> str:
    """``value`` for an error message, as a file may hold it: a huge integer by its length
    (Python refuses to print one of more than 4,300 digits, and nobody reads one of 400),
    anything else cut short (a list nested hundreds deep would exceed the recursion limit)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a whole number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    return reprlib.repr(value)


def _range_text(spec: FieldSpec, kind) -> str:
    """The limits as an error message says them: '>= 1 and <= 16', 'a finite number > 0 and
    <= 1'."""
    def bound_text(bound):
        return f"{bound:,}" if isinstance(bound, int) else f"{bound:g}"

    bounds = " and ".join(text for text in (
        spec.low is not None
        and f"{'>' if spec.low_exclusive else '>='} {bound_text(spec.low)}",
        spec.high is not None and f"<= {bound_text(spec.high)}") if text)
    return f"a finite number {bounds}".rstrip() if kind is float else bounds


#: Deeper networks, for the vanishing gradient problem: each layer's gradient is the next
#: one's times w·f'(a), and σ' ≤ ¼: with the tutorial's sigmoid and U[0, 1) start, the
#: largest |∂E_sum/∂θ| of the first of 4 hidden layers starts ~1700 times smaller than the
#: output layer's; tanh (f' ≤ 1) and ReLU (f' = 1 where on) with Xavier's start keep them
#: within 2× and 10×.
#: Widths, rates and seeds picked to converge (target 1e-4) in under 30,000 updates.
DEEP_PRESETS = {
    f"deep{depth}-{activation}": TrainingConfig(hidden=(4,) * depth, **settings)
    for activation, settings in (
        ("sigmoid", {"learning_rate": 2.0}),
        ("tanh", {"activation": "tanh", "init": "xavier", "learning_rate": 0.1, "seed": 2}),
        ("relu", {"activation": "relu", "init": "xavier", "learning_rate": 0.05, "seed": 7}))
    for depth in (3, 4)
}

#: Named starting points. "tutorial" is the tutorial's full script exactly.
PRESETS = {
    "tutorial": TrainingConfig(bias_update="summed"),
    "tanh": TrainingConfig(activation="tanh", init="xavier", learning_rate=0.1, seed=2),
    "relu": TrainingConfig(
        activation="relu", init="xavier", hidden=(4,), learning_rate=0.05, seed=3
    ),
    "wide": TrainingConfig(hidden=(4,), learning_rate=0.5),
    "per-neuron": TrainingConfig(learning_rate=0.5),
    **DEEP_PRESETS,
}
#: How each preset is named in a menu.
PRESET_TITLES = {
    "tutorial": "Tutorial (seed 42)",
    "tanh": "tanh activation, Xavier init",
    "relu": "ReLU, 4 hidden units",
    "wide": "4 hidden units",
    "per-neuron": "Per-neuron bias update",
    **{f"deep{depth}-{activation}": f"{depth} hidden layers of 4, {shown}"
       for activation, shown in (("sigmoid", "sigmoid"), ("tanh", "tanh, Xavier init"),
                                 ("relu", "ReLU, Xavier init"))
       for depth in (3, 4)},
}
