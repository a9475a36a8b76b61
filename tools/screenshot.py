"""Render the real window mid-training to a PNG (the README's screenshot).

    QT_QPA_PLATFORM=offscreen python tools/screenshot.py [PATH] [--iteration N]
        [--size WxH] [--hidden SIZES] [--zoom PERCENT] [--theme light|dark] [--presentation]

Trains (the tutorial preset by default) at ~31,600 updates/s until ``--iteration``, pauses,
waits for the frame of the paused state to be drawn, then grabs the window.
"""

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from engine.config import PRESETS, parse_hidden  # noqa: E402
from gui.app import style_application  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.smoke_test import wait_until  # noqa: E402
from gui.theme import THEMES  # noqa: E402


def parse_args(args):
    parser = argparse.ArgumentParser(description="Render the XOR Lab window to a PNG.")
    parser.add_argument("path", nargs="?", default="resources/screenshot.png", type=Path)
    parser.add_argument("--iteration", type=int, default=60_000)
    parser.add_argument("--size", default="1600x1000", help="window size, WxH")
    parser.add_argument("--hidden", type=parse_hidden, help="hidden layout, e.g. 16,16")
    parser.add_argument("--zoom", type=int, default=100, help="per cent, as View ▸ Zoom")
    parser.add_argument("--theme", choices=sorted(THEMES), default="light")
    parser.add_argument("--presentation", action="store_true", help="in presentation mode")
    return parser.parse_args(args)


def main(args: list[str]) -> int:
    options = parse_args(args)
    width, height = (int(n) for n in options.size.lower().split("x"))
    config = PRESETS["tutorial"]
    if options.hidden:
        config = config.replace(hidden=options.hidden)
    app = QApplication.instance() or QApplication([])
    style_application(app)
    window = MainWindow(config, theme=THEMES[options.theme].zoomed(options.zoom))
    window.resize(width, height)
    window.show()
    if options.presentation:
        window.toggle_presentation()
        # Full screen would be the offscreen screen's size: the size asked for instead.
        window.showNormal()
        window.resize(width, height)
    play_pause = window.findChild(QAction, "play_pause")
    try:
        play_pause.trigger()
        wait_until(lambda: window.latest_snapshot().iteration >= options.iteration,
                   f"train to iteration {options.iteration:,}")
        play_pause.trigger()
        wait_until(lambda: window.statusBar().fields["state"].text() != "running", "pause")
        options.path.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(options.path))
        print(f"{options.path}: iteration {window.latest_snapshot().iteration:,}")
    finally:
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
