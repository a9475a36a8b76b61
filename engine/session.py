"""TrainingSession: one run as a person drives it, without a screen.

It owns the configuration, the trainer, the play state, the pacing (a rate clock, chunks
sized to wall time, the measured updates per second), the view settings, the decision map's
cache and the assembly of Frames. It is single-threaded and synchronous: a driver (the GUI's
worker thread, a test, a script) calls its commands and ``advance`` in turn. Time comes from
``clock``, which tests replace.
"""

import time
from dataclasses import replace

from engine import compiled as kernels
from engine import weights_file
from engine.anatomy import anatomy
from engine.config import TrainingConfig
from engine.decision_map import GRID_RESOLUTION, DecisionMap
from engine.files import write_text_atomic
from engine.frame import Frame, Timeline, drawable_map, history_traces, largest_magnitude
from engine.grid import decision_grid
from engine.recording import Recording
from engine.session_file import SavedSession, save_session
from engine.stepper import Stepper
from engine.tables import grid_csv, write_history
from engine.timeline import branched, recorded_moment, timeline_rows
from engine.trainer import Trainer
from engine.view_settings import ViewSettings

#: Unlimited speed: chunks are sized so that each takes about this long, whatever the engine
#: (long enough that handing the GIL to and from the GUI thread costs little, short enough
#: that a command is read, and a frame sent, within a frame's time: a window drawing a frame
#: every 30 ms waited for one in a frame of three with chunks of 15-30 ms).
CHUNK_SECONDS = (0.008, 0.016)
MAX_CHUNK = 1_000_000
#: Rate-limited speed: updates are done in batches of at least this much wall time's worth,
#: so that the driver does not spin on single updates at high rates.
MIN_BATCH_SECONDS = 0.01
#: Rate-limited speed: never tell the driver to wait longer than this for the next batch.
MAX_IDLE = 0.05
#: Rate-limited speed: a run behind the clock by more than this many seconds' worth of
#: updates is forgiven the rest.
MAX_BEHIND = 0.25
#: The measured speed is averaged over at least this long.
SPEED_WINDOW = 0.25
#: The decision map is the costliest thing to compute and draw: while training it is
#: refreshed every ``grid_every`` iterations but at most this often.
GRID_INTERVAL = 0.1


class TrainingSession:
    """A run of ``config`` that can be played, paused, stepped, reset and reconfigured.

    ``compiled`` is passed to every Trainer (None: the numba kernel when it imports).
    """

    #: The methods a driver may call as commands.
    COMMANDS = ("play", "pause", "step", "reset", "reseed", "set_config", "set_speed",
                "set_grid_every", "set_smoothing", "set_show_deltas", "restore",
                "start_recording", "scrub", "branch", "inspect_forward", "inspect_backward",
                "inspect_apply")
    #: The methods that write a file of the run as it stands (a path their one argument);
    #: they change nothing in the session, and return None or raise FileError.
    FILE_REQUESTS = ("save", "export_history", "export_grid", "save_weights")
    #: The methods whose result the driver hands back: the file requests and
    #: ``stop_recording`` (the recorded frames).
    REQUESTS = FILE_REQUESTS + ("stop_recording",)

    def __init__(self, config: TrainingConfig, view: ViewSettings | None = None,
                 clock=time.perf_counter, compiled: bool | None = None,
                 background: bool = False):
        """``background`` (with ``compiled`` None): the kernel is prepared in a thread by
        ``warm_up`` and training runs in numpy until it is ready (engine.compiled)."""
        self._clock = clock
        self._compiled = compiled
        self._background = background and compiled is None
        self.config = config
        self.view = view or ViewSettings()
        self._rate_origin = (0.0, 0)
        self._speed_mark = (0.0, 0)
        self.updates_per_second = 0.0
        self._map_time = float("-inf")
        self._new_trainer()

    def _new_trainer(self, config: TrainingConfig | None = None):
        """A new network (of ``config``, else the current one), paused at iteration 0."""
        self._use(Trainer(config or self.config, compiled=self._compiled))

    def _use(self, trainer: Trainer):
        """Run ``trainer`` from now on, paused."""
        self.trainer, self.config = trainer, trainer.config
        self.running = False
        self._chunk = 1  # sized anew: a larger network takes far longer per update
        self._map = None  # belongs to the old network, even at the same iteration
        self._recording = None  # so does a recording: it ends (its frames say so)
        self._shown_row = None  # the live state, not a recorded moment
        self._stepper = None  # the live state's iteration taken a sample at a time
        self.training_seconds = 0.0  # wall time Play has spent updating this network

    @property
    def iteration(self) -> int:
        return self.trainer.iteration

    def warm_up(self):
        """Load (or compile) the kernel for this network's shape, on a throwaway trainer, so
        that Play runs at full speed: now, or in a thread when in the background."""
        config = self.config
        if self._background:
            kernels.prepare(config, lambda: Trainer(config, compiled=True,
                                                     history_capacity=4).step(1))
        else:
            Trainer(config, compiled=self._compiled, history_capacity=4).step(1)

    @property
    def kernel(self) -> str:
        """How this network trains: "compiled", "preparing" (numpy until the compiled loop
        is ready) or "numpy" (the kernel cannot be had, or numpy was asked for)."""
        if self._compiled is False or kernels.failure() is not None:
            return "numpy"
        if self._background and not kernels.is_ready(self.config):
            return "preparing"
        return "compiled"

    # Commands ---------------------------------------------------------------------------
    def play(self):
        """Start training (nothing happens when the run has already stopped)."""
        self._shown_row = None  # Play without branching goes on from the live state
        self.running = not self.trainer.finished
        self.updates_per_second = 0.0  # until measured anew
        self._restart_clock()

    def pause(self):
        self.running = False

    def step(self, n: int = 1) -> int:
        """Pause, then perform up to ``n`` updates now; returns how many were done."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"step needs a whole number of updates >= 1 (got {n!r})")
        self.running = False
        self._shown_row = None
        return self._train(n)

    def reset(self):
        """Back to iteration 0 with the same configuration: identical starting weights."""
        self._new_trainer()

    def reseed(self, seed: int):
        """Start over from the starting weights of ``seed``."""
        self.set_config(self.config.replace(seed=seed))

    def set_config(self, config: TrainingConfig) -> bool:
        """Apply ``config``: in place when only trainable settings changed (a running run
        goes on), else a new network, paused at iteration 0. Returns whether it restarted.
        Nothing changes when the config cannot be applied."""
        if not isinstance(config, TrainingConfig):
            raise TypeError(f"set_config needs a TrainingConfig (got {type(config).__name__})")
        if self.config.needs_restart(config):
            self._new_trainer(config)
            return True
        self.trainer.reconfigure(config)
        self._stepper = None  # α, the loss or the gate change what its steps compute
        self.config = config
        self.running = self.running and not self.trainer.finished
        return False

    def restore(self, saved: SavedSession):
        """Go on from ``saved`` (its configuration, view settings and state), paused."""
        self._use(Trainer.restore(saved.config, saved.state, compiled=self._compiled))
        self.view = saved.view

    def set_speed(self, updates_per_second: float | None):
        """Updates per second from now on, or None for as fast as possible."""
        self.view = replace(self.view, speed=updates_per_second)
        self._restart_clock()

    def set_grid_every(self, iterations: int):
        self.view = replace(self.view, grid_every=iterations)

    def set_smoothing(self, weight: float):
        self.view = replace(self.view, smoothing=weight)

    def set_show_deltas(self, show: bool):
        self.view = replace(self.view, show_deltas=bool(show))

    # History ----------------------------------------------------------------------------
    def scrub(self, iteration: int | None):
        """Pause and draw the recorded moment at ``iteration`` (the latest recorded at or
        before it), the curves still showing the whole run; None, or an iteration at or
        past the live state's, is the live state (Frame.timeline)."""
        if iteration is not None and (isinstance(iteration, bool)
                                      or not isinstance(iteration, int)):
            raise ValueError(f"scrub needs an iteration or None (got {iteration!r})")
        self.running = False
        live = self.trainer.iteration
        history = self.trainer.history
        self._shown_row = (None if iteration is None or iteration >= live
                           else min(max(0, iteration) // history.stride, history.count - 1))
        if self._shown_row is not None and history.iterations[self._shown_row] == live:
            self._shown_row = None  # the last recorded point is the live state

    def branch(self):
        """Go on from the moment drawn (scrub): a new run from its parameters, numbered on
        from its iteration, its history up to there; the later moments are dropped."""
        if self._shown_row is not None:
            self._use(branched(self.trainer, self._shown_row, self._compiled))

    # Backprop, a sample at a time -------------------------------------------------------
    def _stepping(self) -> Stepper:
        """Pause on the live state (as Step does); the sample-level steps of its iteration."""
        self.running = False
        self._shown_row = None
        if self._stepper is None:
            self._stepper = Stepper(self.trainer.config, self.trainer.layers)
        return self._stepper

    def inspect_forward(self):
        """The next sample's forward pass (engine.stepper)."""
        self._stepping().forward()

    def inspect_backward(self):
        """The next forwarded sample's backward pass, its gradient added to the batch's."""
        self._stepping().backward()

    def inspect_apply(self):
        """The update the four backward passes add up to (ValueError before they are
        done); the trainer makes the same update (to 1e-12) and records it."""
        self._stepping().apply()
        self.step(1)

    # Recording --------------------------------------------------------------------------
    def start_recording(self):
        """Capture the state now and every K iterations from now on (engine.recording) until
        ``stop_recording``, a new network or a restore."""
        self._recording = Recording(self.trainer.iteration)
        self._recording.capture(self.trainer.snapshot(with_history=False))

    def stop_recording(self) -> list[Frame]:
        """The recording's frames, the current state last, each drawn as a paused run of its
        iteration (with its own map); the recording ends. Only the frames kept are made
        here: made at every capture, frames slowed a recorded run 60-fold."""
        recording, self._recording = self._recording, None
        if recording is None:
            raise ValueError("nothing is being recorded (the network restarted?)")
        moments = recording.finish(self.trainer.snapshot(with_history=False))
        return [self._frame_of(moment, drawable_map(moment), running=False)
                for moment in moments]

    def _train(self, n: int) -> int:
        """Up to ``n`` updates; while recording, in pieces that end on each capture point."""
        self._stepper = None  # it stepped the state these updates leave
        if self._background:  # numpy until the compiled loop is ready: the numbers agree
            self.trainer.compiled = None if kernels.is_ready(self.config) else False
        recording = self._recording
        if recording is None:
            return self.trainer.step(n)
        done = 0
        while done < n and not self.trainer.finished:
            done += self.trainer.step(min(n - done, recording.until_next(self.iteration)))
            if recording.wants(self.iteration):
                recording.capture(self.trainer.snapshot(with_history=False))
        return done

    # Files ------------------------------------------------------------------------------
    def saved(self) -> SavedSession:
        """The run as it stands, as a session file holds it."""
        return SavedSession(self.config, self.view, self.trainer.state())

    def save(self, path):
        """Write a session file (.xorlab) that ``restore`` continues bit for bit."""
        save_session(path, self.config, self.trainer.state(), self.view)

    def export_history(self, path):
        """Write the recorded history, the current state last, as CSV."""
        write_history(path, self.trainer)

    def export_grid(self, path):
        """Write the decision grid of the current parameters as CSV (x1, x2, output)."""
        grid = decision_grid(self.trainer.layers, self.config.activation, GRID_RESOLUTION)
        write_text_atomic(path, grid_csv(grid))

    def save_weights(self, path):
        """Write the current network as a weights file (JSON)."""
        weights_file.save_weights(path, self.config, self.trainer.layers,
                                  self.trainer.iteration)

    # Pacing -----------------------------------------------------------------------------
    def _restart_clock(self):
        now = self._clock()
        self._rate_origin = (now, self.trainer.iteration)
        self._speed_mark = self._rate_origin

    def _due(self) -> int:
        """Rate-limited: how many updates the clock allows now. A run that fell more than
        MAX_BEHIND behind (numpy while the compiled loop is prepared, a network too large
        for the speed, a stall) goes on from there at the speed asked for, rather than
        racing to catch up: that showed as a jump of tens of thousands of iterations."""
        now, speed = self._clock(), self.view.speed
        start, start_iteration = self._rate_origin
        due = start_iteration + int((now - start) * speed) - self.trainer.iteration
        most = max(self._batch(), int(speed * MAX_BEHIND))
        if due > most:
            self._rate_origin = (now - most / speed, self.trainer.iteration)
            due = most
        return max(0, min(MAX_CHUNK, due))

    def _batch(self) -> int:
        return max(1, int(self.view.speed * MIN_BATCH_SECONDS))

    def idle_seconds(self) -> float | None:
        """How long a driver may wait before ``advance`` has work: None while paused (wait
        for a command), 0 when updates are due now."""
        if not self.running:
            return None
        if self.view.speed is None:
            return 0.0
        missing = self._batch() - self._due()
        return 0.0 if missing <= 0 else min(MAX_IDLE, missing / self.view.speed)

    def advance(self, seconds: float) -> int:
        """While playing, train for about ``seconds`` of wall time at the current speed (at
        least one chunk at unlimited speed, only what the clock allows when rate-limited);
        returns the number of updates done. Play stops when the run stops by itself."""
        started = self._clock()
        done = 0
        while self.running:
            rate_limited = self.view.speed is not None
            n = min(self._chunk, self._due()) if rate_limited else self._chunk
            if rate_limited and n < min(self._chunk, self._batch()):
                break  # not enough due yet: idle_seconds says how long to wait
            chunk_started = self._clock()
            done += self._train(n)
            took = self._clock() - chunk_started
            self._adapt_chunk(n, took)
            self.training_seconds += took
            if self.trainer.finished:
                self.running = False
            if self._clock() - started >= seconds:
                break
        self._measure_speed()
        return done

    def _adapt_chunk(self, n: int, seconds: float):
        """Scale the chunk towards CHUNK_SECONDS from the time ``n`` updates took: up at
        most 16-fold when a full chunk was quick, down in proportion when any was slow."""
        low, high = CHUNK_SECONDS
        if seconds > high:
            self._chunk = max(1, min(self._chunk, int(n * (low + high) / 2 / seconds)))
        elif n == self._chunk and seconds < low:
            factor = 16.0 if seconds <= 0 else min(16.0, (low + high) / 2 / seconds)
            self._chunk = min(MAX_CHUNK, max(self._chunk + 1, int(self._chunk * factor)))

    def _measure_speed(self):
        now = self._clock()
        mark_time, mark_iteration = self._speed_mark
        if now - mark_time >= SPEED_WINDOW:
            self.updates_per_second = (self.trainer.iteration - mark_iteration) / (now - mark_time)
            self._speed_mark = (now, self.trainer.iteration)

    # Frames -----------------------------------------------------------------------------
    def _decision_map(self, snapshot) -> DecisionMap:
        """The cached map, refreshed when it shows another network or, while playing, when
        ``grid_every`` iterations and GRID_INTERVAL have passed; always when paused."""
        iteration, cached = snapshot.iteration, self._map
        if cached is not None and cached.iteration == iteration:
            return cached
        now = self._clock()
        if (cached is not None and self.running
                and (iteration - cached.iteration < self.view.grid_every
                     or now - self._map_time < GRID_INTERVAL)):
            return cached
        self._map, self._map_time = drawable_map(snapshot), now
        return self._map

    def frame(self) -> Frame:
        """What the views draw now: the live state, or the recorded moment scrubbed to."""
        snapshot = self.trainer.snapshot(with_history=False)
        rows, row = timeline_rows(self.trainer), self._shown_row
        if row is None:
            timeline = self._timeline(rows, rows - 1, snapshot.iteration)
            inspection = None if self._stepper is None else self._stepper.state()
            return self._frame_of(snapshot, self._decision_map(snapshot), self.running,
                                  timeline=timeline, inspection=inspection)
        moment = recorded_moment(self.trainer, row)
        return self._frame_of(moment, self._decision_map(moment), running=False,
                              timeline=self._timeline(rows, row, moment.iteration),
                              curves_until=snapshot)

    def _timeline(self, rows: int, shown: int, iteration: int) -> Timeline:
        return Timeline(rows, shown, iteration, self.trainer.history.stride,
                        self.trainer.iteration)

    def _frame_of(self, snapshot, decision: DecisionMap, running: bool,
                  timeline: Timeline | None = None, curves_until=None,
                  inspection=None) -> Frame:
        """The Frame of ``snapshot`` (now, or an earlier moment of this run), its curves up
        to ``curves_until`` (a later snapshot) or to itself."""
        view = self.view
        error, gradients, parameters = history_traces(
            self.trainer.history, curves_until or snapshot, view.smoothing, view.show_deltas)
        return Frame(
            snapshot=snapshot,
            error=error,
            gradients=gradients,
            parameters=parameters,
            show_deltas=view.show_deltas,
            decision=decision,
            running=running,
            updates_per_second=self.updates_per_second if running else 0.0,
            recording=None if self._recording is None else self._recording.status,
            kernel=self.kernel,
            anatomy=anatomy(snapshot.config, snapshot.layers),
            timeline=timeline,
            inspection=inspection,
            largest_parameter=largest_magnitude(snapshot.layers),
            training_seconds=self.training_seconds,
        )
