"""gui.app.main: opens the tutorial window, runs the event loop, exits 0 when closed."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui import app as gui_app
from gui.main_window import MainWindow


def test_main_opens_the_tutorial_window_and_exits_with_zero(qapp, monkeypatch):
    opened = []

    def close_windows():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        opened.extend((w.windowTitle(), w.latest_snapshot().iteration) for w in windows)
        for window in windows:
            window.close()
        if not windows:  # not shown yet: look again on the next pass of the event loop
            QTimer.singleShot(0, close_windows)

    # main() hands Ctrl+C back to the OS; keep pytest's own handler for the rest of the run.
    monkeypatch.setattr(gui_app.signal, "signal", lambda *args: None)
    QTimer.singleShot(0, close_windows)
    assert gui_app.main(["--preset", "tutorial"]) == 0
    assert opened == [("XOR Lab", 0)]


def test_an_unknown_preset_is_a_usage_error():
    with pytest.raises(SystemExit) as stop:
        gui_app.parse_args(["--preset", "nope"])
    assert stop.value.code == 2
