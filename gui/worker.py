"""TrainingWorker: runs the engine in a QThread, in chunks, and reports frames by wall time.

The GUI calls the command methods (``play``, ``pause``, ``step`` …) from its own thread; they
only put a message in a thread-safe inbox, read between chunks, so the GUI never waits on
training. The worker never touches a widget: it emits immutable ``Frame`` values.
"""

import queue
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.config import TrainingConfig
from engine.grid import decision_grid, hidden_lines, isoline, line_segment
from engine.trainer import Snapshot, Trainer

#: Frames are emitted at most this often while training (a 60 Hz display needs no more).
FRAME_INTERVAL = 1 / 60
#: Unlimited speed: chunks are sized so that each takes about this long, whatever the engine
#: (long enough that handing the GIL to and from the GUI thread costs little, short enough
#: that a command is read within a frame or two).
CHUNK_SECONDS = (0.015, 0.030)
MAX_CHUNK = 1_000_000
#: Rate-limited speed: never sleep longer than this, so commands stay responsive.
MAX_IDLE = 0.05
#: Rate-limited speed: updates are done in batches of at least this much wall time's worth,
#: so the worker does not spin (and hold the GIL) on single updates at high rates.
MIN_BATCH_SECONDS = 0.01
GRID_RESOLUTION = 96
#: The decision map (and its contour) is the costliest thing to draw: while training it is
#: refreshed every N iterations but at most this often.
GRID_INTERVAL = 0.1


@dataclass(frozen=True)
class Frame:
    """What the window draws: an engine snapshot plus the decision map computed for it.

    ``grid`` is the (R, R) output map of ``grid_iteration`` (refreshed every N iterations,
    and on every command); ``contour`` its 0.5 isoline as segments (xs, ys); ``segments``
    the first hidden layer's lines inside the box.
    """

    snapshot: Snapshot
    grid: np.ndarray
    grid_iteration: int
    contour: tuple
    segments: tuple
    running: bool
    updates_per_second: float
    #: Number of the last command the worker had handled (see ``TrainingWorker._send``).
    command: int


class TrainingWorker(QObject):
    """Owns the Trainer; lives in its own QThread once ``moveToThread`` is called."""

    frame_ready = Signal(object)
    #: A command could not be applied; the message is for the status bar.
    failed = Signal(str)
    finished = Signal()

    def __init__(self, config: TrainingConfig, updates_per_second: float | None = None,
                 grid_every: int = 1000):
        super().__init__()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._config = config
        self._rate = updates_per_second
        self._grid_every = grid_every
        self._trainer = Trainer(config)
        self._running = False
        self._grid = None
        self._grid_iteration = -1
        self._segments = ()
        self._contour = ()
        self._chunk = 1
        self._rate_origin = (0.0, 0)
        self._speed = 0.0
        self._speed_mark = (time.perf_counter(), 0)
        self._last_emit = 0.0
        self._grid_time = 0.0
        self._sent = 0
        self._handled = 0

    # Commands, callable from the GUI thread; each returns its number --------------------
    def _send(self, *command) -> int:
        self._sent += 1
        self._inbox.put((self._sent, *command))
        return self._sent

    def play(self):
        return self._send("play")

    def pause(self):
        return self._send("pause")

    def step(self, n: int = 1):
        return self._send("step", int(n))

    def reset(self):
        return self._send("reset")

    def set_config(self, config: TrainingConfig):
        """Apply ``config``: live if only trainable settings changed, else restart paused."""
        return self._send("config", config)

    def set_speed(self, updates_per_second: float | None):
        """Updates per second, or None for as fast as possible."""
        return self._send("speed", updates_per_second)

    def set_grid_every(self, iterations: int):
        return self._send("grid_every", max(1, int(iterations)))

    def stop(self):
        return self._send("stop")

    # The loop, run in the worker thread ------------------------------------------------
    def run(self):
        """Entry point, connected to QThread.started; returns after ``stop``."""
        try:
            self._warm_up()
            while self._guarded(self._next_command()):
                pass
        finally:
            self.finished.emit()

    def _warm_up(self):
        """Compile (or load) the engine's kernel now, off the GUI thread, so that the first
        Play starts at full speed. A throwaway trainer keeps the run untouched."""
        try:
            Trainer(self._config).step(1)
        except Exception as error:  # noqa: BLE001 - the real run will report it if it recurs
            self.failed.emit(f"Engine warm-up failed: {error}")

    def _guarded(self, command) -> bool:
        """Handle one command and train one chunk; an engine error pauses instead of dying."""
        try:
            if not self._handle(command):
                return False
            if self._running:
                self._advance()
        except Exception as error:  # noqa: BLE001 - reported to the user, the thread lives on
            self._running = False
            self.failed.emit(f"Training error: {error}")
        return True

    def _next_command(self):
        """The next command; blocks while paused, waits a little when rate-limited."""
        if not self._running:
            return self._inbox.get()
        idle = self._idle_time()
        try:
            return self._inbox.get(timeout=idle) if idle else self._inbox.get_nowait()
        except queue.Empty:
            return None

    def _handle(self, command) -> bool:
        """Apply one command (None: nothing to do); False means stop."""
        if command is None:
            return True
        self._handled, name, *args = command
        if name == "stop":
            return False
        if name == "play":
            self._running = not self._trainer.finished
            self._restart_clock()
        elif name == "pause":
            self._running = False
        elif name == "step":
            self._running = False
            self._trainer.step(args[0])
        elif name == "reset":
            self._running = False
            self._trainer = Trainer(self._config)
        elif name == "config":
            self._apply_config(args[0])
        elif name == "speed":
            self._rate = args[0]
            self._restart_clock()
        elif name == "grid_every":
            self._grid_every = args[0]
        # Play and speed changes leave the map alone: it is refreshed as training goes.
        self._emit(force_grid=name not in ("play", "speed"))
        return True

    def _apply_config(self, config: TrainingConfig):
        if self._config.needs_restart(config):
            self._running = False
            self._config = config
            self._trainer = Trainer(config)
        else:
            self._config = config
            self._trainer.reconfigure(config)
            self._running = self._running and not self._trainer.finished

    def _restart_clock(self):
        self._rate_origin = (time.perf_counter(), self._trainer.iteration)
        self._speed_mark = self._rate_origin

    def _due_updates(self) -> int:
        """Rate-limited: how many updates the clock allows now."""
        start, start_iteration = self._rate_origin
        allowed = int((time.perf_counter() - start) * self._rate)
        return max(0, min(MAX_CHUNK, start_iteration + allowed - self._trainer.iteration))

    def _batch(self) -> int:
        return max(1, int(self._rate * MIN_BATCH_SECONDS))

    def _idle_time(self) -> float:
        """How long to wait for commands before the next batch of updates is due."""
        if self._rate is None:
            return 0.0
        missing = self._batch() - self._due_updates()
        return 0.0 if missing <= 0 else min(MAX_IDLE, missing / self._rate)

    def _advance(self):
        """One chunk of training, then a frame if enough wall time has passed."""
        trainer = self._trainer
        n = self._chunk if self._rate is None else min(self._chunk, self._due_updates())
        if self._rate is not None and n < min(self._chunk, self._batch()):
            return
        started = time.perf_counter()
        trainer.step(n)
        if n == self._chunk:
            self._adapt_chunk(time.perf_counter() - started)
        if trainer.finished:
            self._running = False
            self._emit(force_grid=True)
        elif time.perf_counter() - self._last_emit >= FRAME_INTERVAL:
            self._emit(force_grid=False)

    def _adapt_chunk(self, seconds: float):
        """Scale the chunk towards CHUNK_SECONDS: reaches a fast engine's size in a few steps."""
        low, high = CHUNK_SECONDS
        if seconds < low:
            factor = 16 if seconds <= 0 else min(16.0, (low + high) / 2 / seconds)
            self._chunk = min(MAX_CHUNK, max(self._chunk + 1, int(self._chunk * factor)))
        elif seconds > high:
            self._chunk = max(1, self._chunk // 2)

    def initial_frame(self) -> Frame:
        """The frame of iteration 0, for the window to draw before the thread starts."""
        return self._frame(force_grid=True)

    def _emit(self, force_grid: bool):
        self.frame_ready.emit(self._frame(force_grid))

    def _frame(self, force_grid: bool) -> Frame:
        snapshot = self._trainer.snapshot()
        now = time.perf_counter()
        if force_grid or (snapshot.iteration - self._grid_iteration >= self._grid_every
                          and now - self._grid_time >= GRID_INTERVAL):
            self._grid_time = now
            self._grid = decision_grid(snapshot.layers, snapshot.config.activation,
                                       GRID_RESOLUTION)
            self._grid_iteration = snapshot.iteration
            self._contour = isoline(self._grid)
            self._segments = tuple(line_segment(line)
                                   for line in hidden_lines(snapshot.layers))
        self._measure_speed(snapshot.iteration)
        return Frame(snapshot, self._grid, self._grid_iteration, self._contour, self._segments,
                     self._running, self._speed, self._handled)

    def _measure_speed(self, iteration: int):
        now = time.perf_counter()
        self._last_emit = now
        mark_time, mark_iteration = self._speed_mark
        if not self._running:
            self._speed = 0.0
        elif now - mark_time >= 0.25:
            self._speed = (iteration - mark_iteration) / (now - mark_time)
            self._speed_mark = (now, iteration)
