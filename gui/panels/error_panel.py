"""Error panel: mean error on a log axis, smoothed over a faint raw curve, target dashed,
and, once the run has converged, a marker at the iteration it did."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSlider

from engine.trainer import Status
from engine.view_settings import MAX_SMOOTHING
from gui import theme as themes
from gui.legend import Entry
from gui.panels.common import PanelWidget, RunRange, log_plot, show_dots
from gui.panels.readouts import HoverReadout, MomentMarker

#: The y-axis label, also the hover readout's name of the value.
VALUE_NAME = "mean error"


class ErrorPanel(PanelWidget):
    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(log_plot("error_plot"), "Error", parent)
        self._range = RunRange(self.plot)
        self.raw_curve = self.plot.plot()
        self.smooth_curve = self.plot.plot()
        self.target_line = self.plot.plot()
        # The converged run ends at the right edge: its label sits left of the line, high up
        # where the curve has already come down.
        self.converged_marker = pg.InfiniteLine(
            angle=90, movable=False,
            label="", labelOpts={"position": 0.9, "anchors": [(1, 0.5), (1, 0.5)]})
        self.converged_marker.hide()
        self.plot.addItem(self.converged_marker, ignoreBounds=True)
        self.converged_at: int | None = None
        self._error = None  # the frame's ErrorTrace, for the hover readout
        self.readout = HoverReadout(self.plot, self._hover_series)
        self.moment = MomentMarker(self.plot)

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
        themes.style_plot(self.plot, theme, VALUE_NAME)
        self.figure.apply_theme(theme)
        self.readout.apply_theme(theme)
        self.moment.apply_theme(theme)
        dashed = Qt.PenStyle.DashLine
        self.converged_marker.setPen(themes.pen(theme.target_colour, width=theme.pen_width,
                                                style=Qt.PenStyle.DotLine))
        self.converged_marker.label.setColor(theme.foreground)
        self.converged_marker.label.setFont(theme.font(theme.tick_point_size))
        self.raw_curve.setPen(themes.pen(theme.error_colour, width=theme.series_pen_width,
                                         alpha=90))
        self.smooth_curve.setPen(themes.pen(theme.error_colour, width=theme.pen_width))
        for curve, smooth in ((self.raw_curve, theme.series_antialias),
                              (self.smooth_curve, theme.error_antialias)):
            curve.opts["antialias"] = smooth  # pyqtgraph's option, read as it draws
            curve.updateItems()
        self.target_line.setPen(themes.pen(theme.target_colour, width=theme.pen_width,
                                           style=dashed))
        # The raw curve is the smoothed one's faint shadow: no entry of its own.
        self.legend.show_entries((Entry("error", theme.error_colour, theme.pen_width),
                                  Entry("target", theme.target_colour, theme.pen_width, dashed)))

    def show_frame(self, frame):
        error = self._error = frame.error
        self.raw_curve.setData(error.x, error.raw, skipFiniteCheck=True)
        self.smooth_curve.setData(error.x, error.smooth, skipFiniteCheck=True)
        target = np.array([error.target, error.target])
        self._range.follow(float(error.x[-1]), [error.raw, error.smooth, target], frame.running)
        self.target_line.setData([0.0, self._range.shown[0]], target)  # across the whole axis
        show_dots((self.smooth_curve,), single=len(error.x) == 1)
        snapshot, timeline = frame.snapshot, frame.timeline
        if timeline is None or timeline.live:  # a recorded moment keeps the run's marker
            self._show_converged(snapshot.iteration if snapshot.status is Status.CONVERGED
                                 else None)
        self.moment.show_frame(frame)

    def _show_converged(self, iteration: int | None):
        """The convergence marker at ``iteration`` (None: hidden); moved only when it changes."""
        if iteration == self.converged_at:
            return
        self.converged_at = iteration
        # Shown first: a hidden label does not take its new text.
        self.converged_marker.setVisible(iteration is not None)
        if iteration is not None:
            self.converged_marker.setPos(iteration)
            self.converged_marker.label.setFormat(f"converged at {iteration:,}")

    def _hover_series(self):
        error = self._error
        if error is None:
            return VALUE_NAME, []
        return VALUE_NAME, [("error", error.x, error.smooth),
                            ("raw error", error.x, error.raw)]
