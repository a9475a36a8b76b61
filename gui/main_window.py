"""MainWindow: lays out the views and controls and binds them to the TrainingController.

It holds no training state: the controller does. Frames are only stored when they arrive;
a timer redraws the latest one through every view, so the event loop stays responsive
whatever the training speed.
"""

from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QWidget,
)

from engine.config import PRESETS, TrainingConfig
from engine.session_file import SavedSession
from engine.view_settings import ViewSettings
from gui import settings
from gui import theme as themes
from gui.about import app_icon, build_help_menu
from gui.actions import create_actions, show_playing, tint_icons
from gui.autosave import Autosave
from gui.backprop_inspector import BackpropInspector
from gui.banner import RATE_DIVISOR, RunBanner, above
from gui.config_panel import ConfigPanel, SidePanel
from gui.controller import LONG, TrainingController
from gui.controls import SeedBox, SpeedControl, heatmap_interval
from gui.errors import guarded
from gui.figures import FigureError
from gui.file_commands import OPENABLE, FileCommands
from gui.file_menu import add_panel_menu, build_file_menu
from gui.gradient_check_dialog import open_gradient_check
from gui.history_scrubber import HistoryScrubber
from gui.network_view import NetworkView
from gui.panels.decision_panel import DecisionPanel
from gui.panels.error_panel import ErrorPanel
from gui.panels.gradient_panel import GradientPanel
from gui.panels.hidden_space_panel import HiddenSpacePanel
from gui.panels.parameter_panel import ParameterPanel
from gui.presentation import Presentation, Readout
from gui.redraw import Redrawer
from gui.shortcut_sheet import command_actions
from gui.status import TrainingStatusBar
from gui.sweep_window import SweepWindow, open_sweep_window
from gui.toolbars import build_toolbars, wrap_toolbars
from gui.training_menus import build_tools_menu, build_training_menus
from gui.truth_table import TruthTable
from gui.view_menu import build_view_menu
from gui.window_layout import central_widget, larger_than_screen, side_tabs, sideways
from gui.window_memory import WindowMemory, confirm_restore_defaults

#: The training commands, in toolbar and menu order.
TRAINING_ACTIONS = ("play_pause", "step", "step_100", "reset", "reseed")


class MainWindow(QMainWindow):
    def __init__(self, config: TrainingConfig | None = None, view: ViewSettings | None = None,
                 theme: themes.Theme = themes.LIGHT, parent=None,
                 saved: SavedSession | None = None, train: bool = True,
                 remember: bool = False):
        """The window on a new run of ``config`` (the tutorial's by default) or on the
        ``saved`` session; without ``train`` (to render it) the worker is not started.
        With ``remember`` it takes its layout from the settings and stores it, with the
        run's configuration and view, when it closes (see ``remembered``). Its ``autosave``
        does nothing until started (gui.app starts the window a person opens)."""
        super().__init__(parent)
        themes.configure_pyqtgraph(theme)
        self.theme = theme
        self.controller = TrainingController(config or PRESETS["tutorial"],
                                             view or ViewSettings(), self, saved=saved)
        self.setWindowTitle("XOR Lab")
        self.setWindowIcon(app_icon())
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self.files = FileCommands(self)
        self.autosave = Autosave(self)

        self._actions = create_actions(self)
        self.speed = SpeedControl()
        self.seed_box = SeedBox()
        self.heatmap_every = heatmap_interval()
        self.config_panel = ConfigPanel(self.controller.config)
        self.error_panel = ErrorPanel(theme)
        self.gradient_panel = GradientPanel(theme)
        self.parameter_panel = ParameterPanel(theme)
        self.decision_panel = DecisionPanel(theme)
        self.truth_table = TruthTable(theme)
        self.hidden_space_panel = HiddenSpacePanel(theme)
        self.network_view = NetworkView(theme)
        self.inspector = BackpropInspector(theme)
        #: The panels by the names figures give them (gui.file_menu.FIGURES).
        self.panels = {"error": self.error_panel, "gradients": self.gradient_panel,
                       "parameters": self.parameter_panel, "decision": self.decision_panel}
        self.readout = Readout(theme)
        self.scrubber = HistoryScrubber(theme)
        self.banner = RunBanner(theme)
        self.setStatusBar(TrainingStatusBar(theme))
        #: Everything that draws frames, redrawn in this order.
        self.views = (self.error_panel, self.gradient_panel, self.parameter_panel,
                      self.decision_panel, self.truth_table, self.network_view,
                      self.hidden_space_panel, self.inspector, self.readout, self.scrubber,
                      self.statusBar())
        self._build_layout()
        self._build_toolbar_and_menus()
        _, seed, _, heatmap = self.toolbars
        self.presentation = Presentation(
            self, [self.menuBar(), self.side_panel, seed, heatmap, self.error_panel.controls_row,
                   self.gradient_panel.controls_row, self.truth_table], self.readout,
            moved=self.parameter_panel, stack=self.findChild(QSplitter, "plots_splitter"),
            column=self.findChild(QSplitter, "side_splitter"),
            columns=self.findChild(QSplitter, "main_splitter"))
        self._bind()
        self._style_window(theme)
        self.memory = WindowMemory(self, remember)
        self.memory.restore()
        for name, panel in self.panels.items():
            add_panel_menu(panel.plot, name, self.files)
        self._on_config_changed(self.controller.config)
        self._on_view_changed(self.controller.view)
        self._redrawer = Redrawer(self.views, lambda: self.controller.latest_frame, self)
        self._redrawer.failed.connect(
            lambda error: self.statusBar().showMessage(f"Error: {error}", LONG))
        self.controller.frame_received.connect(self._redrawer.wake)
        self._redrawer.draw_all()
        self._redrawer.start()
        if train:
            self.controller.start()

    @classmethod
    def remembered(cls, preset: str | None = None, file=None) -> "MainWindow":
        """The window ``gui.app`` opens: the last configuration (unless a ``preset`` or a
        ``file`` is asked for), view and layout; only this window writes the settings, so
        that rendering or testing a window never changes what a person sees next."""
        config = settings.startup_config(preset, opening_file=file is not None)
        return cls(config, settings.remembered_view(), settings.remembered_theme(),
                   remember=True)

    # Layout ---------------------------------------------------------------------------
    def _build_layout(self):
        self.side_panel = side_tabs({"Configuration": SidePanel(self.config_panel),
                                     "Network": self.network_view,
                                     "Hidden space": self.hidden_space_panel,
                                     "Backprop": sideways(self.inspector)})
        self.setCentralWidget(above(self.banner, central_widget(
            (self.error_panel, self.gradient_panel, self.parameter_panel),
            self.readout, (self.decision_panel, self.truth_table), self.side_panel,
            self.scrubber)))

    def _build_toolbar_and_menus(self):
        self.toolbars = build_toolbars(self, [self._actions[name] for name in TRAINING_ACTIONS],
                                       self.seed_box, self.speed, self.heatmap_every)
        self._icon_size = self.toolbars[0].iconSize()

        build_file_menu(self.menuBar(), self.files, self._actions["quit"])
        build_training_menus(self.menuBar(), [self._actions[name] for name in TRAINING_ACTIONS],
                             partial(open_gradient_check, self), self._on_preset_chosen)
        self._view_actions = build_view_menu(self.menuBar(), self)
        build_tools_menu(self.menuBar(), partial(open_sweep_window, self))
        build_help_menu(self.menuBar(), self, self._on_restore_defaults_triggered)
        # Also the window's own, so that their keys work while presentation mode hides
        # the menu bar (a hidden menu's shortcuts are not).
        self.addActions(command_actions(self))

    def _bind(self):
        """Widgets → controller commands; controller events → widgets."""
        controller, actions, status = self.controller, self._actions, self.statusBar()
        actions["play_pause"].triggered.connect(self._on_play_pause_triggered)
        actions["step"].triggered.connect(self._on_step_triggered)
        actions["step_100"].triggered.connect(self._on_step_100_triggered)
        actions["reset"].triggered.connect(self._on_reset_triggered)
        actions["reseed"].triggered.connect(self._on_reseed_triggered)
        actions["quit"].triggered.connect(self.close)
        self.speed.speed_changed.connect(self._on_speed_changed)
        self.heatmap_every.valueChanged.connect(self._on_heatmap_every_changed)
        self.error_panel.smoothing.valueChanged.connect(self._on_smoothing_changed)
        self.gradient_panel.show_deltas.toggled.connect(self._on_show_deltas_toggled)
        self.seed_box.seed_entered.connect(self._on_seed_entered)
        self.scrubber.scrubbed.connect(controller.scrub)
        self.scrubber.branch_requested.connect(controller.branch)
        for level in ("forward", "backward", "apply"):
            getattr(self.inspector, f"{level}_requested").connect(
                partial(controller.inspect, level))
        self.inspector.iteration_requested.connect(self._on_step_triggered)
        self.config_panel.config_edited.connect(self._on_config_edited)
        self.banner.reset_requested.connect(self._on_reset_triggered)
        self.banner.lower_rate_requested.connect(self._on_lower_rate_requested)
        for source in (self.seed_box, self.config_panel):
            source.input_rejected.connect(lambda text: status.showMessage(text, LONG))

        controller.config_changed.connect(self._on_config_changed)
        controller.view_changed.connect(self._on_view_changed)
        controller.playing_changed.connect(
            lambda playing: show_playing(actions["play_pause"], playing))
        controller.message_posted.connect(status.showMessage)
        # Every frame, not the redrawer's: a hidden banner is out of sight, which it skips.
        controller.frame_received.connect(self.banner.show_frame)
        self.banner.show_frame(controller.latest_frame)

    # Public API -----------------------------------------------------------------------
    def drawn_frame(self):
        """The frame every view shows."""
        return self._redrawer.drawn

    @property
    def redraw_failed(self):
        """A signal: a view raised while drawing a frame (the exception)."""
        return self._redrawer.failed

    def latest_snapshot(self):
        """The engine snapshot of the frame every view shows."""
        return self._redrawer.drawn.snapshot

    def figure_widget(self, name: str) -> QWidget:
        """What a figure named ``name`` (a key of gui.file_menu.FIGURES) shows."""
        widgets = {"window": self} | {name: panel.figure for name, panel in self.panels.items()}
        if name not in widgets:
            raise FigureError(f"no figure named {name!r} (choose from {', '.join(widgets)})")
        return widgets[name]

    def open_path(self, path) -> bool:
        """Open a session or weights file (as File ▸ Open does)."""
        return self.files.open_path(path)

    @property
    def config(self) -> TrainingConfig:
        return self.controller.config

    def apply_theme(self, theme: themes.Theme):
        """Restyle the window and every view (a theme or a zoom), keeping what they show."""
        themes.configure_pyqtgraph(theme)
        self.theme = theme
        self._style_window(theme)
        for view in (*self.views, self.banner):
            view.apply_theme(theme)
        sweeps = self.findChild(SweepWindow, "sweep_window")
        if sweeps is not None:
            sweeps.apply_theme(theme)
        self._redrawer.draw_all()  # the latest frame again, with the new items

    def set_theme(self, name: str):
        """The theme called ``name`` (a key of gui.theme.THEMES), at the current zoom."""
        self.apply_theme(themes.THEMES[name].zoomed(self.theme.zoom))

    def set_zoom(self, zoom: int):
        """Every font, line and marker at ``zoom`` per cent (within gui.theme.ZOOMS)."""
        zoom = min(max(zoom, themes.ZOOMS[0]), themes.ZOOMS[-1])
        if zoom != self.theme.zoom:
            self.apply_theme(self.theme.zoomed(zoom))
        advice = "" if self.presentation.active else larger_than_screen(self)
        self.statusBar().showMessage(f"Zoom {zoom} %{advice}", LONG)

    def zoom_in(self):
        self.set_zoom(next((z for z in themes.ZOOMS if z > self.theme.zoom), themes.ZOOMS[-1]))

    def zoom_out(self):
        self.set_zoom(next((z for z in reversed(themes.ZOOMS) if z < self.theme.zoom),
                           themes.ZOOMS[0]))

    def toggle_presentation(self):
        self.presentation.set_active(not self.presentation.active)
        self.fit_toolbars()
        self._show_view_state()

    def toggle_side_panel(self):
        self.side_panel.setVisible(not self.side_panel.isVisibleTo(self))
        self._show_view_state()

    def _style_window(self, theme: themes.Theme):
        """What the views do not style themselves: the widgets' font and colours, the
        toolbars' icons and rows, the View menu's checks."""
        # The application's too: menus, dialogs and message boxes are windows of their own
        # and would keep the default font and colours. (The window's own now: the
        # application's reaches its widgets only once the event loop runs.)
        for target in (QApplication, self):
            target.setFont(theme.font(theme.ui_point_size))
            target.setPalette(themes.palette(theme))
        tint_icons(self._actions)
        scale = theme.zoom / 100
        for toolbar in self.toolbars:
            toolbar.setIconSize(QSize(round(self._icon_size.width() * scale),
                                      round(self._icon_size.height() * scale)))
        self.fit_toolbars()
        self._show_view_state()

    def fit_toolbars(self):
        """The toolbars in as few rows as fit (after a resize, a zoom, a restored state)."""
        wrap_toolbars(self, self.toolbars)

    def toggle_hidden_units(self):
        self.decision_panel.set_hidden_units_shown(not self.decision_panel.hidden_units_shown)
        self._show_view_state()

    def _show_view_state(self):
        checked = {"presentation": self.presentation.active,
                   "side_panel": self.side_panel.isVisibleTo(self),
                   "hidden_units": self.decision_panel.hidden_units_shown,
                   **{f"theme_{name}": name == self.theme.name for name in themes.THEMES}}
        for name, action in self._view_actions.items():
            action.setChecked(checked[name])

    # Controller → window --------------------------------------------------------------
    def _on_config_changed(self, config: TrainingConfig):
        self.config_panel.show_config(config)
        self.seed_box.show_seed(config.seed)

    def _on_view_changed(self, view: ViewSettings):
        self.speed.show_speed(view.speed)
        self.heatmap_every.blockSignals(True)
        self.heatmap_every.setValue(view.grid_every)
        self.heatmap_every.blockSignals(False)
        self.error_panel.show_smoothing(view.smoothing)
        self.gradient_panel.show_deltas.blockSignals(True)
        self.gradient_panel.show_deltas.setChecked(view.show_deltas)
        self.gradient_panel.show_deltas.blockSignals(False)

    # Widgets → controller -------------------------------------------------------------
    @guarded
    def _on_play_pause_triggered(self, *_):
        self.controller.toggle_play()

    @guarded
    def _on_step_triggered(self, *_):
        self.controller.step(1)

    @guarded
    def _on_step_100_triggered(self, *_):
        self.controller.step(100)

    @guarded
    def _on_reset_triggered(self, *_):
        self.controller.reset()

    @guarded
    def _on_reseed_triggered(self, *_):
        self.controller.reseed()

    @guarded
    def _on_seed_entered(self, seed: int):
        self.controller.set_seed(seed)

    @guarded
    def _on_config_edited(self, config: TrainingConfig):
        self.controller.set_config(config)

    @guarded
    def _on_lower_rate_requested(self, *_):
        """As the config panel would apply a smaller learning rate, then a reset."""
        config = self.controller.config
        lowered = config.replace(learning_rate=config.learning_rate / RATE_DIVISOR)
        self.controller.set_config(lowered)
        self.controller.reset()
        self.statusBar().showMessage(f"Learning rate lowered to {lowered.learning_rate:g}; "
                                     "reset to iteration 0", LONG)

    @guarded
    def _on_preset_chosen(self, name: str):
        self.controller.load_preset(name)

    @guarded
    def _on_speed_changed(self, updates_per_second):
        self.controller.set_speed(updates_per_second)

    @guarded
    def _on_heatmap_every_changed(self, iterations: int):
        self.controller.set_grid_every(iterations)

    @guarded
    def _on_smoothing_changed(self, *_):
        self.controller.set_smoothing(self.error_panel.smoothing_weight)

    @guarded
    def _on_show_deltas_toggled(self, show: bool):
        self.controller.set_show_deltas(show)

    @guarded
    def _on_restore_defaults_triggered(self, *_):
        if not confirm_restore_defaults(self):
            return
        self.memory.restore_defaults()
        self.statusBar().showMessage("Restored the defaults: the tutorial's network, paused at "
                                     "iteration 0, in the first window's layout", LONG)

    # Window events --------------------------------------------------------------------
    def showEvent(self, event):
        super().showEvent(event)
        self.memory.shown()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit_toolbars()

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape and self.presentation.active:
            self.toggle_presentation()
            return
        super().keyPressEvent(event)

    # Dropped files --------------------------------------------------------------------
    def dragEnterEvent(self, event):
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event):
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.files.open_path(path)

    # Shutdown -------------------------------------------------------------------------
    def closeEvent(self, event):
        """Remember the layout and the run, then stop the worker and wait for its thread:
        never leave it running at exit, even if the settings could not be stored. Closed in
        presentation mode, it remembers the layout it came from, not a full screen. A long
        unsaved run is not closed without asking (gui.autosave)."""
        if not self.autosave.may_close():
            event.ignore()
            return
        try:
            self.presentation.set_active(False)
            self.memory.save()
            self.autosave.closing()
        finally:
            self._redrawer.stop()
            self.files.shutdown()
            self.controller.shutdown()
            self.autosave.closed()
            super().closeEvent(event)


def _dropped_file(event) -> str | None:
    """The first local file a drag carries, if it is one File ▸ Open takes."""
    for url in event.mimeData().urls():
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in OPENABLE:
            return url.toLocalFile()
    return None
