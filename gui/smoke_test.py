"""``xor-lab --smoke-test [--screenshot PATH.png]``: does XOR Lab work on this machine?

Opens the window, trains 1,000 updates at full speed (compiled, or numpy while the kernel
is prepared or when it cannot be had), waits until the window has drawn the last of them
and the kernel is ready or given up, saves the window as a PNG and exits 0; on any failure
one line on stderr and a nonzero status. For an installed copy or the packaged app, where
the test suite is not at hand.
"""

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from engine.config import TrainingConfig
from engine.files import FileError, check_suffix, writable_target, write_bytes_atomic
from gui.figures import figure_bytes
from gui.render_cli import WINDOW_SIZE

ITERATIONS = 1_000
PROG = "xor-lab --smoke-test"
EXIT_FAILED, EXIT_USAGE = 1, 2
#: How often the wait looks at the window (the worker's frames and the redraw are timers).
POLL_MS = 20
#: Only bounds a broken run: 1,000 updates take well under a second, even in numpy, and
#: a first run's compile of the kernel 10-40 s.
TIMEOUT_MS = 300_000
#: How the run trained (a Frame's ``kernel``), as the result line says it.
KERNELS = {"compiled": "compiled", "numpy": "numpy",
           "preparing": "numpy while the compiled loop was prepared"}


class SmokeTestError(RuntimeError):
    """The window did not train and draw the run as expected; the message says how."""


def screenshot_target(path: Path | None) -> Path:
    """Where the screenshot goes, checked before the window opens (FileError if it cannot
    be written). By default a new private folder: a fixed name in the shared temporary
    folder could be another user's symlink, which an atomic save would follow."""
    if path is None:
        return Path(tempfile.mkdtemp(prefix="xor-lab-smoke-test-")) / "screenshot.png"
    check_suffix(path, (".png",), "a screenshot")
    writable_target(path)
    return path


def command(path: Path | None, config: TrainingConfig) -> int:
    """Run the smoke test of ``config`` and save its screenshot to ``path``; the exit code."""
    try:
        target = screenshot_target(path)
    except FileError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    from gui.app import start_application

    start_application()
    try:
        trained, settled = run(config, target)
    except (SmokeTestError, ValueError) as error:  # FileError and FigureError included
        print(f"{PROG}: failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{target}: the window after {ITERATIONS:,} updates, trained in {KERNELS[trained]}"
          + (f"; from now on {KERNELS[settled]}" if settled != trained else ""))
    return 0


def run(config: TrainingConfig, path: Path) -> tuple[str, str]:
    """Train ``config`` for ITERATIONS updates in a shown window, write the window to
    ``path`` as a PNG; how the run trained and how training goes on (a Frame's
    ``kernel``)."""
    from gui.main_window import MainWindow  # after the cheap checks, as gui.app does

    window = MainWindow(config.replace(max_iterations=ITERATIONS))
    controller = window.controller
    errors = []
    controller.worker.failed.connect(errors.append)
    window.redraw_failed.connect(errors.append)  # a view that cannot draw fails it too

    def drawn() -> bool:
        return window.drawn_frame() is controller.latest_frame

    try:
        window.resize(*WINDOW_SIZE)
        window.show()
        controller.set_speed(None)
        controller.play()
        # Play stays on until a frame sent after it says the run stopped (or the worker
        # failed); then the drawing catches up.
        wait_until(lambda: errors or (not controller.playing and drawn()),
                   f"train {ITERATIONS:,} updates")
        trained = window.drawn_frame()
        if not errors and trained.snapshot.iteration != ITERATIONS:
            raise SmokeTestError(f"training stopped at iteration "
                                 f"{trained.snapshot.iteration:,} "
                                 f"({trained.snapshot.status.value}), not {ITERATIONS:,}")
        # A first run trains in numpy while the compiled loop is prepared. Wait until it is
        # ready (or has failed, leaving numpy): that checks it works here, and the app then
        # exits with no compiler running, which could abort the interpreter's exit.
        wait_until(lambda: errors or (controller.latest_frame.kernel != "preparing" and drawn()),
                   "prepare the compiled training loop")
        if errors:
            raise SmokeTestError(f"training or drawing failed: {errors[0]}")
        data = figure_bytes(window, ".png", scale=1.0)
    finally:
        window.close()  # stops the worker and waits for its thread
    write_bytes_atomic(path, data)
    return trained.kernel, window.drawn_frame().kernel


def wait_until(condition, what: str):
    """Run the event loop until ``condition()`` holds; SmokeTestError after TIMEOUT_MS,
    saying the window did not do ``what`` (also for tools/screenshot.py and the bench)."""
    loop = QEventLoop()
    poll, deadline = QTimer(), QTimer()
    poll.timeout.connect(lambda: condition() and loop.quit())
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll.start(POLL_MS)
    deadline.start(TIMEOUT_MS)
    loop.exec()
    poll.stop()
    deadline.stop()
    if not condition():
        raise SmokeTestError(f"the window did not {what} in {TIMEOUT_MS // 1000} s")
