"""Sessions and weights in the window: save, reopen exactly, go on bit for bit; failures
explained in a dialog that loses nothing."""

import os
import stat

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine import files
from engine.config import PRESETS
from engine.session import TrainingSession
from engine.session_file import load_session
from engine.view_settings import ViewSettings
from gui import settings
from gui.main_window import MainWindow

CONFIG = PRESETS["tutorial"]


def saved_layers_equal(a, b) -> bool:
    return all(np.array_equal(wa, wb) and np.array_equal(ba, bb)
               for (wa, ba), (wb, bb) in zip(a, b))


def save(qtbot, window, path):
    with qtbot.waitSignal(window.controller.request_finished, timeout=60_000) as blocker:
        window.files.write_data("save", path)
    return blocker.args[2]


def test_a_saved_session_reopens_as_it_was_and_continues_bit_for_bit(driver, qtbot, tmp_path):
    window = driver.window
    window.controller.set_smoothing(0.8)
    window.controller.set_grid_every(250)
    window.controller.set_show_deltas(True)
    window.controller.set_speed(100.0)
    window.controller.step(20_000)
    before = driver.wait_for(lambda s: s.iteration == 20_000)
    path = tmp_path / "run.xorlab"
    assert save(qtbot, window, path) is None
    assert window.windowTitle() == "run.xorlab — XOR Lab"

    reopened = MainWindow()
    qtbot.addWidget(reopened)
    reopened.show()
    assert reopened.open_path(path)
    qtbot.waitUntil(lambda: reopened.latest_snapshot().iteration == 20_000, timeout=60_000)
    shown = reopened.latest_snapshot()
    assert shown.config == before.config
    assert saved_layers_equal(shown.layers, before.layers) and shown.error == before.error
    assert reopened.controller.view == ViewSettings(100.0, 250, 0.8, True)
    assert reopened.gradient_panel.show_deltas.isChecked()
    assert reopened.error_panel.smoothing_weight == 0.8
    # The error curve shows the same recorded points.
    assert np.array_equal(reopened.drawn_frame().error.raw, window.drawn_frame().error.raw)

    reopened.controller.step(20_000)
    qtbot.waitUntil(lambda: reopened.latest_snapshot().iteration == 40_000, timeout=60_000)
    uninterrupted = TrainingSession(CONFIG)
    uninterrupted.step(40_000)
    assert saved_layers_equal(reopened.latest_snapshot().layers, uninterrupted.trainer.layers)
    assert reopened.latest_snapshot().error == uninterrupted.trainer.error


def test_ctrl_s_saves_again_to_the_session_file(driver, qtbot, tmp_path):
    window = driver.window
    path = tmp_path / "run.xorlab"
    assert save(qtbot, window, path) is None
    window.controller.step(10)
    driver.wait_for(lambda s: s.iteration == 10)
    with qtbot.waitSignal(window.controller.request_finished, timeout=60_000):
        window.files.save()
    assert load_session(path).state.iteration == 10


def test_a_weights_file_opens_at_iteration_zero_with_its_config(driver, qtbot, tmp_path):
    window = driver.window
    window.controller.set_config(CONFIG.replace(learning_rate=0.5))
    window.controller.step(500)
    trained = driver.wait_for(lambda s: s.iteration == 500)
    path = tmp_path / "weights.json"
    with qtbot.waitSignal(window.controller.request_finished, timeout=60_000):
        window.files.write_data("save_weights", path)

    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_path(path)
    qtbot.waitUntil(lambda: other.latest_snapshot().config.learning_rate == 0.5, timeout=60_000)
    assert other.latest_snapshot().iteration == 0
    assert saved_layers_equal(other.latest_snapshot().layers, trained.layers)
    assert other.windowTitle() == "XOR Lab"  # Save asks where: a weights file is not a session


def test_writing_into_a_read_only_folder_shows_the_reason_and_keeps_the_old_file(
        driver, qtbot, tmp_path, dialogs, monkeypatch):
    window = driver.window
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "run.xorlab"
    path.write_bytes(b"the old session")
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:  # root ignores permissions: have the folder refuse as it would
        real = files._create_temporary

        def refuse(target):
            if target.parent == folder:
                raise PermissionError(13, "Permission denied", str(folder))
            return real(target)

        monkeypatch.setattr(files, "_create_temporary", refuse)
    try:
        window.controller.step(100)
        driver.wait_for(lambda s: s.iteration == 100)
        window.files.write_data("save", path)
        qtbot.waitUntil(lambda: bool(dialogs), timeout=60_000)
    finally:
        folder.chmod(stat.S_IRWXU)
    title, text = dialogs[0]
    assert title == "Could not save the session"
    assert str(folder) in text and ("ermission denied" in text or "not writable" in text)
    assert path.read_bytes() == b"the old session"
    assert not [p for p in folder.iterdir() if p.name != "run.xorlab"]  # no temporary left
    assert window.windowTitle() == "XOR Lab"  # the window still shows an unsaved run
    window.controller.step(1)  # and the run goes on
    driver.wait_for(lambda s: s.iteration == 101)


def test_a_file_that_is_not_a_session_is_explained_and_the_run_is_kept(driver, tmp_path,
                                                                        dialogs):
    window = driver.window
    window.controller.step(42)
    driver.wait_for(lambda s: s.iteration == 42)
    bad = tmp_path / "notes.xorlab"
    bad.write_text("not a zip")
    assert not window.open_path(bad)
    assert dialogs and dialogs[0][0] == "Could not open the file" and str(bad) in dialogs[0][1]
    other = tmp_path / "picture.png"
    other.write_bytes(b"\x89PNG")
    assert not window.open_path(other)
    assert "not an XOR Lab file" in dialogs[1][1]
    assert window.latest_snapshot().iteration == 42


def test_dropping_a_session_on_the_window_opens_it(driver, qtbot, tmp_path):
    window = driver.window
    window.controller.step(300)
    driver.wait_for(lambda s: s.iteration == 300)
    path = tmp_path / "dropped.xorlab"
    assert save(qtbot, window, path) is None
    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    other.dropEvent(event)
    qtbot.waitUntil(lambda: other.latest_snapshot().iteration == 300, timeout=60_000)
    assert other.windowTitle() == "dropped.xorlab — XOR Lab"


def test_a_save_still_running_when_another_file_opens_does_not_become_its_file(
        driver, qtbot, tmp_path):
    window = driver.window
    other = TrainingSession(CONFIG)
    other.step(77)
    opened = tmp_path / "other.xorlab"
    other.save(opened)
    first = tmp_path / "first.xorlab"
    with qtbot.waitSignal(window.controller.request_finished, timeout=60_000):
        window.files.write_data("save", first)
        assert window.open_path(opened)  # before the worker has answered the save
    assert first.exists()
    assert window.files.current_path == opened
    assert window.windowTitle() == "other.xorlab — XOR Lab"


def test_a_name_typed_without_suffix_gets_one_and_replacing_it_is_asked(
        driver, qtbot, tmp_path, monkeypatch):
    window = driver.window
    (tmp_path / "run.xorlab").write_bytes(b"precious")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (str(tmp_path / "run"), "XOR Lab session (*.xorlab)"))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *rest: asked.append(text) or answers.pop(0))
    window.files.ask_save_as()
    assert (tmp_path / "run.xorlab").read_bytes() == b"precious" and len(asked) == 1
    assert "run.xorlab already exists" in asked[0]
    with qtbot.waitSignal(window.controller.request_finished, timeout=60_000):
        window.files.ask_save_as()
    assert load_session(tmp_path / "run.xorlab").state.iteration == 0


def test_recent_files_are_the_files_open_takes(driver, qtbot, tmp_path):
    window = driver.window
    with qtbot.waitSignal(window.files.figure_written, timeout=60_000):
        window.files.write_figure("error", tmp_path / "slide.png")
    assert save(qtbot, window, tmp_path / "kept.xorlab") is None
    assert settings.recent_files()[0] == str(tmp_path / "kept.xorlab")
    assert str(tmp_path / "slide.png") not in settings.recent_files()
    assert settings.last_folder() == str(tmp_path)


def test_a_session_renamed_json_still_opens(driver, qtbot, tmp_path):
    session = TrainingSession(CONFIG)
    session.step(5)
    path = tmp_path / "renamed.json"
    session.save(path)
    assert driver.window.open_path(path)
    qtbot.waitUntil(lambda: driver.window.latest_snapshot().iteration == 5, timeout=60_000)
