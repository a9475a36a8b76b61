"""Theme: colours, fonts and pens sized for a projector, as one value views can be given.

Views take a Theme in ``apply_theme`` and restyle what they already hold, so a theme (or a
zoom, which is a theme with larger sizes) can change while the window runs. LIGHT is the
default: readable from the back of a lecture hall.
"""

from dataclasses import dataclass, field, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QPen

from gui.grid_axis import GridAxis

#: pyqtgraph draws an axis's label this many pixels beyond the axis's outer edge …
LABEL_NUDGE = 5
#: … so a panel's margin beside a labelled axis leaves this much room for it.
LABEL_SPACE = LABEL_NUDGE + 2
#: pyqtgraph's own margin around a PlotItem's layout.
PLOT_MARGIN = 1


#: The zoom steps (per cent) View ▸ Zoom in / Zoom out go through.
ZOOMS = (100, 125, 150, 175, 200, 250, 300)

#: Okabe & Ito's colour-blind-safe palette (2008), by name.
OKABE_ITO = {"orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "reddish purple": "#CC79A7"}


@dataclass(frozen=True)
class Theme:
    name: str = "light"
    #: Per cent of the sizes below at 100 %; ``zoomed`` scales from them.
    zoom: int = 100
    background: str = "#ffffff"
    foreground: str = "#000000"
    #: The Qt widgets' palette: window, fields, disabled text, selection.
    window_colour: str = "#f0f0f0"
    field_colour: str = "#ffffff"
    disabled_colour: str = "#6e6e6e"
    highlight_colour: str = OKABE_ITO["blue"]
    grid_alpha: float = 0.25
    tick_point_size: int = 12
    label_point_size: int = 13
    title_point_size: int = 15
    ui_point_size: int = 11
    #: The presentation readout: iteration and error, readable from the back row.
    readout_point_size: int = 20
    pen_width: float = 2
    #: The gradient and parameter panels draw many overlapping series: at 1 px, as in the
    #: tutorial's plots (lw=1), Qt draws them on its fast path; wider lines go through the
    #: stroker and cost ~5x more per repaint (measured: 6.1 ms vs 1.4 ms per panel).
    series_pen_width: float = 1
    axis_width: float = 1.5
    contour_width: float = 3
    hidden_line_width: float = 1.5
    marker_size: float = 22
    #: This theme at 100 %, which a zoom scales from (scaling the last zoom's rounded
    #: sizes would drift: 13 pt through 125, 150, 175 to 200 % came to 25 pt).
    unzoomed: "Theme | None" = field(default=None, repr=False, compare=False)
    #: Tutorial colours, from Okabe–Ito: blue for the output layer, red (vermillion) for the
    #: hidden layer; deeper nets add one more colour per extra hidden layer.
    output_colour: str = OKABE_ITO["blue"]
    hidden_colours: tuple = (OKABE_ITO["vermillion"], OKABE_ITO["orange"],
                             OKABE_ITO["bluish green"], OKABE_ITO["reddish purple"])
    #: The tutorial's parameter plot: one colour per group (engine.frame.PARAMETER_GROUPS).
    parameter_colours: tuple = ((("output", "w"), OKABE_ITO["blue"]),
                                (("output", "b"), OKABE_ITO["sky blue"]),
                                (("hidden", "w"), OKABE_ITO["vermillion"]),
                                (("hidden", "b"), OKABE_ITO["orange"]))
    #: A group drawn as its range (more series than a person can tell apart): this opaque.
    band_alpha: int = 60
    error_colour: str = "#000000"
    target_colour: str = OKABE_ITO["bluish green"]
    #: Decision map: a perceptually uniform diverging colour map (CET), reversed so that
    #: output 0 is red and 1 blue like the class markers, and only its middle span, light
    #: enough for the markers to stand out at its ends.
    decision_map: str = "CET-D1"
    decision_span: tuple = (0.22, 0.78)
    class_colours: tuple = ("#B33F00", "#005A8F")
    #: The markers' outline, to stand out on either end of the map.
    class_edge: str = "#ffffff"
    contour_colour: str = "#000000"
    hidden_line_colour: str = "#4d4d4d"

    @property
    def series_antialias(self) -> bool:
        """Whether the gradient and parameter panels smooth their lines' edges: only at 1 px.
        A smooth line any wider (a zoom) goes through Qt's stroker; a hard-edged one costs
        what a smooth 1 px line does (a frame of the window at 1920×1080, zoom 200 %, series
        2 px wide: 17 ms hard-edged, 25 ms smooth)."""
        return self.series_pen_width <= 1

    @property
    def error_antialias(self) -> bool:
        """Whether the error curve (``pen_width``) smooths its edges: at 100 % only. Zoomed,
        its steps hide in its width, and hard-edged it skips Qt's stroker: 30.0-34.4
        redraws/s against 28.6-32.2 at 1920×1080, zoom 200 %, with the x range's headroom."""
        return self.pen_width <= 2

    def hidden_colour(self, layer: int) -> str:
        return self.hidden_colours[layer % len(self.hidden_colours)]

    def layer_colour(self, layer: int, n_layers: int) -> str:
        return self.output_colour if layer == n_layers - 1 else self.hidden_colour(layer)

    def parameter_colour(self, group) -> str:
        return dict(self.parameter_colours)[group]

    def font(self, point_size: float, bold: bool = False) -> QFont:
        result = QFont()
        result.setPointSizeF(point_size)
        result.setBold(bold)
        return result

    def zoomed(self, zoom: int) -> "Theme":
        """This theme at ``zoom`` per cent: every font, line width and marker scaled."""
        base = self.unzoomed or self
        scale = zoom / base.zoom
        sizes = {name: round(getattr(base, name) * scale) for name in POINT_SIZES}
        widths = {name: getattr(base, name) * scale for name in WIDTHS}
        return replace(base, zoom=zoom, unzoomed=base, **sizes, **widths)

    def decision_colours(self) -> pg.ColorMap:
        """The decision map's colours from output 0 to output 1."""
        low, high = self.decision_span
        stops = np.linspace(0.0, 1.0, 17)
        colours = pg.colormap.get(self.decision_map).map(high - stops * (high - low), "qcolor")
        return pg.ColorMap(stops, colours)


#: The Theme fields a zoom scales.
POINT_SIZES = ("tick_point_size", "label_point_size", "title_point_size", "ui_point_size",
               "readout_point_size")
WIDTHS = ("pen_width", "series_pen_width", "axis_width", "contour_width",
          "hidden_line_width", "marker_size")

#: The default: projectors wash out dark themes.
LIGHT = Theme()
#: Light on near-black, for screens and dim rooms; the same families of colours, lighter.
DARK = Theme(
    name="dark", background="#121212", foreground="#f2f2f2", window_colour="#1e1e1e",
    field_colour="#2a2a2a", disabled_colour="#9a9a9a", highlight_colour=OKABE_ITO["sky blue"],
    grid_alpha=0.3, output_colour=OKABE_ITO["sky blue"],
    hidden_colours=("#FF7A33", OKABE_ITO["yellow"], "#2FD1A4", OKABE_ITO["reddish purple"]),
    parameter_colours=((("output", "w"), OKABE_ITO["sky blue"]), (("output", "b"), "#B5E0F7"),
                       (("hidden", "w"), "#FF7A33"), (("hidden", "b"), OKABE_ITO["yellow"])),
    band_alpha=80, error_colour="#f2f2f2", target_colour="#2FD1A4",
    # Blue–black–red: a dark middle, so that the map does not glare in a dark room.
    decision_map="CET-D4", decision_span=(0.1, 0.9), class_colours=("#FF8A4D", "#7CCBF5"),
    class_edge="#000000", contour_colour="#ffffff", hidden_line_colour="#c8c8c8")
THEMES = {"light": LIGHT, "dark": DARK}


def palette(theme: Theme) -> QPalette:
    """Qt widgets' colours for ``theme`` (menus, fields, buttons, tooltips)."""
    result = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, theme.window_colour), (roles.Base, theme.field_colour),
                         (roles.AlternateBase, theme.window_colour),
                         (roles.Button, theme.window_colour), (roles.ToolTipBase,
                                                               theme.field_colour),
                         (roles.WindowText, theme.foreground), (roles.Text, theme.foreground),
                         (roles.ButtonText, theme.foreground),
                         (roles.ToolTipText, theme.foreground),
                         (roles.PlaceholderText, theme.disabled_colour),
                         (roles.Highlight, theme.highlight_colour),
                         (roles.HighlightedText, theme.background)):
        result.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.disabled_colour))
    return result


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


def style_plot(plot_widget: pg.PlotWidget, theme: Theme, y_label: str, x_label="iteration",
               right_axis=None):
    """Fonts, a light grid and labelled axes for one panel (its title and legend are Qt
    widgets above it: see gui.legend); ``right_axis`` is a labelled axis beside the plot (a
    colour bar's). Safe to call again with another theme."""
    plot_widget.setBackground(theme.background)
    item = plot_widget.getPlotItem()
    item.setTitle(None)
    for name, label in (("bottom", x_label), ("left", y_label)):
        style_axis(item.getAxis(name), theme, label)
        # Ticks and grid lines down to the minor level only: the sub-minor grid of a log
        # axis is unreadable on a projector and costs a third of every repaint.
        item.getAxis(name).setStyle(maxTickLevel=1)
    # One width for every panel's left axis (the widest log tick), so stacked panels align.
    fit_axis_label(item.getAxis("left"), widest_value="0.0001")
    fit_axis_label(item.getAxis("bottom"))
    right = top = 0
    if right_axis is not None:
        fit_axis_label(right_axis, widest_value="0.8")
        # The bar's top value is centred on its end, half above the plot: room for it.
        right, top = LABEL_SPACE, QFontMetrics(theme.font(theme.tick_point_size)).height() // 2
    item.layout.setContentsMargins(PLOT_MARGIN + LABEL_SPACE, PLOT_MARGIN + top,
                                   PLOT_MARGIN + right, PLOT_MARGIN + LABEL_SPACE)
    fit_labels([item.getAxis("left")] + ([right_axis] if right_axis is not None else []))
    item.showGrid(x=True, y=True, alpha=theme.grid_alpha)
    for name in ("bottom", "left"):
        if isinstance(item.getAxis(name), GridAxis):  # its grid's lines are solid
            item.getAxis(name).background = QColor(theme.background)
    item.setMenuEnabled(False)
    item.hideButtons()


def keep_labels_inside(plot_widget: pg.PlotWidget, *axes: pg.AxisItem):
    """Keep the labels of the vertical ``axes`` fitted (fit_labels) as the plot resizes."""
    plot_widget.getPlotItem().getViewBox().sigResized.connect(lambda *_: fit_labels(axes))


def fit_labels(axes):
    """Hide the label of each vertical axis while it is longer than the axis (a short panel
    at a large zoom) instead of letting it run over the next panel: the panel's title
    says what is plotted."""
    for axis in axes:
        fits = axis.label.boundingRect().width() <= axis.height()
        if axis.label.isVisible() != fits:
            axis.showLabel(fits)


def style_axis(axis: pg.AxisItem, theme: Theme, label: str | None):
    axis.setTickFont(theme.font(theme.tick_point_size))
    axis.setTextPen(theme.foreground)
    axis.setPen(pen(theme.foreground, width=theme.axis_width))
    if label:
        # No SI prefix anywhere: pyqtgraph recomputes the prefix's scale whenever the label
        # is set, even with auto-prefix off, and a restyled log axis over (0, 1) then shows
        # its values ×1000 (milli) with no prefix in the label.
        axis.setLabel(label, siPrefixEnableRanges=(),
                      **{"font-size": f"{theme.label_point_size}pt", "color": theme.foreground})
    axis.enableAutoSIPrefix(False)
    # pyqtgraph spaces ticks by the axis's length in pixels alone: at a zoom the labels are
    # wider, so as many ticks as the axis would get at its length without the zoom.
    axis.setTickDensity((100 / theme.zoom) ** 0.5)


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
