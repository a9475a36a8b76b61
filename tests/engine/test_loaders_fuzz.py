"""Whatever a weights or session file holds, loading it gives a valid network or session, or
the loader's own error: never another exception (a traceback on the command line, a crash
in the window)."""

import io
import json
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.config import PRESETS
from engine.session_file import SavedSession, SessionFileError, load_session, save_session
from engine.trainer import Trainer
from engine.view_settings import ViewSettings
from engine.weights_file import WeightsFileError, load_weights, save_weights

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
#: What a mutation puts in place of a value: wrong types, numbers too large for a float or
#: for int64, and lists nested deeper than Python recurses.
STRANGE_VALUES = st.sampled_from([
    "1", "", True, False, None, 10**400, -10**400, 2**64, 1.0, 1e308, -1, [], {}, [[1.5]],
    "DEEP",
])
DEEP = "[" * 100_000 + "]" * 100_000


def trained():
    trainer = Trainer(PRESETS["tutorial"], history_capacity=4)
    trainer.step(10)
    return trainer


@pytest.fixture(scope="module")
def weights_text(tmp_path_factory):
    path = tmp_path_factory.mktemp("weights") / "valid.json"
    trainer = trained()
    save_weights(path, trainer.config, trainer.layers, trainer.iteration)
    return path.read_text()


@pytest.fixture(scope="module")
def session_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("session") / "valid.xorlab"
    trainer = trained()
    save_session(path, trainer.config, trainer.state(), ViewSettings())
    return path.read_bytes()


def check_weights(path):
    try:
        config, layers, iteration = load_weights(path)
    except WeightsFileError:
        return
    assert len(layers) == len(config.layer_sizes) - 1 and iteration >= 0


def check_session(path):
    try:
        saved = load_session(path)
    except SessionFileError:
        return
    assert isinstance(saved, SavedSession) and saved.state.iteration >= 0


def leaves(value, where=()):
    """Every place in a JSON document, as paths of keys and indices."""
    yield where
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*where, index))


def swapped(document, where, value) -> str:
    """``document`` as JSON text with the value at ``where`` replaced by ``value``."""
    if not where:
        return DEEP if value == "DEEP" else json.dumps(value)
    marker = "@@SWAPPED@@"
    parent = document = json.loads(json.dumps(document))
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = marker
    text = json.dumps(document)
    replacement = DEEP if value == "DEEP" else json.dumps(value)
    return text.replace(json.dumps(marker), replacement)


def mutations(text: str):
    """A strategy of texts: the JSON ``text`` with one of its values (or the whole) swapped
    for a strange one."""
    document = json.loads(text)
    return st.builds(lambda where, value: swapped(document, where, value),
                     st.sampled_from(list(leaves(document))), STRANGE_VALUES)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_load_as_anything_but_an_error(tmp_path, data):
    (tmp_path / "f.json").write_bytes(data)
    (tmp_path / "f.xorlab").write_bytes(data)
    check_weights(tmp_path / "f.json")
    check_session(tmp_path / "f.xorlab")


def flipped(data: bytes, flips) -> bytes:
    data = bytearray(data)
    for position, value in flips:
        data[position % len(data)] = value
    return bytes(data)


BYTE_FLIPS = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1,
                      max_size=8)


@FUZZ
@given(data=st.data())
def test_a_weights_file_with_a_value_swapped_loads_or_is_refused(tmp_path, weights_text,
                                                                  data):
    text = data.draw(mutations(weights_text))
    (tmp_path / "w.json").write_text(text)
    check_weights(tmp_path / "w.json")


@FUZZ
@given(flips=BYTE_FLIPS, cut=st.integers(min_value=0))
def test_a_damaged_weights_file_loads_or_is_refused(tmp_path, weights_text, flips, cut):
    data = flipped(weights_text.encode(), flips)
    (tmp_path / "w.json").write_bytes(data[:len(data) - cut % len(data)])
    check_weights(tmp_path / "w.json")


@FUZZ
@given(flips=BYTE_FLIPS, cut=st.integers(min_value=0))
def test_a_damaged_session_file_loads_or_is_refused(tmp_path, session_bytes, flips, cut):
    data = flipped(session_bytes, flips)
    (tmp_path / "s.xorlab").write_bytes(data[:len(data) - cut % len(data)])
    check_session(tmp_path / "s.xorlab")


def with_manifest(session: bytes, manifest: str) -> bytes:
    """``session`` with its manifest.json replaced."""
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(session)) as source, \
            zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, manifest if info.filename == "manifest.json"
                            else source.read(info))
    return packed.getvalue()


@FUZZ
@given(data=st.data())
def test_a_session_manifest_with_a_value_swapped_loads_or_is_refused(tmp_path, session_bytes,
                                                                     data):
    with zipfile.ZipFile(io.BytesIO(session_bytes)) as archive:
        manifest = archive.read("manifest.json").decode()
    text = data.draw(mutations(manifest))
    (tmp_path / "s.xorlab").write_bytes(with_manifest(session_bytes, text))
    check_session(tmp_path / "s.xorlab")


@pytest.mark.parametrize("change, message", [
    ({"version": True}, "unsupported version True"),
    ({"version": 1.0}, "unsupported version 1.0"),
    ({"iteration": 10**400}, "invalid iteration"),
    ({"iteration": "10"}, "invalid iteration '10'"),
    ({"layers": [{"w": [["0.5", 1], [1, 1]], "b": [[0, 0]]}]}, "holds '0.5', not a number"),
    ({"layers": [{"w": [[True, 1], [1, 1]], "b": [[0, 0]]}]}, "holds True, not a number"),
    ({"layers": [{"w": [[10**400, 1], [1, 1]], "b": [[0, 0]]}]}, "too large for a weight"),
    ({"saved_by": "me"}, "unknown key 'saved_by'"),
])
def test_weights_files_hold_exactly_their_schema(tmp_path, weights_text, change, message):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({**json.loads(weights_text), **change}))
    with pytest.raises(WeightsFileError, match=message):
        load_weights(path)


def test_lists_nested_beyond_pythons_recursion_are_refused(tmp_path, session_bytes):
    (tmp_path / "w.json").write_text(DEEP)
    with pytest.raises(WeightsFileError, match="nested too deep"):
        load_weights(tmp_path / "w.json")
    (tmp_path / "s.xorlab").write_bytes(with_manifest(session_bytes, DEEP))
    with pytest.raises(SessionFileError, match="nested too deep"):
        load_session(tmp_path / "s.xorlab")


@pytest.mark.parametrize("change, message", [
    ({"version": True}, "unsupported version True"),
    ({"version": 1.0}, "unsupported version 1.0"),
    ({"iteration": 10**13}, "iteration must be a whole number from 0 to 1,000,000,000,000"),
    ({"error": 10**400}, "non-finite"),
    ({"error": "0.5"}, "the error must be a number"),
    ({"history": {"count": 2, "stride": 2**64, "capacity": 4}}, "fits in 64 bits"),
    ({"view": {"speed": 10**400}}, "invalid view settings"),
    ({"view": {"speed": [[[1]]]}}, "invalid view settings"),
    ({"colour": "red"}, "unknown key 'colour'"),
])
def test_session_manifests_hold_exactly_their_schema(tmp_path, session_bytes, change,
                                                     message):
    with zipfile.ZipFile(io.BytesIO(session_bytes)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    path = tmp_path / "s.xorlab"
    path.write_bytes(with_manifest(session_bytes, json.dumps({**manifest, **change})))
    with pytest.raises(SessionFileError, match=message):
        load_session(path)


def test_an_array_whose_header_claims_more_than_it_holds_is_refused(tmp_path, session_bytes):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "<f8", "fortran_order": False, "shape": (10**13,)})
    claimed = buffer.getvalue() + bytes(32)  # 80 TB claimed, 4 numbers held
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(session_bytes)) as source, \
            zipfile.ZipFile(packed, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, claimed if info.filename == "outputs.npy"
                            else source.read(info))
    (tmp_path / "s.xorlab").write_bytes(packed.getvalue())
    with pytest.raises(SessionFileError, match="outputs.npy is not a numpy array"):
        load_session(tmp_path / "s.xorlab")
