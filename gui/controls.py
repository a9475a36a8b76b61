"""Toolbar widgets: the log speed slider, the seed box and the heatmap refresh interval."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSlider, QSpinBox, QWidget

#: Slider positions 0…SPEED_TOP−1 give 10^(position/10) updates per second (1 to ~800k);
#: the top position means unlimited.
SPEED_TOP = 60
DEFAULT_SPEED_POSITION = 45  # ≈ 31,600 updates/s: the tutorial's run takes ~12 s to watch


def speed_of(position: int) -> float | None:
    """Updates per second for a slider position, None for unlimited."""
    return None if position >= SPEED_TOP else 10 ** (position / 10)


def speed_text(rate: float | None) -> str:
    if rate is None:
        return "unlimited"
    if rate >= 1000:
        return f"{rate / 1000:,.0f}k/s" if rate >= 10_000 else f"{rate / 1000:.1f}k/s"
    return f"{rate:.0f}/s" if rate >= 10 else f"{rate:.1f}/s"


class SpeedControl(QWidget):
    """A log slider from slow motion (1 update/s) to unlimited."""

    speed_changed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("speed")
        self.slider.setRange(0, SPEED_TOP)
        self.slider.setPageStep(10)
        self.slider.setValue(DEFAULT_SPEED_POSITION)
        self.slider.setMinimumWidth(160)
        tip = ("Training speed in updates per second, on a log scale:\n"
               "left = slow motion (1 update/s), right end = unlimited.")
        self.slider.setToolTip(tip)
        self._label = QLabel()
        self._label.setMinimumWidth(80)
        self._label.setToolTip(tip)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(QLabel("Speed"))
        layout.addWidget(self.slider)
        layout.addWidget(self._label)
        self.slider.valueChanged.connect(self._on_value_changed)
        self._on_value_changed(self.slider.value())

    @property
    def speed(self) -> float | None:
        return speed_of(self.slider.value())

    def set_unlimited(self):
        self.slider.setValue(SPEED_TOP)

    def _on_value_changed(self, position: int):
        self._label.setText(speed_text(speed_of(position)))
        self.speed_changed.emit(speed_of(position))


def seed_box() -> QLineEdit:
    box = QLineEdit()
    box.setObjectName("seed")
    box.setMaximumWidth(110)
    box.setToolTip("Random seed of the starting weights (0 to 4294967295).\n"
                   "Type a seed and press Enter to restart from it; Reseed draws a new one.")
    return box


def heatmap_interval() -> QSpinBox:
    box = QSpinBox()
    box.setObjectName("heatmap_every")
    box.setRange(1, 1_000_000)
    box.setValue(1000)
    box.setSingleStep(100)
    box.setGroupSeparatorShown(True)
    box.setToolTip("Recompute the decision-region map every N iterations while training\n"
                   "(at most 10 times a second; always refreshed on pause, step and reset).")
    return box
