"""Session files (.xorlab): a run as it stands, to be continued bit for bit later.

A zip archive (deflated) of ``manifest.json``::

    {"format": "xor-lab-session", "version": 1, "config": {…}, "view": {"speed": …,
     "grid_every": …, "smoothing": …, "show_deltas": …}, "iteration": n, "status": "…",
     "error": e, "history": {"count": …, "stride": …, "capacity": …},
     "saved_by": "XOR Lab 0.1.0"}

and the arrays of the ``TrainerState`` as numpy .npy members (no pickles): parameters,
gradients, deltas, outputs, and history/iterations, history/error, history/gradients,
history/parameters, history/deltas (rows in ``engine.layout`` order). JSON numbers are written
with repr, so the error round-trips exactly.

The reader takes exactly that: "version" the whole number 1 (not true, not 1.0), "iteration"
a whole number from 0 to MAX_ITERATIONS, "error" a JSON number, the history's numbers whole
ones, no other key ("saved_by", text, is optional), and each array no larger than its
member. Whatever the bytes, it returns a valid session or raises SessionFileError.
"""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from dataclasses import asdict, dataclass
from importlib import metadata

import numpy as np

from engine.config import MAX_ITERATIONS, ConfigError, TrainingConfig, shown
from engine.files import FileError, read_bytes, write_atomic
from engine.history import HistoryState
from engine.layout import NetworkLayout
from engine.trainer import STATUSES, Status, Trainer
from engine.trainer_state import TrainerState
from engine.view_settings import ViewSettings
from engine.weights_file import is_number, whole_number

FORMAT = "xor-lab-session"
VERSION = 1
MANIFEST_KEYS = {"format", "version", "config", "view", "iteration", "status", "error",
                 "history", "saved_by"}
HISTORY_KEYS = {"count", "stride", "capacity"}
SESSION_SUFFIX = ".xorlab"
#: Caps on what a session file may hold, packed and unpacked (the largest network's full
#: history takes ~35 MB): beyond them it is damaged or hostile (a zip bomb).
MAX_FILE_BYTES = 256 * 2**20
MAX_UNPACKED_BYTES = 512 * 2**20
#: The arrays of a TrainerState by member name (without ".npy"), with their dtypes.
ARRAYS = {
    "parameters": np.float64,
    "gradients": np.float64,
    "deltas": np.float64,
    "outputs": np.float64,
    "history/iterations": np.int64,
    "history/error": np.float64,
    "history/gradients": np.float64,
    "history/parameters": np.float64,
    "history/deltas": np.float64,
}
HISTORY_ROWS = ("iterations", "error", "gradients", "parameters", "deltas")


class SessionFileError(FileError):
    """A session file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class SavedSession:
    """What a session file holds: the run's configuration, how it is shown, its state."""

    config: TrainingConfig
    view: ViewSettings
    state: TrainerState


def saved_from_weights(config: TrainingConfig, layers, view: ViewSettings) -> SavedSession:
    """A weights file's network as a session at iteration 0, with no history before it (a
    weights file holds neither)."""
    return SavedSession(config, view, Trainer(config, layers=layers).state())


def saved_by() -> str:
    """'XOR Lab <version>', as the manifest records it."""
    try:
        return f"XOR Lab {metadata.version('xor-lab')}"
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "XOR Lab (source)"


def _array_of(state: TrainerState, name: str) -> np.ndarray:
    """The array of ``state`` stored as member ``name`` (e.g. "history/error")."""
    owner, _, field = name.rpartition("/")
    return getattr(state.history if owner else state, field)


def save_session(path, config: TrainingConfig, state: TrainerState, view: ViewSettings):
    """Write the session file atomically (FileError naming the path and the reason)."""
    history = state.history
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "config": config.to_dict(),
        "view": asdict(view),
        "iteration": state.iteration,
        "status": Status(state.status).value,
        "error": float(state.error),
        "history": {"count": history.count, "stride": history.stride,
                    "capacity": history.capacity},
        "saved_by": saved_by(),
    }

    def write(stream):
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
            for name, dtype in ARRAYS.items():
                buffer = io.BytesIO()
                np.save(buffer, np.asarray(_array_of(state, name), dtype=dtype),
                        allow_pickle=False)
                archive.writestr(f"{name}.npy", buffer.getvalue())

    write_atomic(path, write)


def load_session(path) -> SavedSession:
    """Read a session file, or raise SessionFileError naming the file and the problem."""
    try:
        data = read_bytes(path, limit=MAX_FILE_BYTES)
    except FileError as error:
        raise SessionFileError(str(error)) from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, struct.error, ValueError):
        problem = ("truncated or damaged (its zip directory is missing)"
                   if data.startswith(b"PK\x03\x04") else
                   "not an XOR Lab session file (not a zip archive)")
        raise SessionFileError(f"{path}: {problem}") from None
    except NotImplementedError as error:  # a damaged or foreign directory: "zip file version 6.4"
        raise SessionFileError(f"{path}: damaged or not readable here ({error})") from None
    try:
        with archive:
            return _parse(archive)
    except SessionFileError as error:
        raise SessionFileError(f"{path}: {error}") from None
    # A member that cannot be unpacked. RuntimeError: zipfile's word for an encrypted member
    # or an unknown compression method (NotImplementedError); struct.error, ValueError: a
    # damaged local header.
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, struct.error,
            ValueError) as error:
        raise SessionFileError(f"{path}: damaged ({error})") from None


def _parse(archive: zipfile.ZipFile) -> SavedSession:
    """The session in ``archive``, or SessionFileError naming the problem."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise SessionFileError(f"it would unpack to {unpacked / 2**20:.0f} MiB, more than a "
                               f"session can hold ({MAX_UNPACKED_BYTES // 2**20} MiB)")
    manifest = _manifest(archive)
    config = _config(manifest.get("config"))
    view = _view(manifest.get("view"))
    history = manifest.get("history")
    if not isinstance(history, dict) or set(history) != HISTORY_KEYS:
        raise SessionFileError("the manifest's \"history\" must be an object of exactly "
                               "\"count\", \"stride\" and \"capacity\"")
    for name, number in history.items():
        # The history keeps its count and stride in an int64 array (HistoryBuffers.state);
        # HistoryState.check and the capacity cap below say what else they must be.
        if not whole_number(number, 0, np.iinfo(np.int64).max):
            raise SessionFileError(f"history {name} must be a whole number >= 0 that fits in "
                                   f"64 bits (got {shown(number)})")
    iteration = manifest.get("iteration")
    if not whole_number(iteration, 0, MAX_ITERATIONS):
        raise SessionFileError(f"iteration must be a whole number from 0 to "
                               f"{MAX_ITERATIONS:,} (got {shown(iteration)})")
    arrays = {name: _array(archive, f"{name}.npy", dtype) for name, dtype in ARRAYS.items()}
    status = manifest.get("status")
    statuses = [known.value for known in STATUSES]
    if not isinstance(status, str) or status not in statuses:
        raise SessionFileError(f"unknown status {shown(status)} (one of "
                               f"{', '.join(statuses)})")
    error = manifest.get("error")
    if not is_number(error):
        raise SessionFileError(f"the error must be a number (got {shown(error)})")
    try:
        error = float(error)
    except OverflowError:  # an integer of hundreds of digits; state.check refuses inf
        error = float("inf")
    state = TrainerState(
        iteration=iteration,
        status=Status(status),
        error=error,
        parameters=arrays["parameters"],
        gradients=arrays["gradients"],
        deltas=arrays["deltas"],
        outputs=arrays["outputs"],
        history=HistoryState(
            count=history.get("count"), stride=history.get("stride"),
            capacity=history.get("capacity"),
            **{name: arrays[f"history/{name}"] for name in HISTORY_ROWS}),
    )
    layout = NetworkLayout(config.layer_sizes)
    try:
        state.check(layout)
    except ValueError as problem:
        raise SessionFileError(str(problem)) from None
    # The capacity is allocated in full on restore, whatever the file's own size.
    row_bytes = 8 * (2 + 2 * layout.n_parameters + layout.n_deltas)
    if state.history.capacity * row_bytes > MAX_UNPACKED_BYTES:
        raise SessionFileError(f"history capacity {state.history.capacity} is too large for "
                               f"this network (at most {MAX_UNPACKED_BYTES // row_bytes})")
    return SavedSession(config, view, state)


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        text = archive.read("manifest.json").decode("utf-8")
    except KeyError:
        raise SessionFileError("no manifest.json: not an XOR Lab session file") from None
    except UnicodeDecodeError:
        raise SessionFileError("manifest.json is not text (UTF-8)") from None
    try:
        manifest = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise SessionFileError(f"manifest.json is not valid JSON ({error})") from None
    except RecursionError:
        raise SessionFileError("manifest.json is not a manifest (nested too deep)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SessionFileError(f"not an XOR Lab session file (no \"format\": \"{FORMAT}\")")
    unknown = sorted(set(manifest) - MANIFEST_KEYS)
    if unknown:
        raise SessionFileError(f"manifest.json has an unknown key {shown(unknown[0])}")
    version = manifest.get("version")
    if type(version) is not int or version != VERSION:
        raise SessionFileError(f"unsupported version {shown(version)} (this XOR Lab reads "
                               f"version {VERSION})")
    if not isinstance(manifest.get("saved_by", ""), str):
        raise SessionFileError("manifest.json's \"saved_by\" must be text")
    return manifest


def _reject_constant(name):
    # json.loads accepts NaN and Infinity by default; a session must not hold them.
    raise ValueError(f"non-finite number {name}")


def _config(values) -> TrainingConfig:
    try:
        return TrainingConfig.from_dict(values)
    except (ConfigError, TypeError) as error:
        raise SessionFileError(f"invalid config: {error}") from None


def _view(values) -> ViewSettings:

    if not isinstance(values, dict):
        raise SessionFileError("the manifest's \"view\" must be an object")
    known = set(ViewSettings.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise SessionFileError(f"invalid view settings: {unknown[0]!r} is not a view setting")
    for name, value in values.items():
        # Only JSON's plain values, so that ViewSettings' messages cannot nest for ever.
        if value is not None and type(value) not in (bool, int, float, str):
            raise SessionFileError(f"invalid view settings: {name} is {shown(value)}")
    try:
        return ViewSettings(**values)
    # OverflowError: math.isfinite of an integer speed of hundreds of digits.
    except (TypeError, ValueError, OverflowError) as error:
        raise SessionFileError(f"invalid view settings: {error}") from None


def _array(archive: zipfile.ZipFile, member: str, dtype) -> np.ndarray:
    """The .npy ``member``, read-only, of exactly ``dtype``."""
    try:
        data = archive.read(member)
    except KeyError:
        raise SessionFileError(f"{member} is missing") from None
    stream = io.BytesIO(data)
    try:
        # The header first: np.load would allocate whatever shape it claims before finding
        # that the data is shorter.
        version = np.lib.format.read_magic(stream)
        if version not in ((1, 0), (2, 0)):  # np.save writes these for plain arrays
            raise ValueError(f"unsupported .npy version {version}")
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, _, stored = read_header(stream)
        if math.prod(shape) * stored.itemsize > len(data):
            raise ValueError(f"its shape {shape} needs more data than it holds")
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, EOFError, OSError, TypeError, OverflowError, RecursionError,
            MemoryError) as error:
        raise SessionFileError(f"{member} is not a numpy array ({error})") from None
    if not isinstance(array, np.ndarray):  # np.load also opens .npz archives
        raise SessionFileError(f"{member} is not a numpy array")
    if array.dtype != np.dtype(dtype):
        raise SessionFileError(f"{member} holds {array.dtype} values, expected "
                               f"{np.dtype(dtype)}")
    array.setflags(write=False)
    return array
