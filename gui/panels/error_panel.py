"""Error panel: mean error on a log axis, smoothed over a faint raw curve, target dashed."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSlider

from engine.view_settings import MAX_SMOOTHING
from gui import theme as themes
from gui.legend import Entry
from gui.panels.common import PanelWidget, RunRange, log_plot, show_dots


class ErrorPanel(PanelWidget):
    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(log_plot("error_plot"), "Error", parent)
        self._range = RunRange(self.plot)
        self.raw_curve = self.plot.plot()
        self.smooth_curve = self.plot.plot()
        self.target_line = self.plot.plot()

        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setObjectName("smoothing")
        self.smoothing.setRange(0, round(MAX_SMOOTHING * 100))
        self.smoothing.setToolTip(
            "Exponential moving average of the error curve (0 = raw, 0.99 = very smooth),\n"
            "bias-corrected like TensorBoard's; the raw curve stays visible, faint.")
        self._smoothing_label = QLabel()
        self._smoothing_label.setMinimumWidth(40)
        self.controls.addWidget(QLabel("Smoothing"))
        self.controls.addWidget(self.smoothing, stretch=1)
        self.controls.addWidget(self._smoothing_label)
        self.smoothing.valueChanged.connect(self._on_smoothing_moved)
        self.apply_theme(theme)

    @property
    def smoothing_weight(self) -> float:
        return self.smoothing.value() / 100

    def show_smoothing(self, weight: float):
        """Put the slider at ``weight`` without emitting anything."""
        self.smoothing.blockSignals(True)
        self.smoothing.setValue(round(weight * 100))
        self.smoothing.blockSignals(False)
        self._on_smoothing_moved()

    def _on_smoothing_moved(self, *_):
        self._smoothing_label.setText(f"{self.smoothing_weight:.2f}")

    def apply_theme(self, theme: themes.Theme):
        themes.style_plot(self.plot, theme, "mean error")
        self.figure.apply_theme(theme)
        dashed = Qt.PenStyle.DashLine
        self.raw_curve.setPen(themes.pen(theme.error_colour, width=theme.series_pen_width,
                                         alpha=90))
        self.smooth_curve.setPen(themes.pen(theme.error_colour, width=theme.pen_width))
        self.target_line.setPen(themes.pen(theme.target_colour, width=theme.pen_width,
                                           style=dashed))
        # The raw curve is the smoothed one's faint shadow: no entry of its own.
        self.legend.show_entries((Entry("error", theme.error_colour, theme.pen_width),
                                  Entry("target", theme.target_colour, theme.pen_width, dashed)))

    def show_frame(self, frame):
        error = frame.error
        self.raw_curve.setData(error.x, error.raw, skipFiniteCheck=True)
        self.smooth_curve.setData(error.x, error.smooth, skipFiniteCheck=True)
        target = np.array([error.target, error.target])
        self._range.follow(float(error.x[-1]), [error.raw, error.smooth, target], frame.running)
        self.target_line.setData([0.0, self._range.shown[0]], target)  # across the whole axis
        show_dots((self.smooth_curve,), single=len(error.x) == 1)
