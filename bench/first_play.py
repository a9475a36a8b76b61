"""Play at once after launch: how soon the compiled loop takes over, and how the window
redraws meanwhile.

    QT_QPA_PLATFORM=offscreen python bench/first_play.py [--size 1920x1080] [--zoom 2]

Each case runs in a fresh interpreter, as a launch does (the compiled loop comes from the
disk cache; run the app or the tests once first to fill it). Reference, in the same run: the
window left alone until the loop is loaded. Measured: Play pressed as soon as the window is
shown, on the tutorial's network with a target it never reaches. Prints the seconds until
training is compiled, their ratio to the reference (target: close to 1), and the redraws per
second until then. A benchmark, not a test.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 120


def measure(play: bool, size, zoom: float) -> dict:
    """In this interpreter: seconds from the window shown to the compiled loop in, and the
    redraws until then."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtGui import QAction
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from engine.config import PRESETS
    from gui import theme as themes
    from gui.app import style_application
    from gui.main_window import MainWindow

    app = QApplication([])
    style_application(app)
    config = PRESETS["tutorial"].replace(target_error=1e-9, max_iterations=10**9)
    window = MainWindow(config, theme=themes.LIGHT.zoomed(round(zoom * 100)))
    window.resize(*size)
    window.show()
    window.speed.set_unlimited()
    QTest.qWaitForWindowExposed(window)
    redraws = []
    panel = window.error_panel
    original = panel.show_frame
    panel.show_frame = lambda frame: (redraws.append(1), original(frame))
    start = time.perf_counter()
    if play:
        window.findChild(QAction, "play_pause").trigger()
    while window.controller.latest_frame.kernel != "compiled":
        if time.perf_counter() - start > TIMEOUT_S:
            raise SystemExit("the compiled loop never came")
        app.processEvents()
        time.sleep(0.005)  # a benchmark's poll, not a test's wait
    seconds = time.perf_counter() - start
    window.close()
    return {"seconds": seconds, "redraws": len(redraws)}


def in_fresh_interpreter(play: bool, options) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", "play" if play else "idle",
         "--size", options.size, "--zoom", str(options.zoom)],
        capture_output=True, text=True, check=True, timeout=TIMEOUT_S * 2)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--zoom", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=("play", "idle"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    size = tuple(int(n) for n in options.size.lower().split("x"))
    if options.child:
        print(json.dumps(measure(options.child == "play", size, options.zoom)))
        return
    print(f"window {options.size}, zoom {options.zoom:.0%}, {options.rounds} rounds each")
    for round_ in range(options.rounds):
        idle = in_fresh_interpreter(False, options)
        played = in_fresh_interpreter(True, options)
        rate = played["redraws"] / played["seconds"]
        ratio = played["seconds"] / idle["seconds"]
        print(f"round {round_ + 1}: compiled after {played['seconds']:.1f} s with Play at once, "
              f"{idle['seconds']:.1f} s left alone (ratio {ratio:.2f}); "
              f"{rate:.1f} redraws/s meanwhile")


if __name__ == "__main__":
    main()
