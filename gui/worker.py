"""TrainingWorker: runs a TrainingSession in a QThread and reports its frames by wall time.

The GUI thread calls ``send`` (or ``stop``); that only puts the command in a thread-safe
inbox, read between chunks, so the GUI never waits on training. A command that starts the
run over (``send(..., restart=True)``) or ``stop`` drops the steps still queued before it:
30 queued Step×100 on a large network made a Reset wait 10 s for work it then threw away.
Everything else happens in the worker's thread: the session's commands, ``advance`` and
``frame``. The worker never touches a widget; it emits immutable Frames and errors as
exception objects.
"""

import gc
import queue
import threading
import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from engine.frame import Frame
from engine.session import TrainingSession
from gui import crash

#: Frames are emitted at most this often while training (a 60 Hz display needs no more).
FRAME_INTERVAL = 1 / 60
#: Wall time of training between two looks at the inbox (and chances to send a frame: at
#: 1920×1080, zoom 200 %, 0.01 against 0.02 s, with the session's shorter chunks, gave
#: 30.8-33.0 redraws/s against 28.4-32.2, training as fast).
ADVANCE_SECONDS = 0.01
#: While paused and the compiled loop is being prepared, look this often whether it is ready.
KERNEL_POLL = 0.25
#: While the compiled loop is loaded, training in numpy rests this many times ADVANCE_SECONDS
#: (60 ms) after each chunk: it holds the interpreter nearly all the time, which
#: loading and drawing need too. Play right after launch (1920×1080, zoom 200 %) had the
#: compiled loop in after 8.5 s at one redraw a second; resting, after 2.7-3.0 s at 6.7
#: (bench/first_play.py). Numpy's speed hardly matters: the compiled loop is a hundred times
#: faster.
PREPARING_REST = 6
_STOP = "stop"
#: The commands that only add updates to the run as it stands: a later restart makes them moot.
STEPS = ("step", "inspect_forward", "inspect_backward", "inspect_apply")


class TrainingWorker(QObject):
    """Owns the session; lives in its own QThread once ``moveToThread`` is called.

    Emits one frame after every command (stamped with the command's number, as ``send``
    returned it), at most one per FRAME_INTERVAL while training, and one when a run stops by
    itself.
    """

    frame_ready = Signal(object)
    #: A request finished: its number, its value (None after an error) and the exception it
    #: raised (None when it succeeded).
    replied = Signal(int, object, object)
    #: A command or a chunk of training raised; the exception object (the session pauses).
    failed = Signal(object)
    finished = Signal()

    def __init__(self, session: TrainingSession):
        super().__init__()
        self._session = session
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._sent = 0
        #: Bumped (in the GUI thread) by every restart; a step queued in an older
        #: generation is dropped when it is read.
        self._generation = 0
        self._handled = 0
        self._last_emit = 0.0
        self._unsent = 0  # updates done since the last frame
        self._kernel_shown = None  # the kernel state of the last frame sent
        self._delivered = threading.Event()
        self._delivered.set()

    # Called from the GUI thread ----------------------------------------------------------
    def send(self, name: str, *args, restart: bool = False) -> int:
        """Queue the session command ``name(*args)``; returns its number. With ``restart``
        (the command starts the run over) the steps queued before it are dropped."""
        if name not in TrainingSession.COMMANDS:
            raise ValueError(f"unknown training command {name!r}")
        if restart:
            self._generation += 1
        return self._queue(name, args)

    def request(self, name: str, *args) -> int:
        """Queue the session's request ``name(*args)`` (e.g. ``save(path)``), run between
        chunks like a command; ``replied`` reports it with the returned number."""
        if name not in TrainingSession.REQUESTS:
            raise ValueError(f"unknown session request {name!r}")
        return self._queue(name, args)

    def _queue(self, name: str, args) -> int:
        self._sent += 1
        self._inbox.put((self._sent, self._generation, name, args))
        return self._sent

    def stop(self):
        """Ask the loop to end, dropping the steps still queued (the thread's owner then
        waits for it)."""
        self._generation += 1
        self._inbox.put((self._sent, self._generation, _STOP, ()))

    def frame_delivered(self):
        """The GUI has received the last frame sent: the next one may be assembled."""
        self._delivered.set()

    def initial_frame(self) -> Frame:
        """The session's frame, for the window to draw before the thread starts."""
        return self._session.frame()

    # The loop, run in the worker thread ----------------------------------------------------
    def run(self):
        """Entry point, connected to QThread.started; returns after ``stop``."""
        try:
            self._prepare()
            while True:
                command = self._next_command()
                if command is not None:
                    number, generation, name, args = command
                    if name == _STOP:
                        return
                    if name in STEPS and generation != self._generation:
                        continue  # a restart or a stop is queued behind it
                    if name in TrainingSession.REQUESTS:
                        self._reply(number, name, args)
                        continue
                    self._handled = number
                    restarted = self._guarded(getattr(self._session, name), *args)
                    if name == "restore" or (name == "set_config" and restarted):
                        self._prepare()  # a deeper network may need the other compiled loop
                    self._emit()
                    continue  # every queued command before more training (a dragged slider)
                if self._session.running:
                    self._train()
                elif self._session.kernel != self._kernel_shown:
                    self._emit()  # the compiled loop got ready (or failed) while paused
        finally:
            self.finished.emit()

    def _prepare(self):
        """Have the compiled loop for the session's network prepared (in the background:
        the session trains in numpy meanwhile)."""
        self._guarded(self._session.warm_up)

    def _on_kernel_shown(self, kernel: str):
        """Once the compiled loop is in, take everything alive out of the garbage
        collector's sight (gc.freeze): with numba's ~80,000 objects in it, each full
        collection froze the window for 60–145 ms; without them it takes under 1 ms."""
        if kernel != self._kernel_shown and kernel == "compiled":
            gc.freeze()
        self._kernel_shown = kernel

    def _next_command(self):
        """The next command: waits while paused, for as long as the rate clock allows when
        rate-limited, not at all at unlimited speed; None when there is none."""
        idle = self._guarded(self._session.idle_seconds)  # None after an error: paused
        if idle is None and self._session.kernel == "preparing":
            idle = KERNEL_POLL  # to show when the compiled loop is ready
        try:
            if idle is None:
                return self._inbox.get()
            return self._inbox.get(timeout=idle) if idle else self._inbox.get_nowait()
        except queue.Empty:
            return None

    def _train(self):
        self._unsent += self._guarded(self._session.advance, ADVANCE_SECONDS) or 0
        if self._session.kernel == "preparing":
            time.sleep(PREPARING_REST * ADVANCE_SECONDS)
        # A run that stopped (converged, or an error) is shown at once. Otherwise new updates
        # are shown FRAME_INTERVAL after the last frame at the soonest, and only once the GUI
        # has received that one: a busy GUI (a large network) gets fewer frames, instead of a
        # queue of stale ones that each cost the worker a frame's assembly.
        if not self._session.running or (
                self._unsent and self._delivered.is_set()
                and time.perf_counter() - self._last_emit >= FRAME_INTERVAL):
            self._emit()

    def _reply(self, number: int, name: str, args):
        """Run a request; its failure is the user's to see (a dialog), not a training error:
        the session goes on as it was."""
        try:
            value = getattr(self._session, name)(*args)
        except Exception as error:  # noqa: BLE001 - handed to the GUI as the reply
            self.replied.emit(number, None, error)
        else:
            self.replied.emit(number, value, None)

    def _guarded(self, call, *args):
        """``call(*args)``; an exception pauses the session and is reported, and the thread
        lives on. Returns the call's result, None after an exception."""
        try:
            return call(*args)
        except Exception as error:  # noqa: BLE001 - reported to the user, the thread lives on
            crash.report(error)
            self._session.pause()
            self.failed.emit(error)
            return None

    def _emit(self):
        frame = self._guarded(self._session.frame)
        if frame is not None:
            self._on_kernel_shown(frame.kernel)
            self._delivered.clear()
            self.frame_ready.emit(replace(frame, command=self._handled))
        self._last_emit = time.perf_counter()
        self._unsent = 0
