"""HistoryScrubber: a timeline over the recorded history, as a video player has one.

Dragging it pauses the run and draws every view at the recorded moment under it (the
curves keep the whole run and mark that moment); "Continue from here" branches a new run
from it; "Live", Play or Step go back to the live state, nothing lost.
"""

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget


class HistoryScrubber(QWidget):
    #: The user moved to the recorded iteration, or None: the live state.
    scrubbed = Signal(object)
    branch_requested = Signal()

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("history_row")
        self._timeline = None  # of the frame shown
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("history_scrubber")
        self.slider.setToolTip(
            "Drag through the recorded history: every panel shows the network as it was at\n"
            "that iteration (training pauses). Play, Step or Live return to the live state.")
        # Arrow keys stay the Step shortcut; the slider is for the mouse.
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.position = QLabel()
        self.position.setObjectName("history_position")
        self.live = QPushButton("Live")
        self.live.setObjectName("history_live")
        self.live.setToolTip("Back to the live state of the run (as Play or Step do)")
        self.branch = QPushButton("Continue from here")
        self.branch.setObjectName("branch")
        self.branch.setToolTip(
            "Start a new run from the parameters of the iteration shown; the later\n"
            "iterations of this run are dropped")
        self.name = QLabel("History")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.name)
        layout.addWidget(self.slider, stretch=1)
        layout.addWidget(self.position)
        layout.addWidget(self.live)
        layout.addWidget(self.branch)
        self.slider.valueChanged.connect(self._on_value_changed)
        self.live.clicked.connect(lambda: self.scrubbed.emit(None))
        self.branch.clicked.connect(self.branch_requested)
        self.apply_theme(theme)

    def apply_theme(self, theme):
        metrics = QFontMetrics(theme.font(theme.ui_point_size))
        self.position.setMinimumWidth(metrics.horizontalAdvance("iteration 88,888,888 (live)"))

    def resizeEvent(self, event):  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit(event.size().width())

    def _fit(self, width: int):
        """Narrow (1024 px at 200 %), the row drops its name and shortens the button (their
        tooltips still say it all), so that the slider keeps a third of the row."""
        metrics = self.fontMetrics()
        others = sum(widget.sizeHint().width() for widget in (self.position, self.live))
        full = metrics.horizontalAdvance("History  Continue from here") + 4 * metrics.height()
        compact = others + full > width * 2 / 3
        self.name.setVisible(not compact)
        self.branch.setText("Continue" if compact else "Continue from here")

    def show_frame(self, frame):
        timeline = self._timeline = frame.timeline
        if timeline is None:
            return
        if not self.slider.isSliderDown():  # the user's drag wins over the run's growth
            with QSignalBlocker(self.slider):
                self.slider.setRange(0, timeline.rows - 1)
                self.slider.setValue(timeline.shown)
        where = "live" if timeline.live else "recorded"
        text = f"iteration {timeline.iteration:,} ({where})"
        if self.position.text() != text:
            self.position.setText(text)
        self.live.setEnabled(not timeline.live)
        self.branch.setEnabled(not timeline.live)

    def _on_value_changed(self, row: int):
        if row == self.slider.maximum() or self._timeline is None:
            self.scrubbed.emit(None)
        else:
            self.scrubbed.emit(self._timeline.iteration_of(row))
