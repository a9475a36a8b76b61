"""RunBanner: a strip above the plots that says when a run has gone wrong and how to fix it.

Two states, both decided by the engine (a frame's status and ``exploding`` flag): a run that
diverged (it is paused at its last finite state) and, milder, one whose parameters are
exploding (still training). The status bar says it too, but a one-line message is missed
from the back of a lecture hall and gone once the next one comes; the banner stays until
the run is fixed or it is dismissed, and offers the fix.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine.frame import EXPLODING_PARAMETER
from engine.trainer import Status
from gui.theme import OKABE_ITO

#: What "Lower learning rate" divides α by: a diverging α is usually orders of magnitude too
#: large, and halving it would take many clicks to get anywhere.
RATE_DIVISOR = 10
#: The banner's colour per state: red for a run that stopped, orange for a warning.
COLOURS = {"diverged": OKABE_ITO["vermillion"], "exploding": OKABE_ITO["orange"]}
#: How strongly the colour tints the window's background (of 255): light enough for black
#: (or, in the dark theme, white) text to keep its contrast.
TINT_ALPHA = 48


def banner_kind(frame) -> str | None:
    """"diverged", "exploding" or None: what the banner says about ``frame``."""
    if frame.snapshot.status is Status.DIVERGED:
        return "diverged"
    return "exploding" if frame.exploding else None


def banner_text(frame, kind: str) -> tuple[str, str]:
    """(headline, explanation) of the banner ``kind`` for ``frame``."""
    snapshot = frame.snapshot
    if kind == "diverged":
        return (f"Training diverged at iteration {snapshot.iteration:,}.",
                "The numbers grew too large to represent; the last finite state is shown. "
                "Lower the learning rate and start again.")
    # Rounded to a power of ten: a text that changed with every frame would flicker.
    return (f"Exploding parameters: the largest |θ| is about {_power(frame.largest_parameter)} "
            f"(above {_power(EXPLODING_PARAMETER)}).",
            "A sign of a bug or of too large a learning rate; the run may soon diverge.")


def _power(value: float) -> str:
    """``value`` to one significant digit: 1927.8 → "2e3"."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


class RunBanner(QFrame):
    """Hidden until a frame shows a diverged run or exploding parameters. Dismissed (×), it
    stays hidden until the run is in another state."""

    reset_requested = Signal()
    lower_rate_requested = Signal()

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("run_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = QLabel()
        self.headline.setObjectName("banner_headline")
        self.explanation = QLabel()
        self.explanation.setObjectName("banner_explanation")
        self.explanation.setWordWrap(True)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("banner_reset")
        self.reset_button.setToolTip("Start this network over from iteration 0")
        self.lower_button = QPushButton("Lower learning rate")
        self.lower_button.setObjectName("banner_lower_rate")
        self.lower_button.setToolTip(f"Divide the learning rate by {RATE_DIVISOR}, then start "
                                     "over from iteration 0")
        self.dismiss_button = QPushButton("×")
        self.dismiss_button.setObjectName("banner_dismiss")
        self.dismiss_button.setToolTip("Hide this message")
        self.dismiss_button.setFlat(True)
        self.reset_button.clicked.connect(self.reset_requested)
        self.lower_button.clicked.connect(self.lower_rate_requested)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)

        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.headline)
        texts.addWidget(self.explanation)
        layout = QHBoxLayout(self)
        layout.addLayout(texts, stretch=1)
        for button in (self.reset_button, self.lower_button, self.dismiss_button):
            layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.kind = None
        self._dismissed = None  # the kind dismissed, until the run leaves it
        self._theme = theme
        self.apply_theme(theme)
        self.hide()

    def apply_theme(self, theme):
        self._theme = theme
        self.headline.setFont(theme.font(theme.ui_point_size, bold=True))
        for widget in (self.explanation, self.reset_button, self.lower_button):
            widget.setFont(theme.font(theme.ui_point_size))
        self.dismiss_button.setFont(theme.font(theme.ui_point_size * 1.4, bold=True))
        self._tint()

    def _tint(self):
        colour = QColor(COLOURS.get(self.kind, COLOURS["exploding"]))
        r, g, b = colour.red(), colour.green(), colour.blue()
        # Scoped to the frame itself: a bare rule would restyle its labels and buttons too.
        self.setStyleSheet(
            f"QFrame#run_banner {{ background-color: rgba({r}, {g}, {b}, {TINT_ALPHA}); "
            f"border: 2px solid {colour.name()}; border-radius: 4px; }}")

    def show_frame(self, frame):
        kind = banner_kind(frame)
        if kind != self._dismissed:
            self._dismissed = None
        if kind is not None:
            headline, explanation = banner_text(frame, kind)
            if headline != self.headline.text():
                self.headline.setText(headline)
                self.explanation.setText(explanation)
        if kind != self.kind:
            self.kind = kind
            self._tint()
        self.setVisible(kind is not None and self._dismissed is None)

    def _on_dismiss_clicked(self):
        self._dismissed = self.kind
        self.hide()


def above(banner: QWidget, content: QWidget) -> QWidget:
    """``banner`` over ``content``, which takes all the room the banner leaves."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(content, stretch=1)
    return column
