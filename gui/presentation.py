"""For the lecture hall: presentation mode's large readout and toolbars that wrap.

Presentation mode (F11) puts the window full screen, hides the configuration panel and
the controls a lecture does not need (seed, heatmap interval, the rows under the plots),
and shows the iteration and the error in letters readable from the back row.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget

from gui import theme as themes
from gui.status import below


class Readout(QLabel):
    """The iteration and the error, large; shown in presentation mode."""

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("readout")
        self.setToolTip("Gradient-descent updates so far and the mean error")
        self.setContentsMargins(12, 4, 12, 4)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)  # iteration and error on two lines when the screen is narrow
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        self.setFont(theme.font(theme.readout_point_size, bold=True))

    def show_frame(self, frame):
        snapshot = frame.snapshot
        target = snapshot.config.target_error
        error = below(snapshot.error, target) if snapshot.error < target \
            else f"{snapshot.error:.3e}"
        self.setText(f"iteration {snapshot.iteration:,} \N{EM SPACE} error {error}")


class Presentation:
    """Enters and leaves presentation mode on ``window``: full screen, the readout shown
    and the ``extras`` (the side panel, the controls a lecture does not need) hidden; on
    leaving, the window's state and each extra's visibility as they were."""

    def __init__(self, window: QMainWindow, extras: list[QWidget], readout: Readout):
        self._window, self._extras, self._readout = window, extras, readout
        self._before = None  # (window state, extras shown) while presenting
        readout.hide()

    @property
    def active(self) -> bool:
        return self._before is not None

    def set_active(self, active: bool):
        if active == self.active:
            return
        window = self._window
        if active:
            self._before = (window.windowState(),
                            [extra.isVisibleTo(window) for extra in self._extras])
            for extra in self._extras:
                extra.hide()
            self._readout.show()
            window.showFullScreen()
        else:
            state, shown = self._before
            self._before = None
            self._readout.hide()
            for extra, visible in zip(self._extras, shown):
                extra.setVisible(visible)
            window.setWindowState(state)


def wrap_toolbars(window: QMainWindow, toolbars: list[QToolBar], tool_buttons: QToolBar):
    """Lay ``toolbars`` (all in the top area, in this order) out in as few rows as fit the
    window's width; when ``tool_buttons``' texts do not fit even alone, show its icons
    only (their tooltips name them). No toolbar then hides anything behind a chevron."""
    width = window.width()
    style = tool_buttons.toolButtonStyle()
    tool_buttons.setToolButtonStyle(style.ToolButtonTextBesideIcon)
    if tool_buttons.sizeHint().width() > width:
        tool_buttons.setToolButtonStyle(style.ToolButtonIconOnly)
    used = 0
    for toolbar in toolbars:
        if not toolbar.isVisibleTo(window):
            continue
        needed = toolbar.sizeHint().width()
        window.removeToolBarBreak(toolbar)
        if used and used + needed > width:
            window.insertToolBarBreak(toolbar)
            used = 0
        used += needed
