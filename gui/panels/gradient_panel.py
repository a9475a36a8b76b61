"""Gradient panel: |∂E/∂θ| of every parameter on a log axis, one colour per layer.

A toggle shows the tutorial's per-sample deltas instead of the gradients.
"""

import numpy as np
from PySide6.QtWidgets import QCheckBox

from engine.trainer import delta_groups, parameter_groups
from gui import theme
from gui.panels.common import PanelWidget, log_plot, show_run, stacked


def layer_name(layer: int, n_layers: int) -> str:
    if layer == n_layers - 1:
        return "output layer"
    return "hidden layer" if n_layers == 2 else f"hidden layer {layer + 1}"


def layer_colour(layer: int, n_layers: int) -> str:
    return theme.OUTPUT_COLOUR if layer == n_layers - 1 else theme.hidden_colour(layer)


class GradientPanel(PanelWidget):
    def __init__(self, parent=None):
        super().__init__(log_plot("gradient_plot", "Gradients", "|∂E/∂θ|"), parent)
        self._legend = theme.legend(self.plot)
        self._curves = {}
        self._groups = None
        self._shape = None
        self._snapshot = None
        self.show_deltas = QCheckBox("Show per-sample deltas δ instead")
        self.show_deltas.setObjectName("show_deltas")
        self.show_deltas.setToolTip(
            "Plot |δ| of every neuron for each of the four training samples\n"
            "(the tutorial's deltas) instead of the gradients |∂E/∂θ|.")
        self.controls.addWidget(self.show_deltas)
        self.controls.addStretch(1)
        self.show_deltas.toggled.connect(self._on_mode_toggled)

    def _on_mode_toggled(self, deltas: bool):
        self.plot.getPlotItem().setTitle(
            "Per-sample deltas" if deltas else "Gradients", size=theme.TITLE_SIZE)
        self.plot.getPlotItem().getAxis("left").setLabel("|δ|" if deltas else "|∂E/∂θ|")
        self._shape = None
        if self._snapshot is not None:
            self.show_snapshot(self._snapshot)

    def _rebuild(self, sizes):
        """One curve per layer, and the layer of each plotted column, made when the network's
        shape (or the mode) changes."""
        n_layers = len(sizes) - 1
        if self.show_deltas.isChecked():
            self._groups = np.array(delta_groups(sizes))
        else:
            self._groups = np.array([layer for layer, _ in parameter_groups(sizes)])
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        self._legend.clear()
        self._curves = {}
        # Output last so it is drawn on top, as in the tutorial.
        for layer in range(n_layers):
            self._curves[layer] = self.plot.plot(
                pen=theme.pen(layer_colour(layer, n_layers), width=theme.SERIES_PEN_WIDTH),
                name=layer_name(layer, n_layers))

    def show_snapshot(self, snapshot):
        self._snapshot = snapshot
        sizes = snapshot.config.layer_sizes
        if self._shape != sizes:
            self._rebuild(sizes)
            self._shape = sizes
        history = snapshot.history
        series = history.deltas if self.show_deltas.isChecked() else history.gradients
        for layer, curve in self._curves.items():
            xs, ys, connect = stacked(history.iterations, series[:, self._groups == layer])
            curve.setData(xs, ys, connect=connect, skipFiniteCheck=True)
        show_run(self.plot, self._curves.values(), history.iterations)
