"""What the log-scale panels share: the plot, its range, and a panel of Traces."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from gui import theme as themes
from gui.count_axis import CountAxis
from gui.decade_axis import DecadeAxis
from gui.help_pages import title_tooltip
from gui.legend import Entry, PanelFigure
from gui.panels.readouts import HoverReadout, MomentMarker

#: A log axis this many decades tall at least: over less, pyqtgraph labels every minor tick
#: and the labels pile up at projector font sizes.
MIN_DECADES = 3.0


def stacked(x, lines):
    """Several series as one line with breaks: (xs, ys, connect) for PlotDataItem.setData.

    One item per legend entry, however many series it holds, keeps redraws fast.
    """
    k, n = lines.shape
    connect = np.ones(n * k, dtype=bool)
    connect[n - 1::n] = False
    return np.tile(x, k), lines.ravel(), connect


def log_plot(object_name: str) -> pg.PlotWidget:
    """A PlotWidget with a log y axis over iterations and no mouse interaction (it follows
    the run)."""
    plot = pg.PlotWidget(axisItems={"bottom": CountAxis("bottom"), "left": DecadeAxis("left")})
    plot.setObjectName(object_name)
    plot.setLogMode(x=False, y=True)
    plot.getPlotItem().getViewBox().setMouseEnabled(x=False, y=False)
    plot.setMinimumHeight(100)
    themes.keep_labels_inside(plot, plot.getPlotItem().getAxis("left"))
    return plot


#: While training, the x axis leads the run by up to this factor and the y axis keeps a
#: margin of Y_MARGIN decades, so that the ranges change about twice per doubling of the run
#: instead of on every frame: a range change re-lays the axes and every item of the panel,
#: ~35 ms of a 1600×1000 window's repaint against ~12 ms for a frame without one (from
#: iteration 0 at unlimited speed, 12 changes in 5 s instead of 19 with a factor of 1.25).
#: A paused or finished run is fitted exactly.
X_HEADROOM = 1.5
Y_MARGIN = 0.25


class RunRange:
    """Keeps a log panel's view on the whole run: x from 0 to the current iteration, y
    around the magnitudes shown (at least MIN_DECADES tall)."""

    def __init__(self, plot: pg.PlotWidget):
        self._item = plot.getPlotItem()
        self.shown = None  # (x end, log10 low, log10 high)
        #: Keep the range shown whatever comes (an animation fixes its axes on the whole clip).
        self.held = False

    def follow(self, x_end: float, y_values, running: bool):
        if self.held and self.shown is not None:
            return
        x_end = max(1.0, x_end)
        low = np.log10(min(float(values.min()) for values in y_values))
        high = np.log10(max(float(values.max()) for values in y_values))
        middle, half = (low + high) / 2, max(high - low, MIN_DECADES) / 2
        low, high = middle - half, middle + half
        if running:
            if self.shown is not None:
                shown_x, shown_low, shown_high = self.shown
                if (shown_x / X_HEADROOM ** 2 <= x_end <= shown_x
                        and shown_low <= low and high <= shown_high
                        and shown_high - shown_low <= high - low + 2 * Y_MARGIN + 1):
                    return
            x_end, low, high = x_end * X_HEADROOM, low - Y_MARGIN, high + Y_MARGIN
        self.shown = (x_end, low, high)
        # Both ranges in one call, and set here: pyqtgraph's auto-range would re-scan every
        # item and repaint the panel twice. Padded as pyqtgraph would: 2 % of x, 5 % of y.
        x_pad, y_pad = 0.02 * x_end, 0.05 * (high - low)
        self._item.setRange(xRange=(-x_pad, x_end + x_pad),
                            yRange=(low - y_pad, high + y_pad), padding=0)
        # pyqtgraph moves the items to the new range as the panel is painted, which has it
        # paint the panel a second time; moved now, it is painted once (a frame of the window
        # that changes the panels' ranges at 1920×1080, zoom 200 %: 40 ms, 57 ms painted twice).
        self._item.getViewBox().updateMatrix()


def show_dots(curves, single: bool):
    """Draw the line items as dots while each series has a single point (iteration 0),
    which a line cannot show."""
    for curve in curves:
        if single and curve.opts["symbol"] is None:
            colour = curve.opts["pen"].color()
            curve.setSymbol("o")
            curve.setSymbolSize(9)
            curve.setSymbolBrush(colour)
            curve.setSymbolPen(colour)
        elif not single and curve.opts["symbol"] is not None:
            curve.setSymbol(None)


class PanelWidget(QWidget):
    """A plot under its title and legend (``figure``), with a row of small controls under
    it."""

    def __init__(self, plot: pg.PlotWidget, title: str, parent=None):
        super().__init__(parent)
        self.plot = plot
        self.figure = PanelFigure(plot, title)
        self.figure.title.setToolTip(title_tooltip(plot.objectName()))
        self.legend = self.figure.legend
        self._range: RunRange | None = None  # log panels follow the run with one
        #: The row of controls under the plot (presentation mode hides it).
        self.controls_row = QWidget()
        # Its least width is not the panel's: a checkbox's text at 300 % would widen the
        # window past the screen; it is cut instead.
        self.controls_row.setSizePolicy(QSizePolicy.Policy.Ignored,
                                        QSizePolicy.Policy.Preferred)
        self.controls = QHBoxLayout(self.controls_row)
        self.controls.setContentsMargins(8, 0, 8, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.figure, stretch=1)
        layout.addWidget(self.controls_row)

    def hold_range(self, held: bool):
        """Keep the axes where the next frame puts them, until released."""
        if self._range is not None:
            self._range.held = held


class TracePanel(PanelWidget):
    """A log-scale panel of a frame's Traces: per legend entry one line item holding all its
    series, plus a shaded band (range) when the entry is drawn as its mean.

    Subclasses say which traces (``traces_of``), how each is named and coloured, and the
    panel's title and axis label for a frame.
    """

    def __init__(self, object_name: str, theme: themes.Theme, parent=None):
        super().__init__(log_plot(object_name), self.titles_of(None)[0], parent)
        self._theme = theme
        self._entries = []  # (line, band or None) per trace
        self._signature = None
        self._titles = None
        self._traces = ()  # the frame's, for the hover readout
        self._names = ()  # each trace's legend name
        self._range = RunRange(self.plot)
        self.readout = HoverReadout(self.plot, self._hover_series)
        self.moment = MomentMarker(self.plot)
        self.apply_theme(theme)

    # Hooks ------------------------------------------------------------------------------
    def traces_of(self, frame):
        raise NotImplementedError

    def name_of(self, key, n_layers: int) -> str:
        raise NotImplementedError

    def colour_of(self, key, n_layers: int) -> str:
        raise NotImplementedError

    def titles_of(self, frame) -> tuple[str, str]:
        """(title, y-axis label)"""
        raise NotImplementedError

    # View protocol ----------------------------------------------------------------------
    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
        _, label = self._titles or self.titles_of(None)
        themes.style_plot(self.plot, theme, label)
        self.figure.apply_theme(theme)
        self.readout.apply_theme(theme)
        self.moment.apply_theme(theme)
        self._signature = None  # rebuild the items with the new pens on the next frame

    def show_frame(self, frame):
        traces = self._traces = self.traces_of(frame)
        n_layers = len(frame.snapshot.config.layer_sizes) - 1
        titles = self.titles_of(frame)
        if titles != self._titles:
            self._titles = titles
            self.figure.legend.set_title(titles[0])
            themes.style_plot(self.plot, self._theme, titles[1])
        signature = (n_layers, titles, tuple((t.key, t.band is not None) for t in traces))
        if signature != self._signature:
            self._rebuild(traces, n_layers)
            self._signature = signature
        for trace, (line, band) in zip(traces, self._entries):
            xs, ys, connect = stacked(trace.x, trace.lines)
            line.setData(xs, ys, connect=connect, skipFiniteCheck=True)
            if band is not None:  # one closed outline: along the lows, back along the highs
                band.setData(np.concatenate([trace.x, trace.x[::-1]]),
                             np.concatenate([trace.band[0], trace.band[1][::-1]]),
                             skipFiniteCheck=True)
        x = traces[0].x
        self._range.follow(float(x[-1]), [t.band if t.band is not None else t.lines
                                          for t in traces], frame.running)
        show_dots([line for line, _ in self._entries], single=len(x) == 1)
        self.moment.show_frame(frame)

    def _rebuild(self, traces, n_layers: int):
        """One line item per trace (and a band where it has one), made when the network's
        shape or the kind of traces changes."""
        theme, plot = self._theme, self.plot
        for line, band in self._entries:
            plot.removeItem(line)
            if band is not None:
                plot.removeItem(band)
        self._entries, entries = [], []
        for trace in traces:
            colour = self.colour_of(trace.key, n_layers)
            band = None
            if trace.band is not None:
                # A filled outline: one item, no FillBetweenItem re-tracing two curves.
                band = plot.plot(
                    pen=themes.pen(colour, width=theme.series_pen_width, alpha=theme.band_alpha),
                    fillLevel="enclosed", antialias=theme.series_antialias,
                    brush=themes.pen(colour, alpha=theme.band_alpha).color())
            line = plot.plot(pen=themes.pen(colour, width=theme.series_pen_width),
                             antialias=theme.series_antialias)
            self._entries.append((line, band))
            entries.append(Entry(self.name_of(trace.key, n_layers), colour,
                                 theme.series_pen_width,
                                 band_alpha=None if band is None else theme.band_alpha))
        self._names = tuple(entry.name for entry in entries)
        self.legend.show_entries(entries)

    def _hover_series(self):
        """The hover readout's series: every line drawn, a group's mean named as such."""
        series = []
        for trace, name in zip(self._traces, self._names):
            if trace.band is not None:
                name = f"{name} (mean)"
            series += [(name, trace.x, line) for line in trace.lines]
        return (self._titles or self.titles_of(None))[1], series
