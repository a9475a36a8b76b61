"""Toolbar widgets: the log speed slider, the seed box and the heatmap refresh interval."""

import math

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSlider, QSpinBox, QWidget

from engine.config import FIELD_SPECS, ConfigError, TrainingConfig, parse_number
from engine.session import GRID_INTERVAL
from engine.view_settings import MAX_GRID_EVERY

#: Slider positions 0…SPEED_TOP−1 give 10^(position/10) updates per second (1 to ~800k);
#: the top position means unlimited.
SPEED_TOP = 60


def speed_of(position: int) -> float | None:
    """Updates per second for a slider position, None for unlimited."""
    return None if position >= SPEED_TOP else 10 ** (position / 10)


def position_of(speed: float | None) -> int:
    """The slider position nearest to ``speed``."""
    if speed is None:
        return SPEED_TOP
    return min(SPEED_TOP - 1, max(0, round(10 * math.log10(speed))))


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
        tip = ("Training speed in updates per second, on a log scale:\n"
               "left = slow motion (1 update/s), right end = unlimited.")
        self.slider.setToolTip(tip)
        self._label = QLabel()
        self._label.setToolTip(tip)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(QLabel("Speed"))
        layout.addWidget(self.slider)
        layout.addWidget(self._label)
        self.slider.valueChanged.connect(self._on_value_changed)
        self._fit_to_font()

    def changeEvent(self, event):
        if event.type() == QEvent.Type.FontChange:  # a zoom: widths in letters, not pixels
            self._fit_to_font()
        super().changeEvent(event)

    def _fit_to_font(self):
        metrics = self.fontMetrics()
        self.slider.setMinimumWidth(metrics.horizontalAdvance("0") * 14)
        # As wide as the widest speed, so that the slider does not move as the text changes.
        self._label.setMinimumWidth(metrics.horizontalAdvance(speed_text(None)) + 4)

    def set_unlimited(self):
        self.slider.setValue(SPEED_TOP)

    def show_speed(self, speed: float | None):
        """Put the slider at ``speed`` without emitting anything."""
        self.slider.blockSignals(True)
        self.slider.setValue(position_of(speed))
        self.slider.blockSignals(False)
        self._label.setText(speed_text(speed))

    def _on_value_changed(self, position: int):
        self._label.setText(speed_text(speed_of(position)))
        self.speed_changed.emit(speed_of(position))


class SeedBox(QLineEdit):
    """The seed of the run; typing one and pressing Enter asks for a restart from it."""

    seed_entered = Signal(int)
    input_rejected = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._seed = None
        self.setObjectName("seed")
        self.setToolTip(f"{FIELD_SPECS['seed'].help}\n"
                        "Type a seed and press Enter to restart from it; Reseed draws a new one.")
        self.editingFinished.connect(self._on_editing_finished)
        self._fit_to_font()

    def changeEvent(self, event):
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()
        super().changeEvent(event)

    def _fit_to_font(self):
        # Room for a ten-digit seed (the largest is 2³² − 1), no more: the toolbar is full.
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 11 + 16)

    def show_seed(self, seed: int):
        self._seed = seed
        self.setText(str(seed))

    def _on_editing_finished(self):
        try:
            seed = parse_number("seed", self.text(), int)
            TrainingConfig(seed=seed)  # the field's own limits
        except ConfigError as error:
            self.setText(str(self._seed))
            self.input_rejected.emit(f"Seed: {error.reason}. Kept the previous seed.")
            return
        if seed != self._seed:
            self.seed_entered.emit(seed)


def heatmap_interval() -> QSpinBox:
    box = QSpinBox()
    box.setObjectName("heatmap_every")
    box.setRange(1, MAX_GRID_EVERY)
    box.setSingleStep(100)
    box.setGroupSeparatorShown(True)
    box.setToolTip("Recompute the decision-region map every N iterations while training\n"
                   f"(at most {1 / GRID_INTERVAL:g} times a second; always refreshed on pause, "
                   "step and reset).")
    return box
