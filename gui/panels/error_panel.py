"""Error panel: mean error on a log axis, smoothed over a faint raw curve, target dashed."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSlider

from gui import theme
from gui.panels.common import (
    DISPLAY_POINTS,
    PanelWidget,
    display_rows,
    log_plot,
    log_safe,
    show_run,
)
from gui.smoothing import ewma

MAX_SMOOTHING = 0.99


class ErrorPanel(PanelWidget):
    def __init__(self, parent=None):
        super().__init__(log_plot("error_plot", "Error", "mean error"), parent)
        self._snapshot = None
        theme.legend(self.plot)
        self._raw = self.plot.plot(pen=theme.pen(theme.ERROR_COLOUR, width=1, alpha=90))
        self._smooth = self.plot.plot(pen=theme.pen(theme.ERROR_COLOUR), name="error")
        self._target = self.plot.plot(
            pen=theme.pen(theme.TARGET_COLOUR, style=Qt.PenStyle.DashLine), name="target")

        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setObjectName("smoothing")
        self.smoothing.setRange(0, round(MAX_SMOOTHING * 100))
        self.smoothing.setValue(60)
        self.smoothing.setToolTip(
            "Exponential moving average of the error curve (0 = raw, 0.99 = very smooth),\n"
            "bias-corrected like TensorBoard's; the raw curve stays visible, faint.")
        self._smoothing_label = QLabel()
        self._smoothing_label.setMinimumWidth(40)
        self.controls.addWidget(QLabel("Smoothing"))
        self.controls.addWidget(self.smoothing, stretch=1)
        self.controls.addWidget(self._smoothing_label)
        self.smoothing.valueChanged.connect(self._on_smoothing_changed)
        self._on_smoothing_changed(self.smoothing.value())

    @property
    def smoothing_weight(self) -> float:
        return self.smoothing.value() / 100

    def _on_smoothing_changed(self, _value):
        self._smoothing_label.setText(f"{self.smoothing_weight:.2f}")
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def show_snapshot(self, snapshot):
        self._snapshot = snapshot
        history = snapshot.history
        iterations, error = history.iterations, log_safe(history.error)
        smooth = log_safe(ewma(error, self.smoothing_weight))
        rows = display_rows(len(iterations), 2 * DISPLAY_POINTS)
        self._raw.setData(iterations[rows], error[rows], skipFiniteCheck=True)
        self._smooth.setData(iterations[rows], smooth[rows], skipFiniteCheck=True)
        end = max(1, int(iterations[-1]))
        target = log_safe([snapshot.config.target_error] * 2)
        self._target.setData([0, end], target)
        show_run(self.plot, (self._smooth,), iterations)
