"""Parameter panel: |θ| of every weight and bias on a log axis, coloured by group."""

import numpy as np

from engine.trainer import parameter_groups
from gui import theme
from gui.panels.common import PanelWidget, log_plot, show_run, stacked

GROUP_NAMES = {
    ("output", "w"): "output weights",
    ("output", "b"): "output bias",
    ("hidden", "w"): "hidden weights",
    ("hidden", "b"): "hidden bias",
}


def group_of(layer: int, kind: str, n_layers: int) -> tuple[str, str]:
    return ("output" if layer == n_layers - 1 else "hidden", kind)


class ParameterPanel(PanelWidget):
    def __init__(self, parent=None):
        super().__init__(log_plot("parameter_plot", "Parameters", "|θ|"), parent)
        theme.legend(self.plot, columns=2, corner="bottom")
        self._curves = {
            group: self.plot.plot(
                pen=theme.pen(theme.PARAMETER_COLOURS[group], width=theme.SERIES_PEN_WIDTH),
                name=name)
            for group, name in GROUP_NAMES.items()
        }
        self._shape = None
        self._columns = {}

    def show_snapshot(self, snapshot):
        sizes = snapshot.config.layer_sizes
        if self._shape != sizes:
            n_layers = len(sizes) - 1
            labels = [group_of(layer, kind, n_layers) for layer, kind in parameter_groups(sizes)]
            self._columns = {group: np.array([label == group for label in labels])
                             for group in self._curves}
            self._shape = sizes
        history = snapshot.history
        for group, curve in self._curves.items():
            xs, ys, connect = stacked(history.iterations,
                                      history.parameters[:, self._columns[group]])
            curve.setData(xs, ys, connect=connect, skipFiniteCheck=True)
        show_run(self.plot, self._curves.values(), history.iterations)
