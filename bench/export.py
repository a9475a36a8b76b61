"""What saving, reopening, recording and exporting cost, against references in the same run.

    QT_QPA_PLATFORM=offscreen python bench/export.py

1. A session file (.xorlab) of the tutorial's converged run and of hidden 16,16,16,16 after
   200,000 updates (history full): save and load times and size, against one frame's
   assembly (what the window does 60 times a second).
2. Recording: the tutorial's 390,111 updates with a recording running (a still frame every
   K iterations, K doubling) against the same run without one.
3. A GIF of 300 frames: one palette for the clip (as written) against a palette per frame
   (Pillow's default).
4. Figures of the 1600×1000 window: PNG at 2×, SVG and PDF, against a plain ``grab()``.
Best of ROUNDS. A benchmark, not a test.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from engine.animation_file import gif_bytes  # noqa: E402
from engine.config import PRESETS  # noqa: E402
from engine.session import TrainingSession  # noqa: E402
from engine.session_file import load_session  # noqa: E402

ROUNDS = 5


def best(call, rounds=ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def sessions(folder: Path):
    print("1. session files")
    deep = PRESETS["tutorial"].replace(hidden=(16, 16, 16, 16), max_iterations=200_000,
                                       target_error=1e-300)
    for name, config, updates in (("tutorial, converged", PRESETS["tutorial"], 390_111),
                                  ("hidden 16,16,16,16", deep, 200_000)):
        session = TrainingSession(config)
        session.step(updates)
        path = folder / f"{updates}.xorlab"
        frame = best(session.frame)
        save = best(lambda s=session, p=path: s.save(p))
        load = best(lambda p=path: load_session(p))
        print(f"   {name:<22} {path.stat().st_size / 1e6:6.2f} MB   save {save * 1e3:7.1f} ms"
              f" ({save / frame:5.0f} frames)   load {load * 1e3:7.1f} ms"
              f" ({load / frame:5.0f} frames)   frame {frame * 1e3:.2f} ms")


def recording():
    print("2. recording the tutorial's run")
    config = PRESETS["tutorial"]

    def run(record: bool):
        session = TrainingSession(config)
        session.warm_up()
        if record:
            session.start_recording()
        while not session.trainer.finished:
            session.step(100_000)
        return session.stop_recording() if record else None

    plain = best(lambda: run(False), rounds=3)
    recorded = best(lambda: run(True), rounds=3)
    frames = run(True)
    print(f"   without {plain:.3f} s, with {recorded:.3f} s ({recorded / plain:.1f}×), "
          f"{len(frames)} frames")


def gif():
    print("3. GIF of 300 frames, 1200×576")
    base = np.full((576, 1200, 3), 255, np.uint8)
    base[::9] = 40
    images = []
    for i in range(300):
        image = base.copy()
        image[100:450, 600:1100] = (255 - i // 2, 120, 80 + i // 3)
        image[200 + i % 200, :600] = 0
        images.append(image)

    def per_frame():
        frames = [Image.fromarray(image, "RGB") for image in images]
        frames[0].save(io.BytesIO(), format="GIF", save_all=True, append_images=frames[1:],
                       duration=50, loop=0)

    reference = best(per_frame, rounds=1)
    shared = best(lambda: gif_bytes(images), rounds=1)
    print(f"   palette per frame {reference:.2f} s, one palette {shared:.2f} s "
          f"({reference / shared:.1f}× faster)")


def figures():
    print("4. figures of the 1600×1000 window")
    from PySide6.QtWidgets import QApplication

    from gui.app import style_application
    from gui.figures import figure_bytes
    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    style_application(app)
    session = TrainingSession(PRESETS["tutorial"])
    session.step(50_000)
    window = MainWindow(saved=session.saved())
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    try:
        grab = best(window.grab)
        for suffix in (".png", ".svg", ".pdf"):
            cost = best(lambda s=suffix: figure_bytes(window, s, 2.0))
            size = len(figure_bytes(window, suffix, 2.0))
            print(f"   {suffix}  {cost * 1e3:6.0f} ms ({cost / grab:4.1f}× a grab of "
                  f"{grab * 1e3:.0f} ms), {size / 1e3:6.0f} kB")
    finally:
        window.close()


def main():
    with tempfile.TemporaryDirectory() as folder:
        sessions(Path(folder))
    recording()
    gif()
    figures()


if __name__ == "__main__":
    main()
