import json

import numpy as np
import pytest

from engine import files
from engine.config import PRESETS, TrainingConfig
from engine.files import FileError
from engine.layout import flatten
from engine.trainer import Trainer
from engine.weights_file import WeightsFileError, load_weights, save_weights


@pytest.fixture
def saved(tmp_path):
    trainer = Trainer(TrainingConfig(hidden=(4, 3), activation="tanh", init="xavier", seed=3))
    trainer.step(20)
    path = tmp_path / "net.json"
    save_weights(path, trainer.config, trainer.layers, trainer.iteration)
    return path, trainer


def test_round_trip_restores_config_parameters_and_iteration(saved):
    path, trainer = saved
    config, layers, iteration = load_weights(path)
    assert config == trainer.config
    assert iteration == 20
    assert np.array_equal(flatten(layers), flatten(trainer.layers))
    assert json.loads(path.read_text())["version"] == 1


def test_a_loaded_network_trains_on_identically(saved):
    path, trainer = saved
    config, layers, _ = load_weights(path)
    resumed = Trainer(config, layers=layers)
    resumed.step(30)
    trainer.step(30)
    assert np.array_equal(flatten(resumed.layers), flatten(trainer.layers))


def rewrite(path, change):
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_text(p.read_text()[:40]), "not valid JSON"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe"), "not"),
    (lambda p: p.write_text("[1, 2]"), "not an XOR Lab weights file"),
    (lambda p: rewrite(p, lambda d: d.update(version=99)), "unsupported version 99"),
    (lambda p: rewrite(p, lambda d: d["layers"].pop()), "expected 3 layers"),
    (lambda p: rewrite(p, lambda d: d["layers"][0]["w"].pop()), "layer 0 w has shape"),
    (lambda p: rewrite(p, lambda d: d["layers"][1].update(b="x")), "layer 1 b"),
    (lambda p: rewrite(p, lambda d: d["config"].update(learning_rate=-2)), "learning_rate"),
    (lambda p: p.write_text(p.read_text().replace("0.", "NaN, 0.", 1)), "not valid JSON"),
])
def test_damaged_files_give_a_clear_error(saved, damage, message):
    path, _ = saved
    damage(path)
    with pytest.raises(WeightsFileError, match=message) as caught:
        load_weights(path)
    assert str(path) in str(caught.value)


def test_non_finite_numbers_are_refused(saved):
    path, _ = saved
    rewrite(path, lambda d: d["layers"][0]["w"][0].__setitem__(0, 1e400))
    with pytest.raises(WeightsFileError, match="non-finite"):
        load_weights(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(WeightsFileError, match="cannot read"):
        load_weights(tmp_path / "absent.json")


def test_a_failed_write_leaves_the_old_file_and_no_debris(saved, monkeypatch):
    path, trainer = saved
    before = path.read_text()

    def refuse(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(FileError, match="no space left on device"):
        save_weights(path, PRESETS["tutorial"], Trainer(PRESETS["tutorial"]).layers)
    assert path.read_text() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
