"""File ▸ Record animation: frames every K iterations, drawn offscreen, encoded in a thread."""

import pytest
from PIL import Image
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from engine.animation_file import mp4_missing
from engine.recording import FPS
from gui.main_window import MainWindow
from gui.recorder import CONTENTS, AnimationView


def finish(qtbot, recorder, stop=True):
    with qtbot.waitSignal(recorder.finished, timeout=120_000) as blocker:
        if stop:
            recorder.stop()
    return blocker.args


def test_a_gif_of_six_hundred_updates_has_one_frame_every_four(driver, qtbot, tmp_path,
                                                              dialogs):
    window = driver.window
    path = tmp_path / "clip.gif"
    assert window.files.record(path, "decision")
    window.controller.step(600)
    driver.wait_for(lambda s: s.iteration == 600)
    qtbot.waitUntil(lambda: window.drawn_frame().recording is not None
                    and window.drawn_frame().snapshot.iteration == 600, timeout=60_000)
    status = window.drawn_frame().recording
    assert status.every == 4 and status.frames == 151
    assert window.statusBar().currentMessage().startswith("● Recording: 151 frames")
    assert finish(qtbot, window.files.recorder) == [str(path), None]
    gif = Image.open(path)
    # 0, 4, …, 600: K doubled whenever 298 evenly spaced frames were full (at 298 and 596).
    assert gif.n_frames == 151 and gif.size == CONTENTS["decision"][1]
    assert gif.info["duration"] == 1000 // FPS
    assert window.statusBar().currentMessage() == (
        f"Saved the animation to {path} (151 frames, {151 / FPS:.1f} s)")
    assert not dialogs
    window.controller.step(5)  # the window trains on as before
    driver.wait_for(lambda s: s.iteration == 605)
    assert window.drawn_frame().recording is None


@pytest.mark.skipif(mp4_missing() is not None, reason="imageio-ffmpeg is not installed")
def test_a_recording_ends_by_itself_when_the_run_stops(driver, qtbot, tmp_path, dialogs):
    window = driver.window
    window.controller.set_config(window.config.replace(max_iterations=60))
    path = tmp_path / "panels.mp4"
    assert window.files.record(path, "panels")
    window.controller.play()
    path_and_error = finish(qtbot, window.files.recorder, stop=False)
    assert path_and_error == [str(path), None]
    assert window.latest_snapshot().iteration == 60
    assert path.read_bytes()[4:8] == b"ftyp"


def test_a_restart_ends_the_recording_with_a_reason(driver, qtbot, tmp_path, dialogs):
    window = driver.window
    assert window.files.record(tmp_path / "clip.gif")
    window.controller.step(10)
    driver.wait_for(lambda s: s.iteration == 10)
    with qtbot.waitSignal(window.files.recorder.finished, timeout=60_000):
        window.controller.reseed()
    assert dialogs and "restarted" in dialogs[0][1]
    assert not (tmp_path / "clip.gif").exists()
    assert not window.files.recorder.busy


def test_a_bad_target_is_refused_before_recording(driver, tmp_path, dialogs):
    window = driver.window
    assert not window.files.record(tmp_path / "clip.avi")
    assert not window.files.record(tmp_path / "missing" / "clip.gif")
    assert [title for title, _ in dialogs] == ["Could not record the animation"] * 2
    assert ".gif, .mp4" in dialogs[0][1] and "does not exist" in dialogs[1][1]
    assert not window.files.recorder.busy


def test_the_menu_says_when_mp4_needs_the_video_extra(qtbot, monkeypatch):
    monkeypatch.setattr("gui.file_menu.mp4_missing", lambda: "MP4 needs the video extra")
    window = MainWindow()
    qtbot.addWidget(window)
    menu = window.findChild(QMenu, "record_menu")
    texts = [action.text() for action in menu.actions()]
    assert "GIF only: MP4 needs the video extra" in texts
    assert window.findChild(QAction, "record_decision").isEnabled()


def test_closing_the_window_mid_recording_exits_cleanly(qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.files.record(tmp_path / "clip.gif")
    window.controller.play()
    qtbot.waitUntil(lambda: window.drawn_frame().recording is not None
                    and window.drawn_frame().recording.frames > 10, timeout=60_000)
    window.close()
    assert not window.controller.is_alive()
    assert not (tmp_path / "clip.gif").exists()


@pytest.mark.parametrize("stage", ["Drawing the animation", "Encoding"])
def test_closing_while_the_clip_is_made_exits_cleanly_and_writes_nothing(qtbot, tmp_path,
                                                                          stage):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    recorder = window.files.recorder
    assert window.files.record(tmp_path / "clip.gif")
    window.controller.step(300)
    qtbot.waitUntil(lambda: window.drawn_frame().snapshot.iteration == 300, timeout=60_000)
    closed = []

    def close_at(text):
        if text.startswith(stage) and not closed:
            closed.append(text)
            window.close()

    recorder.progressed.connect(close_at)
    recorder.stop()
    qtbot.waitUntil(lambda: bool(closed), timeout=60_000)
    assert not recorder.busy and recorder._encoder is None
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, AnimationView) and w.isVisible()]
    assert list(tmp_path.iterdir()) == []
