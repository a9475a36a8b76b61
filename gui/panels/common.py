"""Helpers shared by the log-scale panels: plot creation and log-safe data."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from gui import theme


def log_safe(values) -> np.ndarray:
    """|values| clipped at the floor, NaN and ±inf replaced: a log axis never sees 0 or NaN."""
    magnitudes = np.abs(np.asarray(values, dtype=np.float64))
    magnitudes = np.nan_to_num(magnitudes, nan=theme.LOG_FLOOR, posinf=1e300)
    return np.maximum(magnitudes, theme.LOG_FLOOR)


#: A panel is ~1000 px wide: more points per series than this only slow the painting down.
DISPLAY_POINTS = 200


def display_rows(n: int, limit: int = DISPLAY_POINTS) -> np.ndarray:
    """Evenly spread row indices to draw, always including the first and the last row."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(int))


def stacked(x, columns):
    """Several series as one line with breaks: (xs, ys, connect) for PlotDataItem.setData.

    Drawing a whole group as one item, at most DISPLAY_POINTS points per series, keeps
    redraws fast even for a wide, deep network.
    """
    rows = display_rows(len(x))
    x, columns = np.asarray(x, dtype=np.float64)[rows], columns[rows]
    n, k = len(x), columns.shape[1]
    connect = np.ones(n * k, dtype=bool)
    connect[n - 1::n] = False
    return np.tile(x, k), log_safe(columns.T).ravel(), connect


MIN_DECADES = 3.0


def show_run(plot: pg.PlotWidget, curves, iterations):
    """Fit the x axis to the whole run, from 0 to the current iteration (at least 1).

    At iteration 0 each series has a single point, which a line cannot show: the curves
    then draw it as a dot, so the initial state is visible before the first update.
    """
    item = plot.getPlotItem()
    item.setXRange(0, max(1, int(iterations[-1])), padding=0.02)
    # Set the y range here too: pyqtgraph's auto-range would re-scan every item and schedule
    # a second repaint of the panel for each new frame.
    shown = [c.yData for c in item.listDataItems() if c.yData is not None and len(c.yData)]
    if shown:
        low = np.log10(min(float(y.min()) for y in shown))
        high = np.log10(max(float(y.max()) for y in shown))
        # At least MIN_DECADES tall: over less, pyqtgraph labels every minor tick and the
        # labels pile up at projector font sizes.
        middle, half = (low + high) / 2, max(high - low, MIN_DECADES) / 2
        item.setYRange(middle - half, middle + half, padding=0.05)
    single = len(iterations) == 1
    for curve in curves:
        if single and curve.opts["symbol"] is None:
            colour = curve.opts["pen"].color()
            curve.setSymbol("o")
            curve.setSymbolSize(9)
            curve.setSymbolBrush(colour)
            curve.setSymbolPen(colour)
        elif not single and curve.opts["symbol"] is not None:
            curve.setSymbol(None)


def log_plot(object_name: str, title: str, y_label: str) -> pg.PlotWidget:
    """A PlotWidget with a log y axis, styled for a projector."""
    plot = pg.PlotWidget()
    plot.setObjectName(object_name)
    plot.setLogMode(x=False, y=True)
    theme.style_plot(plot, title, y_label)
    plot.getPlotItem().getViewBox().setMouseEnabled(x=False, y=False)
    plot.setMinimumHeight(180)
    return plot


class PanelWidget(QWidget):
    """A plot with a row of small controls under it."""

    def __init__(self, plot: pg.PlotWidget, parent=None):
        super().__init__(parent)
        self.plot = plot
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(8, 0, 8, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(plot, stretch=1)
        layout.addLayout(self.controls)
