"""Colours, fonts and pens sized for a projector: readable from the back of a lecture hall."""

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPen

BACKGROUND = "#ffffff"
FOREGROUND = "#202020"
GRID_ALPHA = 0.25

TICK_POINT_SIZE = 12
LABEL_POINT_SIZE = 13
TITLE_SIZE = "15pt"
#: pyqtgraph draws an axis's label this many pixels beyond the axis's outer edge …
LABEL_NUDGE = 5
#: … so a panel's margin beside a labelled axis leaves this much room for it.
LABEL_SPACE = LABEL_NUDGE + 2
UI_POINT_SIZE = 11

PEN_WIDTH = 2
#: The gradient and parameter panels draw many overlapping series: at 1 px, as in the
#: tutorial's plots (lw=1), Qt draws them on its fast path; wider lines go through the
#: stroker and cost ~5x more per repaint (measured: 6.1 ms vs 1.4 ms per panel).
SERIES_PEN_WIDTH = 1

#: Tutorial colours: blue for the output layer, red for the hidden layer; deeper nets add
#: one more colour per extra hidden layer (first hidden stays red).
OUTPUT_COLOUR = "#1f5fbf"
HIDDEN_COLOURS = ("#d62728", "#ff8c00", "#2ca02c", "#8e44ad")

#: The tutorial's parameter plot: one colour per group.
PARAMETER_COLOURS = {
    ("output", "w"): "#1f5fbf",
    ("output", "b"): "#17becf",
    ("hidden", "w"): "#d62728",
    ("hidden", "b"): "#ff8c00",
}

ERROR_COLOUR = "#202020"
TARGET_COLOUR = "#2ca02c"

#: Decision map: output 0 pale red, 0.5 white, 1 pale blue, matching the class markers
#: (class 0 red squares, class 1 blue crosses) while staying light enough for them to show.
DECISION_STOPS = (0.0, 0.5, 1.0)
DECISION_COLOURS = ("#f08a80", "#ffffff", "#7fa8e8")
CLASS_COLOURS = ("#b00000", "#0b3d91")

#: Log axes must never receive 0: values are clipped at this floor before plotting.
LOG_FLOOR = 1e-12


def configure_pyqtgraph():
    """Global pyqtgraph options; call once before creating any plot."""
    pg.setConfigOptions(antialias=True, background=BACKGROUND, foreground=FOREGROUND,
                       segmentedLineMode="on")


def pen(colour, width=PEN_WIDTH, style=Qt.PenStyle.SolidLine, alpha=255) -> QPen:
    qcolour = QColor(colour)
    qcolour.setAlpha(alpha)
    result = pg.mkPen(qcolour, width=width, style=style)
    result.setCosmetic(True)
    return result


def hidden_colour(layer: int) -> str:
    return HIDDEN_COLOURS[layer % len(HIDDEN_COLOURS)]


def style_plot(plot_widget: pg.PlotWidget, title: str, y_label: str, x_label="iteration"):
    """Big fonts, a light grid and labelled axes for one panel."""
    item = plot_widget.getPlotItem()
    item.setTitle(title, size=TITLE_SIZE, color=FOREGROUND)
    tick_font = QFont()
    tick_font.setPointSize(TICK_POINT_SIZE)
    label_style = {"font-size": f"{LABEL_POINT_SIZE}pt", "color": FOREGROUND}
    for name, label in (("bottom", x_label), ("left", y_label)):
        axis = item.getAxis(name)
        axis.setTickFont(tick_font)
        axis.setTextPen(FOREGROUND)
        axis.setPen(pen(FOREGROUND, width=1.5))
        if label:
            axis.setLabel(label, **label_style)
        axis.enableAutoSIPrefix(False)
        # Ticks and grid lines down to the minor level only: the sub-minor grid of a log
        # axis is unreadable on a projector and costs a third of every repaint.
        axis.setStyle(maxTickLevel=1)
    # One width for every panel's left axis (the widest log tick), so stacked panels align.
    fit_side_label(item, item.getAxis("left"), widest_value="0.0001")
    _widen_margins(item, bottom=LABEL_SPACE)
    item.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    item.setMenuEnabled(False)
    item.hideButtons()


def _widen_margins(item: pg.PlotItem, left=0, right=0, bottom=0):
    old_left, top, old_right, old_bottom = item.layout.getContentsMargins()
    item.layout.setContentsMargins(old_left + left, top, old_right + right, old_bottom + bottom)


def fit_side_label(item: pg.PlotItem, axis: pg.AxisItem, widest_value: str):
    """Size a left or right axis so that its label sits beside the tick values, not on them.

    pyqtgraph sizes an axis for only 0.8 of its label's height, so a projector-sized label
    overlaps the values; the panel's margin takes the LABEL_NUDGE the label sticks out.
    """
    style = axis.style
    values_width = (max(0, style["tickLength"]) + style["tickTextOffset"][0]
                    + QFontMetrics(style["tickFont"]).horizontalAdvance(widest_value))
    axis.setWidth(int(values_width + axis.label.boundingRect().height() - LABEL_NUDGE + 2))
    _widen_margins(item, **{axis.orientation: LABEL_SPACE})


def legend(plot_widget: pg.PlotWidget, columns=1, corner="top") -> pg.LegendItem:
    """A legend in the top- or bottom-right corner, readable, on a translucent background."""
    result = plot_widget.getPlotItem().addLegend(
        offset=(-10, 10 if corner == "top" else -10), labelTextSize=f"{TICK_POINT_SIZE}pt",
        colCount=columns,
        brush=pg.mkBrush(255, 255, 255, 200), pen=pen("#909090", width=1),
        labelTextColor=FOREGROUND,
    )
    return result
