"""MainWindow: the live training window. Wires controls → worker commands, frames → panels.

Frames from the worker are only stored when they arrive; a timer redraws the latest one, so
the event loop stays responsive whatever the training speed.
"""

import random

from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QToolBar, QVBoxLayout, QWidget

from engine.config import PRESETS, RESTART_FIELDS, ConfigError, TrainingConfig
from gui import theme
from gui.actions import create_actions, show_playing
from gui.config_panel import FIELDS, ConfigPanel, parse_number
from gui.controls import SpeedControl, heatmap_interval, seed_box
from gui.errors import guarded
from gui.panels.decision_panel import DecisionPanel
from gui.panels.error_panel import ErrorPanel
from gui.panels.gradient_panel import GradientPanel
from gui.panels.parameter_panel import ParameterPanel
from gui.status import TrainingStatusBar, finish_message
from gui.worker import TrainingWorker

REDRAW_MS = 25
#: The training commands, in toolbar and menu order.
TRAINING_ACTIONS = ("play_pause", "step", "step_100", "reset", "reseed")
PRESET_TITLES = {
    "tutorial": "Tutorial (seed 42)",
    "tanh": "tanh activation, Xavier init",
    "relu": "ReLU, 4 hidden units",
    "wide": "4 hidden units",
    "per-neuron": "Per-neuron bias update",
}


class MainWindow(QMainWindow):
    def __init__(self, config: TrainingConfig | None = None, parent=None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._config = config or PRESETS["tutorial"]
        self._playing = False
        self._play_command = 0
        self._pending = None
        self._drawn = None
        self.setWindowTitle("XOR Lab")
        self.setObjectName("main_window")

        self._actions = create_actions(self)
        self.speed = SpeedControl()
        self.seed_box = seed_box()
        self.heatmap_every = heatmap_interval()
        self.config_panel = ConfigPanel(self._config)
        self.error_panel = ErrorPanel()
        self.gradient_panel = GradientPanel()
        self.parameter_panel = ParameterPanel()
        self.decision_panel = DecisionPanel()
        self.setStatusBar(TrainingStatusBar())
        self._build_layout()
        self._build_toolbar_and_menus()

        self.worker = TrainingWorker(self._config, self.speed.speed, self.heatmap_every.value())
        self._thread = QThread(self)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        # Direct: quit the thread's event loop from the worker thread itself, even while the
        # GUI thread is blocked in closeEvent's wait().
        self.worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self.worker.frame_ready.connect(self._on_frame_ready)
        self.worker.failed.connect(self._on_worker_failed)
        self._connect_controls()
        self._pending = self.worker.initial_frame()
        self._redraw()
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()
        self._thread.start()

    # Layout ---------------------------------------------------------------------------
    def _build_layout(self):
        plots = QSplitter(Qt.Orientation.Vertical)
        for panel in (self.error_panel, self.gradient_panel, self.parameter_panel):
            plots.addWidget(panel)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.decision_panel, stretch=3)
        right_layout.addWidget(self.config_panel, stretch=2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(plots)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

    def _build_toolbar_and_menus(self):
        toolbar = QToolBar("Training")
        toolbar.setObjectName("training_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in TRAINING_ACTIONS:
            toolbar.addAction(self._actions[name])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Seed "))
        toolbar.addWidget(self.seed_box)
        toolbar.addSeparator()
        toolbar.addWidget(self.speed)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Heatmap every "))
        toolbar.addWidget(self.heatmap_every)
        toolbar.addWidget(QLabel(" iterations "))
        self.addToolBar(toolbar)

        menu = self.menuBar().addMenu("&Training")
        for name in TRAINING_ACTIONS:
            menu.addAction(self._actions[name])
        menu.addSeparator()
        menu.addAction(self._actions["quit"])
        presets = self.menuBar().addMenu("&Presets")
        for name, config in PRESETS.items():
            action = presets.addAction(PRESET_TITLES.get(name, name))
            action.setObjectName(f"preset_{name}")
            action.setToolTip(f"Load the '{name}' configuration and restart at iteration 0")
            action.triggered.connect(lambda *_, preset=config, title=name:
                                     self._on_preset_chosen(preset, title))
        presets.setToolTipsVisible(True)

    def _connect_controls(self):
        actions = self._actions
        actions["play_pause"].triggered.connect(self._on_play_pause_triggered)
        actions["step"].triggered.connect(self._on_step_triggered)
        actions["step_100"].triggered.connect(self._on_step_100_triggered)
        actions["reset"].triggered.connect(self._on_reset_triggered)
        actions["reseed"].triggered.connect(self._on_reseed_triggered)
        actions["quit"].triggered.connect(self.close)
        self.speed.speed_changed.connect(self._on_speed_changed)
        self.heatmap_every.valueChanged.connect(self._on_heatmap_every_changed)
        self.seed_box.editingFinished.connect(self._on_seed_edited)
        self.config_panel.config_edited.connect(self._on_config_edited)
        self.config_panel.input_rejected.connect(self._on_input_rejected)

    # Public API -----------------------------------------------------------------------
    def latest_snapshot(self):
        """The engine snapshot last drawn."""
        return self._drawn.snapshot

    @property
    def config(self) -> TrainingConfig:
        return self._config

    # Worker → window ------------------------------------------------------------------
    def _on_frame_ready(self, frame):
        self._pending = frame

    @guarded
    def _on_worker_failed(self, message: str):
        self._set_playing(False)
        self.statusBar().showMessage(message, 15_000)

    @guarded
    def _redraw(self, *_):
        frame = self._pending
        if frame is self._drawn:
            return
        self._drawn = frame
        snapshot = frame.snapshot
        # A finished run stops Play, but only once the worker has seen that Play: older
        # frames (e.g. the end of the previous run, before a Reset) do not count.
        if (self._playing and frame.command >= self._play_command
                and snapshot.status != "running"):
            self._set_playing(False)
            self.statusBar().showMessage(finish_message(snapshot))
        for panel in (self.error_panel, self.gradient_panel, self.parameter_panel):
            panel.show_snapshot(snapshot)
        self.decision_panel.show_frame(frame)
        self.statusBar().show_frame(frame, self._playing)
        if not self.seed_box.hasFocus():  # never overwrite a seed being typed
            self.seed_box.setText(str(snapshot.config.seed))

    def _set_playing(self, playing: bool):
        self._playing = playing
        show_playing(self._actions["play_pause"], playing)

    # Controls → worker ----------------------------------------------------------------
    @guarded
    def _on_play_pause_triggered(self, *_):
        if self._playing:
            self._set_playing(False)
            self.worker.pause()
        else:
            self._set_playing(True)
            self.statusBar().clearMessage()
            self._play_command = self.worker.play()

    @guarded
    def _on_step_triggered(self, *_):
        self._set_playing(False)
        self.worker.step(1)

    @guarded
    def _on_step_100_triggered(self, *_):
        self._set_playing(False)
        self.worker.step(100)

    @guarded
    def _on_reset_triggered(self, *_):
        self._set_playing(False)
        self.worker.reset()
        self.statusBar().showMessage(
            f"Reset to iteration 0 with seed {self._config.seed}", 5000)

    @guarded
    def _on_reseed_triggered(self, *_):
        seed = random.randrange(1_000_000)
        self._apply_config(self._config.replace(seed=seed))
        self.seed_box.setText(str(seed))

    @guarded
    def _on_seed_edited(self, *_):
        text = self.seed_box.text()
        try:
            seed = parse_number("seed", text, int)
            config = self._config.replace(seed=seed)
        except ConfigError as error:
            self.seed_box.setText(str(self._config.seed))
            self._on_input_rejected(f"Seed: {error.reason}. Kept the previous seed.")
            return
        if config != self._config:
            self._apply_config(config)

    @guarded
    def _on_config_edited(self, config: TrainingConfig):
        self._apply_config(config)

    @guarded
    def _on_input_rejected(self, message: str):
        self.statusBar().showMessage(message, 15_000)

    @guarded
    def _on_preset_chosen(self, config: TrainingConfig, name: str):
        self._set_playing(False)
        self._config = config
        self.config_panel.show_config(config)
        self.worker.set_config(config)
        self.worker.reset()
        self.statusBar().showMessage(
            f"Loaded preset '{PRESET_TITLES.get(name, name)}': paused at iteration 0", 8000)

    @guarded
    def _on_speed_changed(self, updates_per_second):
        self.worker.set_speed(updates_per_second)

    @guarded
    def _on_heatmap_every_changed(self, iterations: int):
        self.worker.set_grid_every(iterations)

    def _apply_config(self, config: TrainingConfig):
        """Send ``config`` to the worker; say so when the network has to start over."""
        previous, self._config = self._config, config
        self.config_panel.show_config(config)
        self.worker.set_config(config)
        if previous.needs_restart(config):
            self._set_playing(False)
            changed = [FIELDS.get(f, ("seed",))[0].rstrip(" †").lower()
                       for f in RESTART_FIELDS if getattr(previous, f) != getattr(config, f)]
            self.statusBar().showMessage(
                f"Changed {', '.join(changed)}: the network restarted at iteration 0 "
                "(paused)", 8000)
        else:
            self.statusBar().showMessage("Configuration applied without a reset", 4000)

    # Shutdown -------------------------------------------------------------------------
    def closeEvent(self, event):
        """Stop the worker and wait for its thread: never leave it running at exit."""
        self._timer.stop()
        self.worker.stop()
        self._thread.quit()
        self._thread.wait()
        super().closeEvent(event)
