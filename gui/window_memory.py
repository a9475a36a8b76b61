"""What a window remembers between launches: its size, toolbar and splitters, restored from
the settings and stored at close with the run's configuration and view; and Help ▸ Restore
defaults, which puts all of it back and forgets it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter

from engine.view_settings import ViewSettings
from gui import settings
from gui.theme import LIGHT

#: Each splitter's default shares, by object name, in the proportions of its stretch
#: factors, so that resizing the window keeps them.
DEFAULT_SHARES = {"main_splitter": (3, 2), "plots_splitter": (1, 1, 1),
                  "side_splitter": (2, 1)}


class WindowMemory:
    """The remembered parts of ``window`` (a MainWindow). Only a window that ``remember``s
    reads or writes the settings; any can be put back to the defaults."""

    def __init__(self, window: QMainWindow, remember: bool):
        self._window = window
        #: Whether the window reads and writes the settings (its sweeps' scheduler as well).
        self.remembers = remember
        self._default_state = window.saveState()  # the toolbar where it was built
        self._splitters = {name: window.findChild(QSplitter, name) for name in DEFAULT_SHARES}
        self._shares_pending = False

    def restore(self):
        """The stored geometry, toolbar placement and splitter sizes, each one that is
        stored and valid; the defaults for the rest. Call it before the window is shown."""
        if not self.remembers:
            return
        geometry = settings.remembered_bytes("geometry")
        if geometry is None or not self._window.restoreGeometry(geometry):
            self._default_geometry()
        state = settings.remembered_bytes("state")
        if state is not None:
            self._window.restoreState(state)
            self._window.fit_toolbars()
        for name, splitter in self._splitters.items():
            sizes = settings.remembered_sizes(name, splitter.count())
            if sizes is None:
                self._shares_pending = True  # shares of the size it is shown at: see shown()
            else:
                splitter.setSizes(sizes)

    def shown(self):
        """The window is shown (call from its showEvent): the default splitter shares, if
        restore left them, of the splitters' lengths now. A hidden window's layout is not
        run: its splitters were 640 px wide, where 3:2 squeezed the side column below its
        least width and came out other than 3:2 once shown."""
        if self._shares_pending:
            self._shares_pending = False
            self._window.layout().activate()
            for name, splitter in self._splitters.items():
                if settings.remembered_sizes(name, splitter.count()) is None:
                    _default_sizes(splitter, DEFAULT_SHARES[name])

    def save(self):
        """Store the layout and the run's configuration and view, for the next window."""
        if not self.remembers:
            return
        window, controller = self._window, self._window.controller
        settings.remember_window(
            controller.config, controller.view, window.theme, window.saveGeometry(),
            window.saveState(),
            {name: splitter.sizes() for name, splitter in self._splitters.items()})

    def restore_defaults(self):
        """The tutorial's network at iteration 0, the default view, the first window's size
        and layout; then nothing stored (the window's own changes just now included)."""
        controller, view = self._window.controller, ViewSettings()
        controller.load_preset("tutorial")
        controller.set_speed(view.speed)
        controller.set_grid_every(view.grid_every)
        controller.set_smoothing(view.smoothing)
        controller.set_show_deltas(view.show_deltas)
        self._window.presentation.set_active(False)
        self._window.side_panel.show()
        self._window.apply_theme(LIGHT)
        self._window.showNormal()  # not maximised or full screen any more
        self._window.restoreState(self._default_state)
        # Sized from the least size the default layout needs, not the zoomed one's.
        self._window.layout().activate()
        self._default_geometry()
        self._window.fit_toolbars()
        self._window.layout().activate()  # the splitters at the size they now have
        for name, splitter in self._splitters.items():
            _default_sizes(splitter, DEFAULT_SHARES[name])
        if self.remembers:
            settings.forget_all()

    def _default_geometry(self):
        window = self._window
        window.setGeometry(settings.first_geometry(window.screen().availableGeometry(),
                                                   window.minimumSizeHint()))


def _default_sizes(splitter: QSplitter, shares: tuple[int, ...]):
    # Of the splitter's whole length: Qt takes the handles' width from the panes.
    horizontal = splitter.orientation() == Qt.Orientation.Horizontal
    length = splitter.width() if horizontal else splitter.height()
    splitter.setSizes([length * share // sum(shares) for share in shares])


def confirm_restore_defaults(window: QMainWindow) -> bool:
    """Ask before forgetting every setting."""
    answer = QMessageBox.question(
        window, "Restore defaults",
        "Forget every setting XOR Lab remembers (window size and layout, speed, smoothing, "
        "heatmap interval, gradient view, last configuration and recent files) and return "
        "to the tutorial's network?")
    return answer == QMessageBox.StandardButton.Yes
