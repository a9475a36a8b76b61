"""Backprop inspector: one iteration's numbers beside the tutorial's formulas, step by step.

For a chosen sample, or the whole batch: the forward pass (a_h, y_h, a_o, y_o), the error,
the backward pass (δ_o, δ_h, ∂E/∂w, ∂E/∂b) and the update the next step applies. The numbers
are the frame's: the current state's whole pass (``frame.anatomy``) or, while an iteration
is taken a sample at a time, what its steps computed so far (``frame.inspection``, an
engine.stepper.Inspection; the rest "—"), the last step's rows highlighted. The buttons ask
for those steps; the controller takes them.
"""

import time

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from engine.trainer import Status
from gui import theme as themes
from gui.help_pages import title_tooltip
from gui.inspector_text import (
    BATCH,
    BUTTONS,
    MISSING,
    PER_SAMPLE,
    UPDATES,
    batch_value,
    highlighted,
    hint,
    inputs_text,
    sample_values,
    sections,
    value_text,
)

#: How often the numbers are rewritten while training, at most (seconds).
RUNNING_REFRESH_S = 0.25


class BackpropInspector(QWidget):
    """The tutorial's pass of one iteration, formula by formula, with step buttons."""

    forward_requested = Signal()
    backward_requested = Signal()
    apply_requested = Signal()
    iteration_requested = Signal()

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("backprop_inspector")
        self.setToolTip(title_tooltip("inspector"))
        self.theme = theme
        self._frame = self._shape = self._last_step = self._beside = None
        self._refreshed = float("-inf")
        self._items = []  # in reading order: a heading or caption QLabel, or a row's key
        self._rows = {}  # key -> (formula label, value label)
        self._shown = {}  # key -> (text, highlighted) on screen
        self.sample = QComboBox()
        self.sample.setObjectName("inspector_sample")
        self.sample.setToolTip("The training sample whose numbers are shown, or all four.")
        self.sample.addItems([f"sample {i + 1}" for i in range(4)] + [BATCH])
        self.sample.currentIndexChanged.connect(self._on_sample_chosen)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Sample"))
        chooser.addWidget(self.sample, stretch=1)
        self.buttons = {}
        buttons = QGridLayout()
        signals = (self.forward_requested, self.backward_requested, self.apply_requested,
                   self.iteration_requested)
        for index, ((name, text, tip), signal) in enumerate(zip(BUTTONS, signals)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button, index // 2, index % 2)
            self.buttons[name] = button
        self.hint = QLabel()
        self.hint.setObjectName("inspector_hint")
        self.hint.setWordWrap(True)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.viewport().installEventFilter(self)
        # Short enough for a tab on a 720-line screen: the numbers scroll, the controls stay.
        self.scroll.setMinimumHeight(40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(chooser)
        layout.addLayout(buttons)
        layout.addWidget(self.scroll, stretch=1)
        self._enable(None, finished=False)
        self.apply_theme(theme)

    @property
    def chosen(self):
        """The chosen sample's index, or None for the whole batch."""
        index = self.sample.currentIndex()
        return None if index == self.sample.count() - 1 else index

    # Frames -------------------------------------------------------------------------------
    def show_frame(self, frame):
        # While training, the numbers change faster than anyone reads them, and writing every
        # row takes ~8 ms: a few times a second is enough. A paused frame is always drawn.
        now = time.monotonic()
        if frame.running and now - self._refreshed < RUNNING_REFRESH_S:
            return
        self._refreshed = now
        self._frame = frame
        inspection = frame.inspection
        config = frame.snapshot.config
        shape = (config.layer_sizes, config.activation, config.loss, config.bias_update)
        if shape != self._shape:
            self._shape = shape
            self._build(sections(config))
        if frame.anatomy is not None:
            for i, (x, y) in enumerate(zip(frame.anatomy.x, frame.anatomy.y[:, 0])):
                text = f"x = {inputs_text(x)}, y = {y:g}"
                if self.sample.itemText(i) != text:
                    self.sample.setItemText(i, text)
        last = None if inspection is None else inspection.last
        if last != self._last_step:
            self._last_step = last
            # Stepping a sample shows that sample, unless the whole batch is being watched.
            if last is not None and last[1] is not None and self.chosen is not None:
                self.sample.blockSignals(True)
                self.sample.setCurrentIndex(last[1])
                self.sample.blockSignals(False)
        timeline = frame.timeline
        self._enable(inspection, finished=frame.snapshot.status is not Status.RUNNING,
                     recorded=timeline is not None and not timeline.live)
        if self.hint.text() != (text := hint(frame)):
            self.hint.setText(text)
        self._show_values()

    def _enable(self, inspection, finished: bool, recorded: bool = False):
        """Buttons per the inspection's can_* flags; no update once the run has stopped;
        none on a ``recorded`` moment (the history scrubber's): the steps act on the live
        run, and pressing one would jump there unasked."""
        can = (True, False, False) if inspection is None else (
            inspection.can_forward, inspection.can_backward, inspection.can_apply)
        for (name, _, _), enabled in zip(BUTTONS, (*can, True)):
            self.buttons[name].setEnabled(
                enabled and not recorded and not (finished and name in UPDATES))

    def _on_sample_chosen(self, _index):
        if self._frame is not None:
            self._show_values()

    def _show_values(self):
        frame, sample = self._frame, self.chosen
        labels = [inputs_text(x) for x in frame.anatomy.x] if frame.anatomy is not None \
            else [f"{i + 1}" for i in range(4)]
        marked = highlighted(frame.inspection, sample)
        changed = False
        for kind, layer in self._rows:
            if kind in PER_SAMPLE:
                values = sample_values(frame, kind, layer)
                lines = [(None, values[sample])] if sample is not None \
                    else list(zip(labels, values))
            else:
                lines = [(None, batch_value(frame, kind, layer))]
            shown = (value_text(lines), kind in marked)
            if self._shown.get((kind, layer)) != shown:  # 30 frames a second: only changes
                self._shown[(kind, layer)] = shown
                self._rows[(kind, layer)][1].setText(shown[0])
                self._paint((kind, layer))
                changed = True
        if changed:
            self._fit()

    # Building, arranging and styling ------------------------------------------------------
    def _build(self, parts):
        """The labels of one network's sections (again when its shape or formulas change)."""
        self._items, self._rows, self._shown, self._beside = [], {}, {}, None
        content = QWidget()
        content.setAutoFillBackground(True)
        self._grid = QGridLayout()
        self._grid.setSpacing(0)
        outer = QVBoxLayout(content)
        # The hint scrolls with the numbers: above them it made the tab taller than a
        # 720-line screen has room for once it wrapped.
        outer.addWidget(self.hint)
        outer.addLayout(self._grid)
        outer.addStretch(1)
        for title, rows in parts:
            heading = QLabel(title)
            heading.setObjectName("inspector_heading")
            self._items.append(heading)
            for row in rows:
                if isinstance(row, str):
                    self._items.append(QLabel(row))  # a layer's caption
                    continue
                key, text = row
                formula, value = QLabel(text), QLabel(MISSING)
                value.setObjectName("_".join(f"{part}" for part in ("inspector", *key)
                                             if part is not None))
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                for label in (formula, value):
                    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self._rows[key] = (formula, value)
                self._items.append(key)
        self.scroll.setWidget(content)
        self._style()

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self):
        """Each number beside its formula where the two fit the width, else on the line
        under it, in the same column: a long formula, a narrow dock, a large zoom or a whole
        batch of a deep network would otherwise scroll sideways."""
        if not self._rows:
            return
        margins = self.scroll.widget().layout().contentsMargins()
        room = self.scroll.viewport().width() - margins.left() - margins.right()
        values = max(value.sizeHint().width() for _, value in self._rows.values())
        formulas = {key: formula.sizeHint().width() for key, (formula, _) in self._rows.items()}
        column = max((width for width in formulas.values() if width + values <= room),
                     default=0)
        beside = frozenset(key for key, width in formulas.items() if width <= column)
        if beside != self._beside:
            self._beside = beside
            self._arrange(max(column, round(32 * self.theme.zoom / 100)))

    def _padding(self) -> tuple:
        """A row label's margins (x, y). Margins, not a style sheet's padding: with that, a
        top-aligned QLabel asks for 10 px more height than it uses (Qt 6.10)."""
        return round(8 * self.theme.zoom / 100), round(2 * self.theme.zoom / 100)

    def _arrange(self, column: int):
        """Formulas beside their numbers in a column ``column`` wide, the others above them;
        a number under its formula spans the row, so that its highlight has no gap, and is
        indented to the column."""
        grid, line = self._grid, 0
        while grid.count():  # adding a widget again would add a second item for it
            grid.takeAt(0)
        x, y = self._padding()
        for item in self._items:
            if isinstance(item, QLabel):
                grid.addWidget(item, line, 0, 1, 2)
                line += 1
                continue
            formula, value = self._rows[item]
            if item in self._beside:
                grid.addWidget(formula, line, 0)
                grid.addWidget(value, line, 1)
                value.setContentsMargins(x, y, x, y)
            else:
                grid.addWidget(formula, line, 0, 1, 2)
                line += 1
                grid.addWidget(value, line, 0, 1, 2)
                value.setContentsMargins(column + x, y, x, y)
            line += 1
        grid.setColumnMinimumWidth(0, column)
        grid.setColumnStretch(1, 1)
        self.scroll.widget().layout().activate()

    def _paint(self, key):
        """A row's colours: the theme's highlight when the last step computed it."""
        theme = self.theme
        marked = self._shown.get(key, ("", False))[1]
        colours = (f"color: {theme.background}; background-color: {theme.highlight_colour};"
                   if marked else f"color: {theme.foreground}; background: transparent;")
        for label in self._rows[key]:
            label.setStyleSheet(f"QLabel {{ {colours} }}")

    def _style(self):
        theme, content = self.theme, self.scroll.widget()
        if content is None:
            return
        palette = content.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        content.setPalette(palette)
        numbers = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        numbers.setPointSizeF(theme.label_point_size)
        pad = round(6 * theme.zoom / 100)
        for item in self._items:
            if isinstance(item, QLabel):
                heading = item.objectName() == "inspector_heading"
                item.setFont(theme.font(theme.title_point_size if heading
                                        else theme.label_point_size, bold=True))
                colour = theme.foreground if heading else theme.disabled_colour
                item.setStyleSheet(f"QLabel {{ color: {colour}; padding-top: {pad}px; }}")
        x, y = self._padding()
        for key, (formula, value) in self._rows.items():
            formula.setFont(theme.font(theme.label_point_size))
            formula.setContentsMargins(x, y, x, y)
            value.setFont(numbers)  # its margins depend on where it stands: _arrange
            self._paint(key)
        self._beside = None  # the sizes changed: arrange anew
        self._fit()

    def apply_theme(self, theme: themes.Theme):
        self.theme = theme
        self.setFont(theme.font(theme.ui_point_size))
        self.setPalette(themes.palette(theme))
        self._style()
