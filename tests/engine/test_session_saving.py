"""TrainingSession and files: saved() and restore() continue a run bit for bit; the file
requests write what is asked and change nothing."""

import csv
import json

import numpy as np
import pytest

from engine.config import PRESETS, TrainingConfig
from engine.files import FileError
from engine.layout import parameter_names
from engine.session import TrainingSession
from engine.session_file import load_session
from engine.view_settings import ViewSettings
from engine.weights_file import load_weights

CONFIG = PRESETS["tutorial"].replace(max_iterations=10**7)
VIEW = ViewSettings(speed=250.0, grid_every=10, smoothing=0.9, show_deltas=True)


def test_a_session_saved_to_a_file_and_restored_goes_on_bit_for_bit(tmp_path,
                                                                    assert_same_state):
    first = TrainingSession(CONFIG, VIEW)
    first.step(20_000)
    path = tmp_path / "half.xorlab"
    first.save(path)
    assert_same_state(load_session(path).state, first.saved().state)

    resumed = TrainingSession(TrainingConfig(hidden=(3,)))  # another network to replace
    resumed.restore(load_session(path))
    assert resumed.view == VIEW and resumed.config == CONFIG
    assert not resumed.running and resumed.iteration == 20_000
    resumed.step(20_000)

    straight = TrainingSession(CONFIG)
    for n in (1, 15_000, 24_999):
        straight.step(n)
    assert_same_state(resumed.saved().state, straight.saved().state)


def test_restore_pauses_and_forgets_the_old_networks_pacing_and_map():
    session = TrainingSession(TrainingConfig(hidden=(16, 16)), VIEW)
    session.play()
    session.advance(0.01)
    session.frame()
    saved = TrainingSession(CONFIG).saved()
    session.restore(saved)
    assert not session.running
    assert session._chunk == 1 and session._map is None
    assert session.frame().snapshot.config == CONFIG
    assert "restore" in TrainingSession.COMMANDS


def test_saved_holds_copies():
    session = TrainingSession(CONFIG)
    saved = session.saved()
    session.step(10)
    assert saved.state.iteration == 0
    assert not np.array_equal(saved.state.parameters, session.saved().state.parameters)


def state_of(session):
    return (session.iteration, session.running, session.config, session.view,
            session.saved().state.parameters.tobytes())


@pytest.mark.parametrize("name, suffix", [("save", ".xorlab"), ("export_history", ".csv"),
                                          ("export_grid", ".csv"), ("save_weights", ".json")])
def test_file_requests_write_and_change_nothing(tmp_path, name, suffix):
    assert name in TrainingSession.FILE_REQUESTS
    session = TrainingSession(CONFIG, VIEW)
    session.step(300)
    before = state_of(session)
    assert getattr(session, name)(tmp_path / f"out{suffix}") is None
    assert state_of(session) == before
    assert (tmp_path / f"out{suffix}").stat().st_size > 0


def test_file_requests_raise_file_error_for_a_bad_target(tmp_path):
    session = TrainingSession(CONFIG)
    for name in TrainingSession.FILE_REQUESTS:
        with pytest.raises(FileError, match="is a directory"):
            getattr(session, name)(tmp_path)


def test_exported_history_ends_with_the_current_state(tmp_path):
    session = TrainingSession(CONFIG)
    session.step(1001)
    session.export_history(tmp_path / "h.csv")
    with open(tmp_path / "h.csv", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["iteration", "error", "dE/dw_hidden[0,0]"]
    assert int(rows[-1][0]) == 1001
    assert float(rows[-1][1]) == session.trainer.error
    names = parameter_names(CONFIG.layer_sizes)
    theta = [float(value) for value in rows[-1][2 + len(names):]]
    assert theta == session.saved().state.parameters.tolist()


def test_exported_weights_and_grid_are_the_current_networks(tmp_path):
    session = TrainingSession(CONFIG)
    session.step(500)
    session.save_weights(tmp_path / "w.json")
    config, layers, iteration = load_weights(tmp_path / "w.json")
    assert config == CONFIG and iteration == 500
    assert json.loads((tmp_path / "w.json").read_text())["format"] == "xor-lab-weights"
    session.export_grid(tmp_path / "g.csv")
    lines = (tmp_path / "g.csv").read_text().splitlines()
    assert lines[0] == "x1,x2,output" and len(lines) == 1 + 96 * 96
