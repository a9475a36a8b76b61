"""The first run: Play trains at once in numpy while the compiled loop is prepared, and the
status bar says so."""

from gui.controller import KERNEL_MESSAGES
from gui.main_window import MainWindow


def test_play_trains_at_once_while_fast_training_is_prepared(qtbot, unready):
    release, prepared = unready
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    status = window.statusBar()
    preparing = KERNEL_MESSAGES["preparing"][0]
    qtbot.waitUntil(lambda: status.currentMessage() == preparing, timeout=60_000)
    window.controller.set_speed(None)
    window.controller.play()
    qtbot.waitUntil(lambda: window.latest_snapshot().iteration > 500, timeout=60_000)
    assert window.drawn_frame().kernel == "preparing"
    assert status.currentMessage() == preparing  # Play did not wipe the explanation
    window.controller.pause()
    release.set()
    # Paused, the window still learns that the compiled loop is in.
    qtbot.waitUntil(lambda: window.controller.latest_frame.kernel == "compiled",
                    timeout=600_000)
    assert prepared.is_set()
    assert status.currentMessage() == KERNEL_MESSAGES["compiled"][0]
