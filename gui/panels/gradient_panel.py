"""Gradient panel: |∂E_sum/∂θ| of every parameter on a log axis, one colour per layer.

The gradients are of the loss summed over the four samples, E_sum = 4·E, which the update
θ ← θ − α ∂E_sum/∂θ follows (the tutorial's); the error panel plots the mean E. One colour
per layer (the theme's layer colours: five distinct for four hidden layers) shows the early
layers' gradients shrinking in a deep sigmoid network. A toggle shows the tutorial's
per-sample deltas instead.
"""

from PySide6.QtWidgets import QCheckBox

from gui.panels.common import TracePanel


def layer_name(layer: int, n_layers: int) -> str:
    if layer == n_layers - 1:
        return "output layer"
    return "hidden layer" if n_layers == 2 else f"hidden layer {layer + 1}"


class GradientPanel(TracePanel):
    def __init__(self, theme, parent=None):
        super().__init__("gradient_plot", theme, parent)
        self.show_deltas = QCheckBox("Show per-sample deltas δ instead")
        self.show_deltas.setObjectName("show_deltas")
        self.show_deltas.setToolTip(
            "Plot |δ| of every neuron for each of the four training samples\n"
            "(the tutorial's deltas) instead of the gradients |∂E_sum/∂θ|.")
        self.controls.addWidget(self.show_deltas)
        self.controls.addStretch(1)

    def traces_of(self, frame):
        return frame.gradients

    def titles_of(self, frame):
        if frame is not None and frame.show_deltas:
            return "Per-sample deltas |δ|", "|δ|"
        return "Gradients |∂E_sum/∂θ|", "|∂E_sum/∂θ|"

    def name_of(self, key, n_layers):
        return layer_name(key, n_layers)

    def colour_of(self, key, n_layers):
        return self._theme.layer_colour(key, n_layers)
