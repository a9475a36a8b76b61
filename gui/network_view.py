"""Network panel: the diagram (gui.network_diagram) under a legend and an input selector,
and, once a hidden neuron is clicked, the maps of its layer's units over the input plane."""

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from engine.datasets import INPUTS
from engine.grid import DEFAULT_BOX
from engine.neuron_maps import colour_levels, neuron_maps, unit_values
from gui import theme as themes
from gui.help_pages import title_tooltip
from gui.legend import Entry, Legend
from gui.network_diagram import NetworkDiagram, number, unit_name

#: A map strip's caption and names take a line each only while the maps stay this many
#: lines tall with them.
MIN_LINES = 2.5
#: The selector's last entry: a and h averaged over the four inputs.
BATCH_MEAN = "batch mean"
#: What h is of a, by the hidden activation's name; the output is always σ.
FORMULAS = {"sigmoid": "σ(a)", "tanh": "tanh(a)", "relu": "max(0, a)"}


class NetworkView(QWidget):
    """The network as neurons and connections, shaded for the input chosen in
    ``network_input``; a click on a hidden neuron shows its layer's maps."""

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("network_view")
        self._frame = None
        self.legend = Legend(QLabel("Network"), self)
        self.legend.title.setToolTip(title_tooltip("network"))
        self.input_box = QComboBox()
        self.input_box.setObjectName("network_input")
        self.input_box.addItems([f"({number(x1, 'g')}, {number(x2, 'g')})" for x1, x2 in INPUTS]
                                + [BATCH_MEAN])
        self.input_box.setToolTip("The training input the neurons are shaded for, their "
                                  "values and tooltips; batch mean: averaged over all four")
        self.diagram = NetworkDiagram(theme, self._describe)
        self.maps = MapStrip(theme)
        self.maps.hide()
        row = QHBoxLayout()
        row.setContentsMargins(8, 0, 8, 0)
        row.addWidget(QLabel("Input"))
        row.addWidget(self.input_box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.legend)
        layout.addLayout(row)
        layout.addWidget(self.diagram, stretch=3)
        layout.addWidget(self.maps, stretch=3)
        self.input_box.currentIndexChanged.connect(self._on_input_changed)
        self.diagram.neuron_clicked.connect(self._on_neuron_clicked)
        self.maps.unit_clicked.connect(self._on_map_clicked)
        self.apply_theme(theme)

    # View protocol ----------------------------------------------------------------------
    def apply_theme(self, theme: themes.Theme):
        self.setFont(theme.font(theme.ui_point_size))
        self.setPalette(themes.palette(theme))
        self.setAutoFillBackground(True)
        self.legend.apply_theme(theme)
        # Widest as the diagram's widest connection, so that the sample reads as a weight.
        width = 4 * theme.zoom / 100
        negative, positive = theme.class_colours
        self.legend.show_entries([Entry("w > 0", positive, width),
                                  Entry("w < 0", negative, width)])
        self.diagram.apply_theme(theme)
        self.maps.apply_theme(theme)

    def show_frame(self, frame):
        before = self._frame
        self._frame = frame
        self.diagram.set_frame(frame, self.sample)
        if self.diagram.selected is None:
            self.maps.hide()
        elif before is None or frame.decision is not before.decision:
            # With the decision map, as often as the session refreshes it: per frame, a
            # 16-wide layer's maps would cost a few ms more while training.
            self._show_maps()

    # What is shown ----------------------------------------------------------------------
    @property
    def sample(self) -> int | None:
        """The training input shown (a row of the truth table), None for the batch mean."""
        index = self.input_box.currentIndex()
        return None if index == len(INPUTS) else index

    def neuron_at(self, column: int, unit: int):
        """How neuron ``unit`` of diagram column ``column`` (0 the inputs) is drawn: a
        gui.network_diagram.NeuronLook, its centre in the diagram's coordinates."""
        return self.diagram.neuron(column, unit)

    def connection_at(self, layer: int, i: int, j: int):
        """How the weight ``snapshot.layers[layer][0][i, j]`` is drawn (ConnectionLook)."""
        return self.diagram.connection(layer, i, j)

    @property
    def counts(self) -> tuple[int, int]:
        """(neurons, connections) drawn."""
        return self.diagram.counts

    @property
    def shown_maps(self):
        """(diagram column, clicked unit, the maps drawn (n, R, R)), or None when hidden."""
        if not self.maps.isVisibleTo(self) or self.diagram.selected is None:
            return None
        column, unit = self.diagram.selected
        return column, unit, self.maps.values

    def _describe(self, item) -> str:
        """The tooltip of a diagram item: ("neuron", column, unit) or ("connection", layer,
        i, j)."""
        kind, *where = item
        frame = self._frame
        sizes = frame.snapshot.config.layer_sizes
        if kind == "connection":
            updates = None if frame.anatomy is None else frame.anatomy.updates
            return connection_tooltip(sizes, *where, frame.snapshot, updates)
        column, unit = where
        if frame.anatomy is None:
            return unit_name(sizes, column, unit)
        sample = self.sample
        pre, post = unit_values(frame.anatomy, sample)
        return neuron_tooltip(sizes, column, unit,
                              None if sample is None else frame.anatomy.x[sample],
                              pre[column - 1][unit] if column else None, post[column][unit],
                              frame.snapshot.config.activation)

    # Handlers ---------------------------------------------------------------------------
    def _on_input_changed(self, _index: int):
        if self._frame is not None:
            self.diagram.set_frame(self._frame, self.sample)

    def _on_neuron_clicked(self, column: int, unit: int):
        """Show the clicked neuron's layer; clicking the neuron shown again hides them."""
        if self.diagram.selected == (column, unit):
            self.diagram.select(None)
            self.maps.hide()
            return
        self.diagram.select((column, unit))
        self._show_maps()
        self.maps.show()

    def _on_map_clicked(self, unit: int):
        column, shown = self.diagram.selected
        if unit != shown:
            self._on_neuron_clicked(column, unit)

    def _show_maps(self):
        column, unit = self.diagram.selected
        snapshot = self._frame.snapshot
        config = snapshot.config
        maps = neuron_maps(snapshot.layers, config.activation, column - 1)
        sizes = config.layer_sizes
        levels = colour_levels(config.activation, column, len(sizes), maps)
        names = [unit_name(sizes, column, k) for k in range(len(maps))]
        caption = f"Hidden layer {column} over the input plane (x₁ across, x₂ up)"
        self.maps.set_maps(maps, levels, names, unit, caption,
                           self._frame.anatomy.y[:, 0] if self._frame.anatomy else None)


class MapStrip(QWidget):
    """Small heatmaps, one per unit of a layer, the chosen one framed; the four training
    inputs marked in their class's colour. Clicking a map emits ``unit_clicked(unit)``."""

    unit_clicked = Signal(int)

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("network_maps")
        self.setMinimumHeight(60)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it fills itself
        self.values = None       # the maps (n, R, R), as the engine gave them
        self._levels = None      # the values at the colour scale's ends
        self._images, self._names, self._chosen, self._caption = [], [], None, ""
        self._targets = None     # the training inputs' targets, for their markers
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        self._theme = theme
        colours = theme.decision_colours().getLookupTable(0.0, 1.0, 256, alpha=False)
        self._table = [QColor(*map(int, rgb)).rgb() for rgb in colours]
        self._font = theme.font(theme.ui_point_size)
        scale = theme.zoom / 100
        self._frames = (themes.pen(theme.foreground, scale),
                        themes.pen(theme.highlight_colour, 3 * scale))
        self._marker_edge = themes.pen(theme.class_edge, 1)
        self._marker_fills = [QColor(colour) for colour in theme.class_colours]
        if self.values is not None:  # recoloured
            self.set_maps(self.values, self._levels, self._names, self._chosen, self._caption,
                          self._targets)
        self.update()

    def set_maps(self, maps, levels, names, chosen: int, caption: str, targets):
        """Draw ``maps`` (n, R, R), row 0 at the bottom, coloured from ``levels[0]`` to
        ``levels[1]``."""
        low, high = levels
        self.values, self._levels = maps, levels
        shades = np.clip((maps - low) / (high - low) * 255, 0, 255).astype(np.uint8)
        self._images = []
        for shade in shades:
            rows = np.ascontiguousarray(shade[::-1])  # image row 0 is the top: y_max
            side = rows.shape[0]
            image = QImage(rows.data, side, side, side, QImage.Format.Format_Indexed8)
            image.setColorTable(self._table)
            # In colour once: an indexed image is converted on every paint (0.2 ms a map).
            self._images.append(image.convertToFormat(QImage.Format.Format_RGB32))
        self._names, self._chosen, self._caption, self._targets = names, chosen, caption, targets
        self.setToolTip(f"{caption}; the dots are the training inputs, in their target's "
                        "colour. Click a map to choose its unit.")
        self.update()

    def image(self, unit: int) -> QImage:
        """The map drawn for ``unit``, top row y_max."""
        return self._images[unit]

    def _arrangement(self):
        """(caption height, name height, the maps' rectangles): the largest square maps
        that fit, in as many rows as make them largest. The caption and the names take a
        line each while the maps stay at least MIN_LINES lines tall with them (the strip's
        tooltip holds the caption): below that the maps are what is worth the room."""
        metrics = QFontMetricsF(self._font)
        line, gap, n = metrics.height(), 6 * self._theme.zoom / 100, len(self._images)
        widest = max((metrics.horizontalAdvance(name) for name in self._names), default=0)
        for caption, named in ((line, line), (line, 0.0), (0.0, 0.0)):
            side, rows = max((min((self.width() - gap) / math.ceil(n / rows) - gap,
                                  (self.height() - caption - gap) / rows - named - gap), rows)
                             for rows in range(1, n + 1))
            if (not named or widest <= side + gap) and (side >= MIN_LINES * line or not caption):
                break
        columns = math.ceil(n / rows)
        rects = [QRectF(gap + (k % columns) * (side + gap),
                        caption + gap + (k // columns) * (side + named + gap), side, side)
                 for k in range(n)]
        return caption, named, rects

    def paintEvent(self, event):
        painter = QPainter(self)
        theme = self._theme
        painter.fillRect(self.rect(), QColor(theme.background))
        line, named, rects = self._arrangement()
        painter.setFont(self._font)
        painter.setPen(QColor(theme.foreground))
        if line:
            caption = painter.fontMetrics().elidedText(
                self._caption, Qt.TextElideMode.ElideRight, self.width() - 8)
            painter.drawText(QRectF(4, 0, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft,
                             caption)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if rects and rects[0].width() < 4:
            painter.end()
            return
        for unit, (image, rect) in enumerate(zip(self._images, rects)):
            painter.drawImage(rect, image)
            self._paint_inputs(painter, rect)
            chosen = unit == self._chosen
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(self._frames[chosen])
            painter.drawRect(rect)
            if named:
                painter.setPen(QColor(theme.foreground))
                painter.drawText(QRectF(rect.left() - 3, rect.bottom() + 1, rect.width() + 6,
                                        named), Qt.AlignmentFlag.AlignHCenter,
                                 self._names[unit])
        painter.end()

    def _paint_inputs(self, painter: QPainter, rect: QRectF):
        """The four training inputs as dots in their target's colour, where they lie in
        the box."""
        if self._targets is None:
            return
        x_min, x_max, y_min, y_max = DEFAULT_BOX
        radius = max(2.0, rect.width() / 30)
        painter.setPen(self._marker_edge)
        for (x1, x2), target in zip(INPUTS.tolist(), self._targets.tolist()):
            painter.setBrush(self._marker_fills[int(target >= 0.5)])
            centre = QPointF(rect.left() + (x1 - x_min) / (x_max - x_min) * rect.width(),
                             rect.bottom() - (x2 - y_min) / (y_max - y_min) * rect.height())
            painter.drawEllipse(centre, radius, radius)

    def mousePressEvent(self, event):
        for unit, rect in enumerate(self._arrangement()[2]):
            if rect.contains(event.position()):
                self.unit_clicked.emit(unit)
                return
        super().mousePressEvent(event)


# Tooltips -----------------------------------------------------------------------------
def _role(sizes, column: int, unit: int) -> str:
    if column == 0:
        return f"input {unit + 1}"
    if column == len(sizes) - 1:
        return "the output"
    return f"hidden layer {column}, unit {unit + 1}"


def neuron_tooltip(sizes, column: int, unit: int, x, a, h, activation: str) -> str:
    """A neuron's name, the input it is shown for (``x``, None: the batch mean) and its
    pre-activation ``a`` (None for an input) and activation ``h``."""
    name = unit_name(sizes, column, unit)
    lines = [f"{name}: {_role(sizes, column, unit)}"]
    mean = x is None
    lines.append("mean over the four inputs" if mean
                 else f"input ({number(x[0], 'g')}, {number(x[1], 'g')})")
    prefix = "mean " if mean else ""
    if a is None:
        lines.append(f"{prefix}{name} = {number(h)}")
        return "\n".join(lines)
    output = column == len(sizes) - 1
    formula = FORMULAS["sigmoid" if output else activation]
    lines += [f"{prefix}a = {number(a)}   (pre-activation: weighted inputs + bias)",
              f"{prefix}h = {number(h)}   (activation: h = {formula})"]
    if not output:
        lines.append("click: this layer's units over the input plane (again: hide them)")
    return "\n".join(lines)


def connection_tooltip(sizes, layer: int, i: int, j: int, snapshot, updates) -> str:
    """A connection's ends and its weight w, gradient ∂E/∂w and, when known (``updates``,
    the anatomy's), the change Δw the next update makes to it."""
    ends = f"{unit_name(sizes, layer, i)} → {unit_name(sizes, layer + 1, j)}"
    lines = [f"weight {ends}",
             f"w = {number(snapshot.layers[layer][0][i, j])}",
             f"∂E/∂w = {number(snapshot.gradients[layer][0][i, j])}"]
    if updates is not None:
        lines.append(f"next update Δw = {number(updates[layer][0][i, j])}")
    return "\n".join(lines)
