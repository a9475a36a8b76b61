"""Theme: colours, fonts and pens sized for a projector, as one value views can be given.

Views take a Theme in ``apply_theme`` and restyle what they already hold, so a theme (or a
zoom, which is a theme with larger sizes) can change while the window runs. LIGHT is the
default: readable from the back of a lecture hall.
"""

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPen

#: pyqtgraph draws an axis's label this many pixels beyond the axis's outer edge …
LABEL_NUDGE = 5
#: … so a panel's margin beside a labelled axis leaves this much room for it.
LABEL_SPACE = LABEL_NUDGE + 2
#: pyqtgraph's own margin around a PlotItem's layout.
PLOT_MARGIN = 1


@dataclass(frozen=True)
class Theme:
    background: str = "#ffffff"
    foreground: str = "#202020"
    grid_alpha: float = 0.25
    tick_point_size: int = 12
    label_point_size: int = 13
    title_point_size: int = 15
    ui_point_size: int = 11
    pen_width: float = 2
    #: The gradient and parameter panels draw many overlapping series: at 1 px, as in the
    #: tutorial's plots (lw=1), Qt draws them on its fast path; wider lines go through the
    #: stroker and cost ~5x more per repaint (measured: 6.1 ms vs 1.4 ms per panel).
    series_pen_width: float = 1
    #: Tutorial colours: blue for the output layer, red for the hidden layer; deeper nets add
    #: one more colour per extra hidden layer (first hidden stays red).
    output_colour: str = "#1f5fbf"
    hidden_colours: tuple = ("#d62728", "#ff8c00", "#2ca02c", "#8e44ad")
    #: The tutorial's parameter plot: one colour per group (engine.frame.PARAMETER_GROUPS).
    parameter_colours: tuple = ((("output", "w"), "#1f5fbf"), (("output", "b"), "#17becf"),
                                (("hidden", "w"), "#d62728"), (("hidden", "b"), "#ff8c00"))
    #: A group drawn as its range (more series than a person can tell apart): this opaque.
    band_alpha: int = 60
    error_colour: str = "#202020"
    target_colour: str = "#2ca02c"
    #: Decision map: output 0 pale red, 0.5 white, 1 pale blue, matching the class markers
    #: (class 0 red squares, class 1 blue crosses) while staying light enough for them to show.
    decision_stops: tuple = (0.0, 0.5, 1.0)
    decision_colours: tuple = ("#f08a80", "#ffffff", "#7fa8e8")
    class_colours: tuple = ("#b00000", "#0b3d91")
    contour_colour: str = "#000000"
    hidden_line_colour: str = "#555555"
    legend_background: tuple = (255, 255, 255, 200)
    legend_border: str = "#909090"

    def hidden_colour(self, layer: int) -> str:
        return self.hidden_colours[layer % len(self.hidden_colours)]

    def layer_colour(self, layer: int, n_layers: int) -> str:
        return self.output_colour if layer == n_layers - 1 else self.hidden_colour(layer)

    def parameter_colour(self, group) -> str:
        return dict(self.parameter_colours)[group]

    def font(self, point_size: int) -> QFont:
        result = QFont()
        result.setPointSize(point_size)
        return result


LIGHT = Theme()


def configure_pyqtgraph(theme: Theme):
    """Global pyqtgraph options; call before creating any plot."""
    pg.setConfigOptions(antialias=True, background=theme.background,
                        foreground=theme.foreground, segmentedLineMode="on")


def pen(colour, width=2.0, style=Qt.PenStyle.SolidLine, alpha=255) -> QPen:
    qcolour = QColor(colour)
    qcolour.setAlpha(alpha)
    result = pg.mkPen(qcolour, width=width, style=style)
    result.setCosmetic(True)
    return result


def style_plot(plot_widget: pg.PlotWidget, theme: Theme, title: str, y_label: str,
               x_label="iteration", right_axis=None):
    """Fonts, a light grid and labelled axes for one panel; ``right_axis`` is a labelled
    axis beside the plot (a colour bar's). Safe to call again with another theme."""
    plot_widget.setBackground(theme.background)
    item = plot_widget.getPlotItem()
    item.setTitle(title, size=f"{theme.title_point_size}pt", color=theme.foreground)
    for name, label in (("bottom", x_label), ("left", y_label)):
        style_axis(item.getAxis(name), theme, label)
        # Ticks and grid lines down to the minor level only: the sub-minor grid of a log
        # axis is unreadable on a projector and costs a third of every repaint.
        item.getAxis(name).setStyle(maxTickLevel=1)
    # One width for every panel's left axis (the widest log tick), so stacked panels align.
    fit_axis_label(item.getAxis("left"), widest_value="0.0001")
    fit_axis_label(item.getAxis("bottom"))
    right = 0
    if right_axis is not None:
        fit_axis_label(right_axis, widest_value="0.8")
        right = LABEL_SPACE
    item.layout.setContentsMargins(PLOT_MARGIN + LABEL_SPACE, PLOT_MARGIN,
                                   PLOT_MARGIN + right, PLOT_MARGIN + LABEL_SPACE)
    item.showGrid(x=True, y=True, alpha=theme.grid_alpha)
    item.setMenuEnabled(False)
    item.hideButtons()


def style_axis(axis: pg.AxisItem, theme: Theme, label: str | None):
    axis.setTickFont(theme.font(theme.tick_point_size))
    axis.setTextPen(theme.foreground)
    axis.setPen(pen(theme.foreground, width=1.5))
    if label:
        # No SI prefix anywhere: pyqtgraph recomputes the prefix's scale whenever the label
        # is set, even with auto-prefix off, and a restyled log axis over (0, 1) then shows
        # its values ×1000 (milli) with no prefix in the label.
        axis.setLabel(label, siPrefixEnableRanges=(),
                      **{"font-size": f"{theme.label_point_size}pt", "color": theme.foreground})
    axis.enableAutoSIPrefix(False)


def fit_axis_label(axis: pg.AxisItem, widest_value: str = "0"):
    """Size an axis so that its label sits beside the tick values, not on them.

    pyqtgraph sizes an axis for only 0.8 of its label's height, so a projector-sized label
    overlaps the values; the panel's margin (style_plot) takes the LABEL_NUDGE it sticks out.
    ``widest_value``: the widest tick text of a left or right axis.
    """
    style = axis.style
    metrics = QFontMetrics(style["tickFont"])
    label = axis.label.boundingRect().height()
    if axis.orientation in ("left", "right"):
        values = (max(0, style["tickLength"]) + style["tickTextOffset"][0]
                  + metrics.horizontalAdvance(widest_value))
        axis.setWidth(int(values + label - LABEL_NUDGE + 2))
    else:
        values = max(0, style["tickLength"]) + style["tickTextOffset"][1] + metrics.height()
        axis.setHeight(int(values + label - LABEL_NUDGE + 2))


def legend(plot_widget: pg.PlotWidget, theme: Theme, entries=(), columns=1,
           corner="top") -> pg.LegendItem:
    """The panel's legend, in the top- or bottom-right corner on a translucent background,
    styled for ``theme``. Made on the first call, listing ``entries`` (named items made
    before it; those made after with a name join it by themselves); later calls restyle it."""
    item = plot_widget.getPlotItem()
    if item.legend is None:
        item.addLegend(offset=(-10, 10 if corner == "top" else -10), colCount=columns)
        for entry in entries:
            item.legend.addItem(entry, entry.name())
    style_legend(item.legend, theme)
    return item.legend


def style_legend(item: pg.LegendItem, theme: Theme):
    item.setBrush(pg.mkBrush(*theme.legend_background))
    item.setPen(pen(theme.legend_border, width=1))
    item.setLabelTextColor(theme.foreground)
    item.setLabelTextSize(f"{theme.tick_point_size}pt")
    for _, label in item.items:  # pyqtgraph stores the new style but draws the old text
        label.setText(label.text)
