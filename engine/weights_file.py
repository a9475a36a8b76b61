"""Weights files: a network's parameters and the configuration that trained them, as JSON.

{"format": "xor-lab-weights", "version": 1, "config": {…}, "iteration": n,
 "layers": [{"w": [[…]], "b": [[…]]}, …]}   (layers from input to output)

The reader takes exactly that: "version" the whole number 1 (not true, not 1.0), "iteration"
(optional, default 0) a whole number from 0 to MAX_ITERATIONS, every weight a JSON number,
no other key. Whatever the bytes, it returns a valid network or raises WeightsFileError.
"""

import json

import numpy as np

from engine.config import MAX_ITERATIONS, ConfigError, TrainingConfig, shown
from engine.files import FileError, read_text, write_text_atomic
from engine.layout import NetworkLayout

FORMAT = "xor-lab-weights"
VERSION = 1
KEYS = {"format", "version", "config", "iteration", "layers"}


class WeightsFileError(FileError):
    """A weights file cannot be read; the message names the file and the problem."""


def layers_to_json(layers) -> list[dict]:
    """[{"w": [[…]], "b": [[…]]}, …] from (w, b) pairs."""
    return [{"w": np.asarray(w).tolist(), "b": np.asarray(b).tolist()} for w, b in layers]


def save_weights(path, config: TrainingConfig, layers, iteration: int = 0):
    """Write the weights file atomically (FileError naming the path and the reason)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "config": config.to_dict(),
        "iteration": int(iteration),
        "layers": layers_to_json(layers),
    }
    write_text_atomic(path, json.dumps(document, indent=2) + "\n")


def _reject_constant(name):
    # json.loads accepts NaN and Infinity by default; a weights file must not hold them.
    raise ValueError(f"non-finite number {name}")


def is_number(value) -> bool:
    """A JSON number as json.loads returns it: an int or a float, but not a bool (an int to
    Python, ``true`` in the file)."""
    return type(value) in (int, float)


def whole_number(value, low: int, high: int) -> bool:
    """An int (not a bool) from ``low`` to ``high``."""
    return type(value) is int and low <= value <= high


def _as_matrix(value, where):
    # Checked by hand: numpy would read "1.5" and true as numbers, and a ragged list as an
    # array of objects.
    if (not isinstance(value, list) or not value
            or not all(isinstance(row, list) for row in value)
            or len({len(row) for row in value}) != 1):
        raise WeightsFileError(f"{where} must be a matrix (a list of rows of equal length)")
    for row in value:
        for number in row:
            if not is_number(number):
                raise WeightsFileError(f"{where} holds {shown(number)}, not a number")
    try:
        array = np.array(value, dtype=np.float64)
    except OverflowError:  # an integer of hundreds of digits
        array = None
    if array is None or not np.all(np.isfinite(array)):  # 1e400 reads as inf
        raise WeightsFileError(f"{where} holds a number too large for a weight")
    return array


def load_weights(path) -> tuple[TrainingConfig, list, int]:
    """Read a weights file; return (config, layers, iteration) or raise WeightsFileError."""
    try:
        text = read_text(path)
    except FileError as error:
        raise WeightsFileError(str(error)) from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise WeightsFileError(f"{path}: not valid JSON ({error})") from None
    except RecursionError:
        raise WeightsFileError(f"{path}: not a weights file (lists nested too deep)") from None
    try:
        return _parse(document)
    except WeightsFileError as error:
        raise WeightsFileError(f"{path}: {error}") from None


def _parse(document):
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WeightsFileError(f"not an XOR Lab weights file (no \"format\": \"{FORMAT}\")")
    unknown = sorted(set(document) - KEYS)
    if unknown:
        raise WeightsFileError(f"unknown key {unknown[0]!r}")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise WeightsFileError(f"unsupported version {shown(version)} (this XOR Lab reads "
                               f"{VERSION})")
    try:
        config = TrainingConfig.from_dict(document.get("config"))
    except (ConfigError, TypeError) as error:
        raise WeightsFileError(f"invalid config: {error}") from None
    iteration = document.get("iteration", 0)
    if not whole_number(iteration, 0, MAX_ITERATIONS):
        raise WeightsFileError(f"invalid iteration {shown(iteration)} (a whole number from 0 to "
                               f"{MAX_ITERATIONS:,})")
    entries = document.get("layers")
    if not isinstance(entries, list):
        raise WeightsFileError("\"layers\" must be a list")
    layers = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"w", "b"}:
            raise WeightsFileError(f"layer {index} must hold exactly \"w\" and \"b\"")
        layers.append((_as_matrix(entry["w"], f"layer {index} w"),
                       _as_matrix(entry["b"], f"layer {index} b")))
    try:
        NetworkLayout(config.layer_sizes).check(layers)
    except ValueError as error:
        raise WeightsFileError(f"{error} (config.hidden is {list(config.hidden)})") from None
    return config, layers, iteration


