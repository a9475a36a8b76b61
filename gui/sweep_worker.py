"""SweepRunner: runs a sweep in a QThread of its own (the runs themselves in processes, see
engine.sweep) and reports what the runs done add up to, by wall time.

The worker never touches a widget: it emits frozen engine.sweep_stats.SweepStats values.
Cancel only sets an event, read between chunks (each at most half a second of work); the
owner waits for the thread when it closes, so no thread or process outlives the window.
"""

import threading
import time

from PySide6.QtCore import QObject, QThread, Signal

from engine.sweep import Sweep, in_order, run_sweep
from engine.sweep_stats import sweep_stats
from gui.threads import thread_for

#: Results are shown at most this often (a chunk may finish every few milliseconds) …
PROGRESS_INTERVAL = 0.1
#: … and at most this share of the worker's time goes to summing them up: with 100,000
#: runs done, a sum takes tens of milliseconds, which the sweep's own thread pays.
STATS_SHARE = 0.25


class SweepWorker(QObject):
    """Runs one sweep when its thread starts; lives in that thread."""

    progressed = Signal(object)  # SweepStats of the runs done so far
    #: The sweep ended (done or cancelled): its SweepResult and their SweepStats.
    finished = Signal(object, object)
    failed = Signal(object)  # the exception that stopped it
    stopped = Signal()  # the last signal, after finished or failed

    def __init__(self, sweep: Sweep, workers: int | None, compiled: bool | None,
                 scheduler: str | None):
        super().__init__()
        self._sweep = sweep
        self._workers = workers
        self._compiled = compiled
        self._scheduler = scheduler
        self._cancel = threading.Event()
        self._done: dict = {}
        self._start = 0.0
        self._next_emit = 0.0

    def cancel(self):
        """Called from the GUI thread: no new chunk starts."""
        self._cancel.set()

    def run(self):
        self._start = time.perf_counter()
        try:
            result = run_sweep(self._sweep, self._workers, cancel=self._cancel,
                               compiled=self._compiled, chunk_done=self._on_chunk_done,
                               scheduler=self._scheduler)
            self.finished.emit(result, sweep_stats(self._sweep, result.runs, result.seconds))
        except Exception as error:  # noqa: BLE001 - shown to the user, the window lives on
            self.failed.emit(error)
        finally:
            self.stopped.emit()

    def _on_chunk_done(self, index, runs):
        self._done[index] = runs
        now = time.perf_counter()
        if now < self._next_emit:
            return
        stats = sweep_stats(self._sweep, in_order(self._done), now - self._start)
        cost = time.perf_counter() - now
        self._next_emit = now + max(PROGRESS_INTERVAL, cost / STATS_SHARE)
        self.progressed.emit(stats)


class SweepRunner(QObject):
    """Starts sweeps one at a time, each in a new thread, and forwards their signals."""

    progressed = Signal(object)
    finished = Signal(object, object)
    failed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: SweepWorker | None = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, sweep: Sweep, workers: int | None = None, compiled: bool | None = None,
              scheduler: str | None = None):
        """Run ``sweep`` on ``workers`` local processes, or on the Dask cluster whose
        scheduler is at ``scheduler``."""
        self.shutdown()  # the last one has ended already; this frees its thread
        self._worker = SweepWorker(sweep, workers, compiled, scheduler)
        self._thread = thread_for(self._worker, self, self._worker.stopped)
        self._worker.progressed.connect(self.progressed)
        self._worker.finished.connect(self.finished)
        self._worker.failed.connect(self.failed)
        self._thread.start()

    def cancel(self):
        if self._worker is not None:
            self._worker.cancel()

    def shutdown(self):
        """Cancel the sweep running, if any, and wait for its thread (and processes)."""
        if self._thread is None:
            return
        self.cancel()
        self._thread.quit()
        self._thread.wait()
        self._thread.deleteLater()
        self._worker.deleteLater()
        self._thread = self._worker = None
