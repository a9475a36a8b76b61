"""Render the real window mid-training to a PNG (the README's screenshot).

    QT_QPA_PLATFORM=offscreen python tools/screenshot.py [resources/screenshot.png]

Trains the tutorial preset at ~31,600 updates/s until ITERATION, pauses, waits for the frame
of the paused state to be drawn, then grabs the window at 1600×1000.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import style_application  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

ITERATION = 60_000
SPEED_POSITION = 45  # ≈ 31,600 updates/s: slow enough to pause near ITERATION
SIZE = (1600, 1000)


def wait_until(app, condition, timeout_s=300):
    """Process events until ``condition()`` holds."""
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start(10)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the window did not reach the expected state")


def main(args: list[str]) -> int:
    path = Path(args[0]) if args else Path("resources/screenshot.png")
    iteration = int(args[1]) if len(args) > 1 else ITERATION
    app = QApplication.instance() or QApplication([])
    style_application(app)
    window = MainWindow()
    window.resize(*SIZE)
    window.show()
    play_pause = window.findChild(QAction, "play_pause")
    try:
        window.speed.slider.setValue(SPEED_POSITION)
        play_pause.trigger()
        wait_until(app, lambda: window.latest_snapshot().iteration >= iteration)
        play_pause.trigger()
        wait_until(app, lambda: window.statusBar().fields["state"].text() != "running")
        path.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(path))
        print(f"{path}: iteration {window.latest_snapshot().iteration:,}")
    finally:
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
