"""Weights files: a network's parameters and the configuration that trained them, as JSON.

{"format": "xor-lab-weights", "version": 1, "config": {…}, "iteration": n,
 "layers": [{"w": [[…]], "b": [[…]]}, …]}   (layers from input to output)
"""

import json

import numpy as np

from engine.config import ConfigError, TrainingConfig
from engine.files import FileError, read_text, write_text_atomic
from engine.layout import NetworkLayout

FORMAT = "xor-lab-weights"
VERSION = 1


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


def _as_matrix(value, where):
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise WeightsFileError(f"{where} is not a matrix of numbers ({error})") from None
    if array.ndim != 2:
        raise WeightsFileError(f"{where} must be a matrix (a list of rows)")
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
    try:
        return _parse(document)
    except WeightsFileError as error:
        raise WeightsFileError(f"{path}: {error}") from None


def _parse(document):
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WeightsFileError(f"not an XOR Lab weights file (no \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if version != VERSION:
        raise WeightsFileError(f"unsupported version {version!r} (this XOR Lab reads {VERSION})")
    try:
        config = TrainingConfig.from_dict(document.get("config"))
    except (ConfigError, TypeError) as error:
        raise WeightsFileError(f"invalid config: {error}") from None
    iteration = document.get("iteration", 0)
    if isinstance(iteration, bool) or not isinstance(iteration, int) or iteration < 0:
        raise WeightsFileError(f"invalid iteration {iteration!r}")
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


