"""The window's size, toolbar and splitters: restored from the settings, saved at close, and
put back to their defaults by Help ▸ Restore defaults."""

from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter

from gui import settings

#: Each splitter's default shares, by object name, in the proportions of its stretch
#: factors, so that resizing the window keeps them.
DEFAULT_SHARES = {"main_splitter": (3, 2), "plots_splitter": (1, 1, 1)}


class WindowLayout:
    """What of a window's layout is remembered; it knows the default toolbar placement
    (taken before anything is restored)."""

    def __init__(self, window: QMainWindow):
        self._window = window
        self._default_state = window.saveState()
        self._splitters = {name: window.findChild(QSplitter, name) for name in DEFAULT_SHARES}

    def restore(self):
        """The stored geometry, toolbar placement and splitter sizes, each one that is
        stored and valid; the defaults for the rest. Call it before the window is shown."""
        geometry = settings.remembered_bytes("geometry")
        if geometry is None or not self._window.restoreGeometry(geometry):
            self._default_geometry()
        state = settings.remembered_bytes("state")
        if state is not None:
            self._window.restoreState(state)
        for name, splitter in self._splitters.items():
            sizes = settings.remembered_sizes(name, splitter.count())
            if sizes is None:
                _default_sizes(splitter, DEFAULT_SHARES[name])
            else:
                splitter.setSizes(sizes)

    def save(self, config, view):
        """Store the layout with the run's ``config`` and ``view``, for the next window."""
        settings.remember_window(
            config, view, self._window.saveGeometry(), self._window.saveState(),
            {name: splitter.sizes() for name, splitter in self._splitters.items()})

    def reset(self):
        """The first window's size and placement, the toolbar where it started, the
        splitters at their default shares."""
        self._window.showNormal()  # not maximised or full screen any more
        self._default_geometry()
        self._window.restoreState(self._default_state)
        for name, splitter in self._splitters.items():
            _default_sizes(splitter, DEFAULT_SHARES[name])

    def _default_geometry(self):
        self._window.setGeometry(
            settings.first_geometry(self._window.screen().availableGeometry()))


def _default_sizes(splitter: QSplitter, shares: tuple[int, ...]):
    # Before the window is laid out the splitter's own size means nothing: Qt only keeps
    # the proportions of what is set here when it distributes the space.
    total = max(sum(splitter.sizes()), 1000)
    splitter.setSizes([total * share // sum(shares) for share in shares])


def confirm_restore_defaults(window: QMainWindow) -> bool:
    """Ask before forgetting every setting."""
    answer = QMessageBox.question(
        window, "Restore defaults",
        "Forget every setting XOR Lab remembers (window size and layout, speed, smoothing, "
        "heatmap interval, gradient view, last configuration and recent files) and return "
        "to the tutorial's network?")
    return answer == QMessageBox.StandardButton.Yes
