"""TrainingController: the window's one source of truth, and the only object that talks to
the worker.

It holds the configuration, the play state and the view settings; widgets call its commands
and follow its signals (past-tense events), never each other. Frames from the worker pass
through it, so that it can tell when a run it played has stopped by itself.
"""

import random
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from engine.config import FIELD_SPECS, PRESET_TITLES, PRESETS, RESTART_FIELDS, TrainingConfig
from engine.session import TrainingSession
from engine.session_file import SavedSession
from engine.trainer import Status
from engine.view_settings import ViewSettings
from gui.status import finish_message
from gui.threads import thread_for
from gui.worker import TrainingWorker

#: How long the status bar shows a message, in ms (0: until the next one).
BRIEF, NORMAL, LONG = 5_000, 8_000, 15_000
#: What the status bar says when the way the network trains changes (see engine.compiled).
KERNEL_MESSAGES = {
    "preparing": ("Preparing fast training (numpy meanwhile)…", 0),
    "compiled": ("Fast training ready", BRIEF),
    "numpy": ("Fast training is unavailable here (see the terminal): training at numpy "
              "speed", LONG),
}


class TrainingController(QObject):
    config_changed = Signal(object)
    view_changed = Signal(object)
    playing_changed = Signal(bool)
    #: Every frame the worker sends, in order (the window draws the latest on its timer).
    frame_received = Signal(object)
    #: A sentence for the status bar and how long to show it (ms, 0 = until replaced).
    message_posted = Signal(str, int)
    #: A request ended: its number, its value and the exception that stopped it (or None).
    request_finished = Signal(int, object, object)

    def __init__(self, config: TrainingConfig, view: ViewSettings, parent=None,
                 saved: SavedSession | None = None):
        """A run of ``config`` shown with ``view``, or the ``saved`` session, paused."""
        super().__init__(parent)
        session = TrainingSession(config, view, background=True)
        if saved is not None:
            session.restore(saved)
        self._config = session.config
        self._view = session.view
        self._playing = False
        self._play_command = 0
        self._kernel = "compiled"
        #: The number of the command that started the latest recording.
        self.recording_command = 0
        self.worker = TrainingWorker(session)
        self.latest_frame = self.worker.initial_frame()
        self._thread = thread_for(self.worker, self, self.worker.finished)
        self.worker.frame_ready.connect(self._on_frame_ready)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.replied.connect(self.request_finished)

    # State ------------------------------------------------------------------------------
    @property
    def config(self) -> TrainingConfig:
        return self._config

    @property
    def view(self) -> ViewSettings:
        return self._view

    @property
    def playing(self) -> bool:
        return self._playing

    def start(self):
        self._thread.start()

    def shutdown(self):
        """Stop the worker (the steps still queued are dropped) and wait for its thread:
        never leave it running at exit."""
        self.worker.stop()
        self._thread.quit()
        self._thread.wait()

    def is_alive(self) -> bool:
        return self._thread.isRunning()

    # Commands ---------------------------------------------------------------------------
    def toggle_play(self):
        if self._playing:
            self.pause()
        else:
            self.play()

    def play(self):
        self._set_playing(True)
        if self._kernel == "preparing":  # still true, and it explains the first seconds
            self.message_posted.emit(*KERNEL_MESSAGES["preparing"])
        else:
            self.message_posted.emit("", 0)
        self._play_command = self.worker.send("play")

    def pause(self):
        self._set_playing(False)
        self.worker.send("pause")

    def step(self, n: int):
        self._set_playing(False)
        self.worker.send("step", n)

    def scrub(self, iteration: int | None):
        """Draw the recorded moment at ``iteration`` (None: the live state), paused."""
        self._set_playing(False)
        self.worker.send("scrub", iteration)

    def branch(self):
        """A new run from the moment scrubbed to; the later ones are dropped."""
        self._set_playing(False)
        self.worker.send("branch")
        self.message_posted.emit("Continuing from the iteration shown: a new branch of the "
                                 "run (the later iterations were dropped)", NORMAL)

    def inspect(self, level: str):
        """One sample-level step of the live iteration: "forward", "backward" or "apply"
        (engine.stepper), paused."""
        self._set_playing(False)
        self.worker.send(f"inspect_{level}")

    def reset(self):
        self._set_playing(False)
        self.worker.send("reset", restart=True)
        self.message_posted.emit(f"Reset to iteration 0 with seed {self._config.seed}", BRIEF)

    def reseed(self):
        """Start over from a new random seed (chosen here, so that it is known and shown)."""
        self.set_config(self._config.replace(seed=random.randrange(1_000_000)))

    def set_seed(self, seed: int):
        self.set_config(self._config.replace(seed=seed))

    def set_config(self, config: TrainingConfig):
        """Apply ``config``: live when only trainable settings changed, else the network
        restarts paused at iteration 0; the status bar says which."""
        previous = self._config
        if config == previous:
            return
        restart = previous.needs_restart(config)
        self._config = config
        # Steps queued before a live change (a learning rate) still mean what they meant.
        self.worker.send("set_config", config, restart=restart)
        self.config_changed.emit(config)
        if restart:
            self._set_playing(False)
            changed = [FIELD_SPECS[name].label.lower() for name in RESTART_FIELDS
                       if getattr(previous, name) != getattr(config, name)]
            self.message_posted.emit(f"Changed {', '.join(changed)}: the network restarted "
                                     "at iteration 0 (paused)", NORMAL)
        else:
            self.message_posted.emit("Configuration applied without a reset", BRIEF)

    def load_preset(self, name: str):
        """The preset's configuration, paused at iteration 0."""
        config = PRESETS[name]
        self._set_playing(False)
        if config != self._config:
            self._config = config
            self.worker.send("set_config", config, restart=True)
            self.config_changed.emit(config)
        self.worker.send("reset", restart=True)
        self.message_posted.emit(f"Loaded preset '{PRESET_TITLES[name]}': paused "
                                 "at iteration 0", NORMAL)

    def open_session(self, saved: SavedSession, name: str):
        """Show ``saved`` (a session file, or a weights file's network at its iteration 0)
        exactly as it was, paused; ``name`` is how the status bar calls it."""
        self._set_playing(False)
        self._config, self._view = saved.config, saved.view
        self.worker.send("restore", saved, restart=True)
        self.config_changed.emit(self._config)
        self.view_changed.emit(self._view)
        self.message_posted.emit(f"Opened {name}: iteration {saved.state.iteration:,}, paused",
                                 NORMAL)

    def request(self, name: str, *args) -> int:
        """Have the worker run the session's request ``name(*args)`` (save, export_history,
        export_grid, save_weights, stop_recording) between chunks; ``request_finished``
        reports it with the number returned here."""
        return self.worker.request(name, *args)

    def start_recording(self):
        """Capture frames for an animation from now on (see engine.recording)."""
        self.recording_command = self.worker.send("start_recording")

    def set_speed(self, updates_per_second: float | None):
        self._set_view("set_speed", speed=updates_per_second)

    def set_grid_every(self, iterations: int):
        self._set_view("set_grid_every", grid_every=int(iterations))

    def set_smoothing(self, weight: float):
        self._set_view("set_smoothing", smoothing=float(weight))

    def set_show_deltas(self, show: bool):
        self._set_view("set_show_deltas", show_deltas=bool(show))

    def _set_view(self, command: str, **change):
        view = replace(self._view, **change)
        if view == self._view:
            return
        self._view = view
        self.worker.send(command, *change.values())
        self.view_changed.emit(self._view)

    def _set_playing(self, playing: bool):
        if playing != self._playing:
            self._playing = playing
            self.playing_changed.emit(playing)

    # Worker → controller ------------------------------------------------------------------
    def _on_frame_ready(self, frame):
        self.worker.frame_delivered()
        self.latest_frame = frame
        if frame.kernel != self._kernel:
            self._kernel = frame.kernel
            self.message_posted.emit(*KERNEL_MESSAGES[frame.kernel])
        # A run stops Play when it stops by itself, but only once the worker has seen that
        # Play: older frames (e.g. the end of the previous run, before a Reset) do not count.
        if self._playing and frame.command >= self._play_command and not frame.running:
            self._set_playing(False)
            if frame.snapshot.status is not Status.RUNNING:
                self.message_posted.emit(finish_message(frame.snapshot), 0)
        self.frame_received.emit(frame)

    def _on_worker_failed(self, error: Exception):
        self._set_playing(False)
        self.message_posted.emit(f"Training error: {error}", LONG)
