"""Status bar: state, iteration, error, updates per second and seed, in permanent fields."""

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from engine.trainer import Status

STATE_TEXT = {
    Status.CONVERGED: "converged",
    Status.DIVERGED: "diverged",
    Status.MAX_ITERATIONS: "max iterations",
}


def state_of(frame) -> str:
    """ready / running / paused / converged / diverged / max iterations, or history (a
    recorded moment is shown: the history scrubber's)."""
    snapshot, timeline = frame.snapshot, frame.timeline
    if timeline is not None and not timeline.live:
        return "history"
    if snapshot.status in STATE_TEXT:
        return STATE_TEXT[snapshot.status]
    if frame.running:
        return "running"
    return "ready" if snapshot.iteration == 0 else "paused"


def below(value: float, bound: float) -> str:
    """``value`` in scientific notation with enough digits to show that it is < ``bound``."""
    digits = 2
    while digits < 8 and float(f"{value:.{digits}e}") >= bound:
        digits += 1
    return f"{value:.{digits}e}"


def error_text(snapshot) -> str:
    """The mean error, with the digits that show it is below the target once it is."""
    target = snapshot.config.target_error
    return below(snapshot.error, target) if snapshot.error < target else f"{snapshot.error:.3e}"


def finish_message(snapshot) -> str:
    """The sentence shown when a run stops by itself."""
    config, count = snapshot.config, f"{snapshot.iteration:,}"
    if snapshot.status is Status.CONVERGED:
        return (f"Converged after {count} iterations "
                f"(error {below(snapshot.error, config.target_error)} < {config.target_error:.0e})")
    if snapshot.status is Status.DIVERGED:
        return (f"Diverged at iteration {count}: the next update would overflow. "
                "Lower the learning rate and reset.")
    return (f"Stopped at the maximum of {count} iterations (error {snapshot.error:.2e}, "
            f"target {config.target_error:.0e})")


#: The fields, in the order they give way when the window is too narrow for them all (the
#: last first), each with the widest text it shows, so that it does not jump as it changes.
FIELDS = (
    ("state", "max iterations", "What training is doing"),
    ("iteration", "iteration 88,888,888", "Gradient-descent updates done so far"),
    ("error", "error 8.888e-88", "Mean error over the four training samples"),
    ("speed", "888,888 upd/s", "Updates per second"),
    ("seed", "seed 8888888888", "Random seed of the starting weights"),
)
#: The share of the bar kept for messages (what Play, a save or an error says).
MESSAGE_SHARE = 0.38


class TrainingStatusBar(QStatusBar):
    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.fields = {}
        for name, _, tip in FIELDS:
            label = QLabel()
            label.setObjectName(f"status_{name}")
            label.setToolTip(tip)
            self.addPermanentWidget(label)
            self.fields[name] = label
        self._message, self._message_until = "", None
        self.apply_theme(theme)

    def showMessage(self, text: str, timeout: int = 0):  # noqa: N802 - Qt's name
        """Show ``text`` cut to the room beside the fields with "…" (Qt would cut it off
        mid-word); currentMessage() still gives all of it."""
        self._message = text
        self._message_until = time.monotonic() + timeout / 1000 if timeout else None
        super().showMessage(self._elided(text), timeout)

    def currentMessage(self) -> str:  # noqa: N802 - Qt's name
        return self._message if super().currentMessage() else ""

    def _elided(self, text: str) -> str:
        fields = [label.geometry().left() for label in self.fields.values() if label.isVisible()]
        room = (min(fields) if fields else self.width()) - 16
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(0, room))

    def apply_theme(self, theme):
        self.setFont(theme.font(theme.ui_point_size))
        metrics = self.fontMetrics()
        for name, widest, _ in FIELDS:
            self.fields[name].setMinimumWidth(metrics.horizontalAdvance(widest) + 12)
        self._fit_fields()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_fields()
        # Once the fields have moved (the bar lays them out after this event).
        QTimer.singleShot(0, self, self._cut_again)

    def _cut_again(self):
        """The message cut to its new room, for the time it has left."""
        if super().currentMessage():
            left = self._message_until and max(1, round(
                (self._message_until - time.monotonic()) * 1000))
            super().showMessage(self._elided(self._message), left or 0)

    def _fit_fields(self):
        """Show the fields that fit beside a message, in FIELDS order: at 1024 px and a
        large zoom the last ones (seed, speed) give way; the message keeps its room."""
        room = self.width() * (1 - MESSAGE_SHARE)
        for name, _, _ in FIELDS:
            label = self.fields[name]
            room -= label.minimumWidth()
            label.setVisible(room >= 0 or name == "state")

    def show_frame(self, frame):
        snapshot = frame.snapshot
        self.fields["state"].setText(state_of(frame))
        self.fields["iteration"].setText(f"iteration {snapshot.iteration:,}")
        self.fields["error"].setText(f"error {error_text(snapshot)}")
        self.fields["speed"].setText(f"{frame.updates_per_second:,.0f} upd/s")
        self.fields["seed"].setText(f"seed {snapshot.config.seed}")
