"""Parameter panel: |θ| of every weight and bias on a log axis, coloured by group."""

from gui.panels.common import TracePanel

GROUP_NAMES = {
    ("output", "w"): "output weights",
    ("output", "b"): "output bias",
    ("hidden", "w"): "hidden weights",
    ("hidden", "b"): "hidden bias",
}


class ParameterPanel(TracePanel):
    def __init__(self, theme, parent=None):
        super().__init__("parameter_plot", theme, parent)

    def traces_of(self, frame):
        return frame.parameters

    def titles_of(self, frame):
        return "Parameters |θ|", "|θ|"

    def name_of(self, key, n_layers):
        return GROUP_NAMES[key]

    def colour_of(self, key, n_layers):
        return self._theme.parameter_colour(key)
