"""The sweep window's plots: updates to converge, the final errors, and the varied settings'
curves (one setting) or phase diagram (two). They draw an engine.sweep_stats.SweepStats as
it comes; the numbers are all the engine's.
"""

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QWidget

from engine.sweep_stats import SweepStats
from gui import theme as themes
from gui.legend import Entry, PanelFigure
from gui.panels.common import MIN_DECADES

#: The phase diagram's colours: perceptually uniform and colour-blind safe, dark (0) to
#: light (1), so that the fraction reads as brightness in either theme.
PHASE_MAP = "viridis"
#: Cells get their fraction written in them up to this many (more would be unreadable).
MAX_CELL_LABELS = 150
#: Space between two category labels, in widths of the letter "0".
GAP_DIGITS = 2


class CategoryAxis(pg.AxisItem):
    """An axis of named values at 0, 1, 2, …: every label that has room (every second,
    third, … when they would run together)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels: tuple[str, ...] = ()

    def set_labels(self, labels):
        self.labels = tuple(labels)
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):
        if not self.labels or size <= 0:
            return []
        metrics = QFontMetrics(self.style["tickFont"] or self.font())
        if self.orientation in ("left", "right"):
            needed = 1.5 * metrics.height()
        else:
            needed = (max(metrics.horizontalAdvance(label) for label in self.labels)
                      + GAP_DIGITS * metrics.horizontalAdvance("0"))
        span = max(maxVal - minVal, 1e-9)
        step = max(1, math.ceil(needed * span / size))
        return [(step, [float(k) for k in range(0, len(self.labels), step)])]

    def tickStrings(self, values, scale, spacing):
        return [self.labels[int(round(v))] if 0 <= round(v) < len(self.labels) else ""
                for v in values]


def _plot(name: str, log_x=False, log_y=False, axes=None) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems=axes or {})
    plot.setObjectName(name)
    plot.setLogMode(x=log_x, y=log_y)
    plot.getPlotItem().getViewBox().setMouseEnabled(x=False, y=False)
    plot.setMinimumSize(220, 160)
    themes.keep_labels_inside(plot, plot.getPlotItem().getAxis("left"))
    return plot


class SweepPlots(QWidget):
    """Four panels in a grid (those the sweep has): the histogram and the errors; with one
    varied setting, fraction converged and median updates against it; with two, the phase
    diagram. Exported whole as the sweep's figure."""

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("sweep_plots")
        self.setAutoFillBackground(True)
        self.histogram = _plot("sweep_histogram", log_x=True)
        self.histogram_bars = pg.PlotDataItem(stepMode="center", fillLevel=0)
        self.histogram.addItem(self.histogram_bars)
        self.errors = _plot("sweep_errors", log_y=True)
        # the legend's markers: squares converged, crosses not
        self.error_points = (pg.PlotDataItem(pen=None, symbol="s"),
                             pg.PlotDataItem(pen=None, symbol="x"))
        for item in self.error_points:
            self.errors.addItem(item)
        self.fraction = _plot("sweep_fraction", axes={"bottom": CategoryAxis("bottom")})
        self.fraction_curve = pg.PlotDataItem(symbol="o", connect="finite")
        self.fraction.addItem(self.fraction_curve)
        self.fraction.setYRange(0, 1)
        self.median = _plot("sweep_median", log_y=True,
                            axes={"bottom": CategoryAxis("bottom")})
        self.median_curve = pg.PlotDataItem(symbol="s", connect="finite")
        self.median.addItem(self.median_curve)
        self.phase = _plot("sweep_phase", axes={"bottom": CategoryAxis("bottom"),
                                                "left": CategoryAxis("left")})
        item = self.phase.getPlotItem()
        self.phase_image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.phase_image)
        self.colour_bar = pg.ColorBarItem(values=(0, 1), width=22, interactive=False,
                                          colorMapMenu=False)
        self.colour_bar.setImageItem(self.phase_image, insert_in=item)
        self.colour_bar.setColorMap(pg.colormap.get(PHASE_MAP))
        self.cell_labels: list[pg.TextItem] = []
        self.figures = {
            "histogram": PanelFigure(self.histogram, "Updates to converge"),
            "errors": PanelFigure(self.errors, "Final error per run"),
            "fraction": PanelFigure(self.fraction, "Fraction converged"),
            "median": PanelFigure(self.median, "Median updates to converge"),
            "phase": PanelFigure(self.phase, "Fraction converged: the phase diagram"),
        }
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for name, row, column, span in (("histogram", 0, 0, 1), ("errors", 0, 1, 1),
                                        ("fraction", 1, 0, 1), ("median", 1, 1, 1),
                                        ("phase", 1, 0, 2)):
            grid.addWidget(self.figures[name], row, column, 1, span)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._labels = {"fraction": "value", "median": "value", "phase": ("", "")}
        self._stats: SweepStats | None = None
        self._theme = theme
        self.set_varied(())

    def set_varied(self, names):
        """Show the panels of a sweep varying ``names`` (none, one or two settings)."""
        names = tuple(names)
        self.figures["fraction"].setVisible(len(names) == 1)
        self.figures["median"].setVisible(len(names) == 1)
        self.figures["phase"].setVisible(len(names) == 2)
        if len(names) == 1:
            self._labels["fraction"] = self._labels["median"] = names[0]
        elif len(names) == 2:
            self._labels["phase"] = names
        self.apply_theme(self._theme)  # the axes' new labels

    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
        palette = self.palette()
        palette.setColor(palette.ColorRole.Window, QColor(theme.background))
        self.setPalette(palette)
        first, second = self._labels["phase"]
        bar_axis = self.colour_bar.getAxis("right")
        themes.style_axis(bar_axis, theme, "fraction converged")
        for plot, y_label, x_label, bar in (
                (self.histogram, "runs", "updates", None),  # the title says to what
                (self.errors, "final error", "seed", None),
                (self.fraction, "fraction converged", self._labels["fraction"], None),
                (self.median, "updates", self._labels["median"], None),
                (self.phase, first, second, bar_axis)):
            themes.style_plot(plot, theme, y_label, x_label=x_label, right_axis=bar)
        for plot in (self.errors, self.median):
            # decades only: a tall log axis otherwise labels every minor tick, in a pile
            plot.getPlotItem().getAxis("left").setStyle(maxTextLevel=0)
        for figure in self.figures.values():
            figure.apply_theme(theme)
        converged, other = theme.output_colour, theme.hidden_colour(0)
        self.histogram_bars.setPen(themes.pen(converged, theme.pen_width))
        self.histogram_bars.setBrush(pg.mkBrush(_alpha(converged, 110)))
        size = theme.marker_size * 0.4
        for item, colour in zip(self.error_points, (converged, other)):
            item.setSymbolBrush(pg.mkBrush(colour))
            item.setSymbolPen(None)
            item.setSymbolSize(size)
        for curve, colour in ((self.fraction_curve, converged), (self.median_curve, converged)):
            curve.setPen(themes.pen(colour, theme.pen_width))
            curve.setSymbolBrush(pg.mkBrush(colour))
            curve.setSymbolPen(None)
            curve.setSymbolSize(theme.marker_size * 0.5)
        self.figures["errors"].legend.show_entries([
            Entry("converged", converged, symbol="s"),
            Entry("did not converge", other, symbol="x")])
        if self._stats is not None:
            self.show_stats(self._stats)

    def show_stats(self, stats: SweepStats):
        """Draw ``stats`` (the runs done so far)."""
        self._stats = stats
        self.histogram_bars.setData(stats.histogram_edges, stats.histogram_counts)
        # from 0, and 0 to 1 with no run converged yet (not a band around 0)
        self.histogram.setYRange(0, max(1, int(stats.histogram_counts.max(initial=0))))
        for item, (seeds, errors) in zip(self.error_points,
                                         (stats.converged_points, stats.unconverged_points)):
            item.setData(seeds, errors)
        self._fit_errors(stats)
        if stats.by_value is not None:
            values = stats.by_value
            x = np.arange(len(values.labels), dtype=float)
            for plot, curve, y in ((self.fraction, self.fraction_curve, values.fractions),
                                   (self.median, self.median_curve, values.medians)):
                plot.getPlotItem().getAxis("bottom").set_labels(values.labels)
                shown = ~np.isnan(y)  # a value with no (converged) run yet has no point
                curve.setData(x[shown], y[shown])
                plot.setXRange(-0.5, len(x) - 0.5, padding=0)
            self.fraction.setYRange(0, 1, padding=0.05)
            _fit_decades(self.median, [values.medians[~np.isnan(values.medians)]])
        if stats.phase is not None:
            self._show_phase(stats.phase)

    def _fit_errors(self, stats: SweepStats):
        _fit_decades(self.errors, [values for _, values in (stats.converged_points,
                                                             stats.unconverged_points)])

    def _show_phase(self, phase):
        rows, columns = phase.fractions.shape
        item = self.phase.getPlotItem()
        item.getAxis("left").set_labels(phase.row_labels)
        item.getAxis("bottom").set_labels(phase.column_labels)
        self.phase_image.setImage(phase.fractions, levels=(0.0, 1.0), autoLevels=False)
        self.phase_image.setRect(QRectF(-0.5, -0.5, columns, rows))
        item.setRange(xRange=(-0.5, columns - 0.5), yRange=(-0.5, rows - 0.5), padding=0)
        self._label_cells(phase)

    def _label_cells(self, phase):
        rows, columns = phase.fractions.shape
        wanted = rows * columns if rows * columns <= MAX_CELL_LABELS else 0
        while len(self.cell_labels) < wanted:
            label = pg.TextItem(anchor=(0.5, 0.5))
            self.phase.addItem(label)
            self.cell_labels.append(label)
        while len(self.cell_labels) > wanted:
            self.phase.removeItem(self.cell_labels.pop())
        font = self._theme.font(self._theme.tick_point_size)
        for k, label in enumerate(self.cell_labels):
            row, column = divmod(k, columns)
            value = phase.fractions[row, column]
            label.setFont(font)
            # dark text on the light end of the map, light on the dark end
            label.setColor("#000000" if value > 0.55 else "#ffffff")
            label.setText("" if math.isnan(value) else f"{value:.2f}")
            label.setPos(column, row)


def _fit_decades(plot: pg.PlotWidget, arrays):
    """A log axis over ``arrays``' values at least MIN_DECADES tall: over less (errors all
    near 0.125, the plateau; medians from 2·10³ to 10⁴) pyqtgraph labels every minor tick,
    or none."""
    arrays = [values for values in arrays if len(values)]
    if not arrays:
        return
    low = math.log10(min(float(values.min()) for values in arrays))
    high = math.log10(max(float(values.max()) for values in arrays))
    middle, half = (low + high) / 2, max(high - low, MIN_DECADES) / 2
    plot.setYRange(middle - half, middle + half)


def _alpha(colour: str, alpha: int) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result
