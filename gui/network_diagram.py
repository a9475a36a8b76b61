"""The network drawn as neurons in columns joined by weighted connections, painted by hand.

A 16×16×16×16 network has 816 connections: as QGraphicsItems each would be a Python object
to restyle on every frame and a separate paint. Painted here, a frame costs a few numpy
operations and one ``drawLines`` per (sign, width step), whatever the network's size; the
geometry is laid out once per network shape, widget size and theme.

Columns are numbered inputs first (0 the inputs x, l = 1…L the units of layer l, L the
output ŷ) and connections by the layer they belong to (0 = x → first hidden layer), as
``snapshot.layers``: connection (layer, i, j) carries w = layers[layer][0][i, j].
"""

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from engine.neuron_maps import colour_levels, unit_values
from gui import theme as themes

#: |w| at which a connection is drawn at its widest: the tutorial's trained weights are ~2–7,
#: its starting ones under 1, so both ends of a run are told apart.
WIDE_WEIGHT = 4.0
#: Connection widths (px at zoom 100 %): the thinnest still seen, the widest, and the step
#: widths are rounded to (one pen, one ``drawLines`` per step and sign).
THIN, WIDE, WIDTH_STEP = 0.75, 7.0, 0.5
#: A neuron's radius (px at zoom 100 %) at most, and as shares of its row and column gaps.
RADIUS, ROW_SHARE, COLUMN_SHARE = 24.0, 0.42, 0.3
#: Connections between two columns with more than this many are drawn paler (down to FAINT
#: of their colour, the rest the background's, for 16 × 16), so that a dense layer's lines
#: do not fill the gap with one solid colour; and opaque, with hard edges: a 16×16×16×16
#: network's 816 lines at 900×600 took 45 ms to paint translucent, 8 ms opaque and smooth,
#: 2 ms opaque and hard-edged.
DENSE, FAINT = 16, 0.35
#: Hard-edged lines exactly 1 px wide take a slow path in Qt (5× the time of 1.01 px:
#: 4 ms for a 16-wide network's lines): they are drawn this wide at least.
HARD_THINNEST = 1.25


@dataclass(frozen=True)
class NeuronLook:
    """One neuron as drawn: its centre and radius (px), fill, the value written in it (or
    ""), and its tooltip."""

    centre: QPointF
    radius: float
    fill: QColor
    text: str
    tooltip: str


@dataclass(frozen=True)
class ConnectionLook:
    """One connection as drawn: its line, colour, width (px) and tooltip."""

    line: QLineF
    colour: QColor
    width: float
    tooltip: str


@dataclass
class _Layout:
    """Where everything goes, for one network shape, widget size and theme."""

    centres: list      # per column (n, 2) px
    radii: list        # per column
    lines: list        # per layer [QLineF], i-major as w.ravel()
    ends: list         # per layer (n_in · n_out, 4) x0, y0, x1, y1 for hit tests
    widest: list       # per layer, the widest its connections may be drawn (px)
    outlines: list     # per column (pen, chosen pen): thinner round small neurons


@dataclass
class _Looks:
    """How the values shown are drawn."""

    neurons: list      # per column [(fill, ink, text)]
    fonts: list        # per column, the font its values are written in
    connections: list  # per layer (width steps, signs ≥ 0), i-major as w.ravel()
    pens: list         # [(pen, [QLineF], smooth)], thinnest first


class NetworkDiagram(QWidget):
    """Neurons shaded by their activation for one input; connections by the sign and size
    of their weight. Clicking a hidden neuron emits ``neuron_clicked(column, unit)``;
    ``describe(item)`` writes the tooltip of an item (as ``item_at`` names it)."""

    neuron_clicked = Signal(int, int)

    def __init__(self, theme: themes.Theme, describe, parent=None):
        super().__init__(parent)
        self._describe = describe
        self.setObjectName("network_diagram")
        self.setMouseTracking(True)  # the pointing hand over clickable neurons
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it fills itself
        self.setMinimumSize(160, 80)  # a tab in the side panel: short on a 720-line screen
        self._frame = None
        self._sample = 0
        self._sizes = None          # the drawn network's layer sizes
        self._layout = None
        self._looks = None          # how the values shown are drawn (_Looks)
        self.selected = None        # (column, unit) of the neuron whose map is shown
        self.apply_theme(theme)

    # Feeding ----------------------------------------------------------------------------
    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
        scale = theme.zoom / 100
        colours = theme.decision_colours().getLookupTable(0.0, 1.0, 256, alpha=False)
        self._palette = [QColor(*map(int, rgb)) for rgb in colours]
        # Values written on a fill: black on its light half, white on its dark half.
        self._ink = [QColor("#000000" if c.lightnessF() > 0.55 else "#ffffff")
                     for c in self._palette]
        self._label_font = theme.font(theme.label_point_size)
        # Values in the UI's size, or a little smaller rather than not at all.
        self._value_fonts = [theme.font(theme.ui_point_size * share) for share in (1, 0.8)]
        self._widths = (THIN * scale, WIDE * scale, WIDTH_STEP * scale)
        self._layout = self._looks = None
        self.update()

    def set_frame(self, frame, sample: int | None):
        """Draw ``frame`` for training input ``sample`` (None: the batch mean); nothing is
        redone while neither changed."""
        if frame.snapshot is (self._frame and self._frame.snapshot) and sample == self._sample:
            self._frame = frame
            return
        sizes = frame.snapshot.config.layer_sizes
        if sizes != self._sizes:
            self._sizes, self._layout = sizes, None
            self.selected = None
        self._frame, self._sample, self._looks = frame, sample, None
        self.update()

    def select(self, neuron):
        self.selected = neuron
        self.update()

    # What is drawn (for tooltips and tests) ---------------------------------------------
    def neuron(self, column: int, unit: int) -> NeuronLook:
        layout, looks = self._prepared()
        x, y = layout.centres[column][unit]
        fill, _, text = looks.neurons[column][unit]
        return NeuronLook(QPointF(x, y), layout.radii[column], fill, text,
                          self._describe(("neuron", column, unit)))

    @property
    def counts(self) -> tuple[int, int]:
        """(neurons, connections) drawn."""
        layout, _ = self._prepared()
        return sum(map(len, layout.centres)), sum(map(len, layout.lines))

    def connection(self, layer: int, i: int, j: int) -> ConnectionLook:
        layout, looks = self._prepared()
        n_out = self._sizes[layer + 1]
        index = i * n_out + j
        steps, signs = looks.connections[layer]
        colour = QColor(self._theme.class_colours[int(signs[index])])
        width = self._drawn_width(int(steps[index]), self._sizes, layer)
        return ConnectionLook(layout.lines[layer][index], colour, width,
                              self._describe(("connection", layer, i, j)))

    def item_at(self, point: QPointF):
        """("neuron", column, unit) or ("connection", layer, i, j) under ``point``, or None.
        Neurons first: they are drawn over the connections."""
        if self._frame is None:
            return None
        layout, looks = self._prepared()
        px, py = point.x(), point.y()
        for column, (centres, radius) in enumerate(zip(layout.centres, layout.radii)):
            distance = np.hypot(centres[:, 0] - px, centres[:, 1] - py)
            unit = int(np.argmin(distance))
            if distance[unit] <= radius + 1:
                return ("neuron", column, unit)
        for layer, ends in enumerate(layout.ends):
            if not ends[0, 0] <= px <= ends[0, 2]:
                continue
            distance = _segment_distance(ends, px, py)
            index = int(np.argmin(distance))
            width = self._drawn_width(int(looks.connections[layer][0][index]), self._sizes,
                                      layer)
            if distance[index] <= max(4 * self._theme.zoom / 100, width / 2 + 2):
                n_out = self._sizes[layer + 1]
                return ("connection", layer, index // n_out, index % n_out)
        return None

    def tooltip_at(self, point: QPointF) -> str:
        item = self.item_at(point)
        return "" if item is None else self._describe(item)

    # Layout and looks -------------------------------------------------------------------
    def _prepared(self):
        if self._layout is None:
            self._layout = self._lay_out()
        if self._looks is None:
            self._looks = self._look()
        return self._layout, self._looks

    def _lay_out(self) -> _Layout:
        sizes, theme = self._sizes, self._theme
        scale = theme.zoom / 100
        metrics = QFontMetricsF(self._label_font)
        pad = 6 * scale
        left = metrics.horizontalAdvance("x₂") + 2 * pad
        right = metrics.horizontalAdvance("ŷ") + 2 * pad
        width, height = max(1, self.width() - left - right), max(1, self.height() - 2 * pad)
        gap = width / len(sizes)
        centres, radii = [], []
        for column, n in enumerate(sizes):
            row = height / n
            ys = pad + row * (np.arange(n) + 0.5)
            xs = np.full(n, left + gap * (column + 0.5))
            centres.append(np.column_stack([xs, ys]))
            radius = min(RADIUS * scale, ROW_SHARE * row, COLUMN_SHARE * gap)
            radii.append(radius)
        # An outline at most a fifth of the radius: a 16-wide layer's neurons at 200 % are
        # ~5 px, which a 3 px outline would leave no fill to see.
        outlines = [(themes.pen(theme.foreground, min(theme.axis_width, max(1.0, r / 5))),
                     themes.pen(theme.highlight_colour, min(2.5 * theme.axis_width,
                                                            max(2.0, r / 2))))
                    for r in radii]
        lines, ends, widest = [], [], []
        thin, wide, _ = self._widths
        for layer in range(len(sizes) - 1):
            start, end = centres[layer], centres[layer + 1]
            pairs = np.array([(*a, *b) for a in start for b in end])  # i-major
            lines.append([QLineF(*pair) for pair in pairs])
            ends.append(pairs)
            rows = min(height / sizes[layer], height / sizes[layer + 1])
            widest.append(max(2 * thin, min(wide, 0.35 * rows)))
        return _Layout(centres, radii, lines, ends, widest, outlines)

    def _look(self) -> _Looks:
        """Each neuron's fill, ink and written value; each connection's colour and width;
        the connections grouped by pen, thinnest first (strong weights are drawn on top)."""
        frame, sizes, theme, layout = self._frame, self._sizes, self._theme, self._layout
        values = None if frame.anatomy is None else unit_values(frame.anatomy, self._sample)[1]
        neurons, fonts = [], []
        for column, n in enumerate(sizes):
            if values is None:
                neurons.append([(QColor(theme.field_colour), QColor(theme.foreground), "")] * n)
                fonts.append(self._value_fonts[0])
                continue
            low, high = colour_levels(frame.snapshot.config.activation, column, len(sizes),
                                      values[column])
            shades = np.clip((values[column] - low) / (high - low) * 255, 0, 255).astype(int)
            written = [number(v, ".2f") for v in values[column]]
            font = self._fitting_font(written, layout.radii[column])
            fonts.append(font or self._value_fonts[0])
            if font is None:
                written = [""] * n
            neurons.append([(self._palette[s], self._ink[s], text)
                            for s, text in zip(shades.tolist(), written)])
        thin, _, step = self._widths
        groups, connections = {}, []
        for layer, (w, _) in enumerate(frame.snapshot.layers):
            flat = w.ravel()
            widths = np.clip(np.abs(flat) / WIDE_WEIGHT * layout.widest[layer],
                             thin, layout.widest[layer])
            steps = np.maximum(np.round(widths / step).astype(int), 1)
            signs = flat >= 0
            connections.append((steps, signs))
            strength = _strength(flat.size)
            # One run of connections per (width step, sign), found in numpy: a Python loop
            # over a 16-wide network's 816 connections cost a millisecond a frame.
            keys = steps * 2 + signs
            order = np.argsort(keys, kind="stable")
            starts = np.flatnonzero(np.diff(keys[order], prepend=-1))
            lines = layout.lines[layer]
            for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(order)]):
                key = int(keys[order[start]])
                groups.setdefault((key // 2, bool(key % 2), strength), []).extend(
                    lines[i] for i in order[start:end].tolist())
        positive, negative = (QColor(c) for c in reversed(theme.class_colours))
        pens = []
        for (k, sign, strength), lines in sorted(groups.items()):
            colour = _mixed(positive if sign else negative, QColor(theme.background), strength)
            pen = themes.pen(colour, k * step if strength == 1.0 else max(k * step, HARD_THINNEST))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pens.append((pen, lines, strength == 1.0))
        return _Looks(neurons, fonts, connections, pens)

    def _drawn_width(self, k: int, sizes, layer: int) -> float:
        """The width (px) a connection of width step ``k`` in ``layer`` is drawn at."""
        width = k * self._widths[2]
        dense = _strength(sizes[layer] * sizes[layer + 1]) < 1.0
        return max(width, HARD_THINNEST) if dense else width

    def _fitting_font(self, texts, radius: float):
        """The largest value font all ``texts`` fit inside a circle of ``radius`` in, or
        None."""
        room = 1.6 * radius  # clear of the outline, where the circle is narrower
        for font in self._value_fonts:
            metrics = QFontMetricsF(font)
            if metrics.capHeight() * 1.4 <= room and all(
                    metrics.horizontalAdvance(text) <= room for text in texts):
                return font
        return None

    # Qt ---------------------------------------------------------------------------------
    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._layout = self._looks = None

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self._theme.background))
        if self._frame is None:
            painter.end()
            return
        layout, looks = self._prepared()
        for pen, lines, smooth in looks.pens:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
            painter.setPen(pen)
            painter.drawLines(lines)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for column, (centres, radius) in enumerate(zip(layout.centres, layout.radii)):
            painter.setFont(looks.fonts[column])
            outline, chosen_outline = layout.outlines[column]
            for unit, ((x, y), (fill, ink, text)) in enumerate(
                    zip(centres.tolist(), looks.neurons[column])):
                chosen = self.selected == (column, unit)
                painter.setPen(chosen_outline if chosen else outline)
                painter.setBrush(fill)
                painter.drawEllipse(QPointF(x, y), radius, radius)
                if text:
                    painter.setPen(ink)
                    box = QRectF(x - radius, y - radius, 2 * radius, 2 * radius)
                    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        self._paint_labels(painter, layout)
        painter.end()

    def _paint_labels(self, painter: QPainter, layout: _Layout):
        """x₁, x₂ left of the inputs and ŷ right of the output."""
        painter.setFont(self._label_font)
        painter.setPen(QColor(self._theme.foreground))
        metrics = QFontMetricsF(self._label_font)
        pad = 6 * self._theme.zoom / 100
        last = len(self._sizes) - 1
        for column, align in ((0, Qt.AlignmentFlag.AlignRight),
                              (last, Qt.AlignmentFlag.AlignLeft)):
            radius = layout.radii[column]
            for unit, (x, y) in enumerate(layout.centres[column].tolist()):
                name = unit_name(self._sizes, column, unit)
                room = metrics.horizontalAdvance(name) + pad
                left = x - radius - pad - room if column == 0 else x + radius + pad
                box = QRectF(left, y - metrics.height(), room, 2 * metrics.height())
                painter.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, name)

    def event(self, event):
        if event.type() == event.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event):
        item = self.item_at(event.position())
        hand = item is not None and self._clickable(item)
        self.setCursor(Qt.CursorShape.PointingHandCursor if hand else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event):
        item = self.item_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and item and self._clickable(item):
            self.neuron_clicked.emit(item[1], item[2])
            return
        super().mousePressEvent(event)

    def _clickable(self, item) -> bool:
        return item[0] == "neuron" and 0 < item[1] < len(self._sizes) - 1


def _strength(count: int) -> float:
    """The share of its colour a layer of ``count`` connections is drawn with: 1 up to
    DENSE, then less (down to FAINT) the more there are."""
    return round(max(FAINT, min(1.0, (DENSE / count) ** 0.5)), 2)


def _mixed(colour: QColor, background: QColor, share: float) -> QColor:
    """``share`` of ``colour`` over ``background``, opaque."""
    return QColor.fromRgbF(*(share * a + (1 - share) * b for a, b in zip(
        colour.getRgbF()[:3], background.getRgbF()[:3])))


def _segment_distance(ends: np.ndarray, px: float, py: float) -> np.ndarray:
    """Distance (px) from the point to each segment (x0, y0, x1, y1) of ``ends``."""
    start, delta = ends[:, :2], ends[:, 2:] - ends[:, :2]
    point = np.array([px, py])
    length = np.maximum((delta ** 2).sum(axis=1), 1e-12)
    along = np.clip(((point - start) * delta).sum(axis=1) / length, 0.0, 1.0)
    nearest = start + along[:, None] * delta
    return np.hypot(*(nearest - point).T)


# Names --------------------------------------------------------------------------------
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def number(value: float, spec: str = ".4g") -> str:
    """A value as written: ``spec`` (four significant digits), with a true minus sign."""
    return format(float(value), spec).replace("-", "−")


def unit_name(sizes, column: int, unit: int) -> str:
    """x₁, x₂ for the inputs, ŷ for the output; h₂ for unit 2 of the only hidden layer,
    h₂,₃ for unit 3 of hidden layer 2 when there are more."""
    if column == 0:
        return "x" + str(unit + 1).translate(_SUBSCRIPT)
    if column == len(sizes) - 1:
        return "ŷ"
    unit_digits = str(unit + 1).translate(_SUBSCRIPT)
    if len(sizes) == 3:
        return "h" + unit_digits
    return f"h{str(column).translate(_SUBSCRIPT)},{unit_digits}"
