"""gui.app.main: opens the tutorial window, runs the event loop, exits 0 when closed."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui import app as gui_app
from gui.main_window import MainWindow


def test_main_opens_the_tutorial_window_and_exits_with_zero(qapp):
    opened = []

    def close_windows():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        opened.extend((w.windowTitle(), w.latest_snapshot().iteration) for w in windows)
        for window in windows:
            window.close()
        if not windows:  # not shown yet: look again on the next pass of the event loop
            QTimer.singleShot(0, close_windows)

    QTimer.singleShot(0, close_windows)
    assert gui_app.main(["--preset", "tutorial"]) == 0
    assert opened == [("XOR Lab", 0)]


def test_an_unknown_preset_is_a_usage_error():
    with pytest.raises(SystemExit) as stop:
        gui_app.parse_args(["--preset", "nope"])
    assert stop.value.code == 2


def test_a_file_named_on_the_command_line_opens_in_the_window(qapp, tmp_path):
    from engine.config import PRESETS
    from engine.session import TrainingSession

    session = TrainingSession(PRESETS["tutorial"])
    session.step(123)
    path = tmp_path / "lecture.xorlab"
    session.save(path)
    opened = []

    def close_when_opened():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].windowTitle() != "XOR Lab":
            opened.append((windows[0].windowTitle(), windows[0].controller.config))
            windows[0].close()
        else:
            QTimer.singleShot(10, close_when_opened)

    QTimer.singleShot(0, close_when_opened)
    assert gui_app.main([str(path)]) == 0
    assert opened == [("lecture.xorlab — XOR Lab", PRESETS["tutorial"])]


@pytest.mark.parametrize(("environ", "platform", "missing"), [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", True),
    ({}, "darwin", False),
    ({}, "win32", False),
])
def test_a_missing_display_is_told_before_qt_would_abort(environ, platform, missing):
    assert gui_app.missing_display(environ, platform) is missing
