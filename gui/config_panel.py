"""Side panel with every TrainingConfig field; emits a new, validated config on each edit.

Bad input never reaches the worker: the field snaps back to the current value and the
reason is reported through ``input_rejected`` (shown in the status bar). Labels, tooltips
and choices come from the config's own field specs.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
)

from engine.config import FIELD_SPECS, ConfigError, TrainingConfig, parse_hidden, parse_number

#: The fields edited here, in TrainingConfig's order; the seed has its own box in the toolbar.
FIELDS = tuple(name for name in FIELD_SPECS if name != "seed")
RESTART_MARK = " †"


def label_of(field: str) -> str:
    """The field's label, marked † when changing it restarts the network."""
    spec = FIELD_SPECS[field]
    return spec.label + (RESTART_MARK if spec.restarts else "")


def tooltip_of(field: str) -> str:
    spec = FIELD_SPECS[field]
    if spec.restarts:
        return f"{spec.help}\nChanging it restarts the network."
    return f"{spec.help}\nApplies at once, without a reset."


def format_value(value) -> str:
    """How a field's value is shown: widths "4, 3", whole numbers grouped "5,000,000"."""
    if isinstance(value, tuple):
        return ", ".join(str(width) for width in value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else str(value)


class ConfigPanel(QGroupBox):
    config_edited = Signal(object)
    input_rejected = Signal(str)

    def __init__(self, config: TrainingConfig, parent=None):
        super().__init__("Configuration", parent)
        self.setObjectName("config_panel")
        self._config = config
        self.editors = {}
        form = QFormLayout()
        for field in FIELDS:
            label, tip, choices = label_of(field), tooltip_of(field), FIELD_SPECS[field].choices
            if choices:
                editor = QComboBox()
                editor.addItems(choices)
                editor.currentTextChanged.connect(self._on_edited)
            else:
                editor = QLineEdit()
                editor.editingFinished.connect(self._on_edited)
            editor.setObjectName(f"config_{field}")
            editor.setToolTip(tip)
            name = QLabel(label)
            name.setToolTip(tip)
            form.addRow(name, editor)
            self.editors[field] = editor
        note = QLabel("† changing this restarts the network")
        note.setWordWrap(True)
        note.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        self.show_config(config)

    def show_config(self, config: TrainingConfig):
        """Display ``config`` without emitting anything."""
        self._config = config
        for field, editor in self.editors.items():
            editor.blockSignals(True)
            value = getattr(config, field)
            if isinstance(editor, QComboBox):
                editor.setCurrentText(value)
            else:
                editor.setText(format_value(value))
            editor.blockSignals(False)

    def _read(self, field: str):
        editor = self.editors[field]
        if isinstance(editor, QComboBox):
            return editor.currentText()
        text = editor.text()
        if field == "hidden":
            return parse_hidden(text)
        return parse_number(field, text, FIELD_SPECS[field].kind)

    def _on_edited(self, *_):
        try:
            values = {field: self._read(field) for field in self.editors}
            config = self._config.replace(**values)
        except ConfigError as error:
            label = FIELD_SPECS[error.field].label if error.field in FIELD_SPECS \
                else error.field
            self.show_config(self._config)
            self.input_rejected.emit(f"{label}: {error.reason}. Kept the previous value.")
            return
        if config != self._config:
            self._config = config
            self.config_edited.emit(config)


class SidePanel(QScrollArea):
    """The configuration panel, scrolling when the window is shorter than it (a 720-line
    projector at a large zoom) instead of making the window taller than the screen."""

    def __init__(self, panel: ConfigPanel, parent=None):
        super().__init__(parent)
        self.setObjectName("config_scroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(panel)

    def sizeHint(self):
        # The whole panel when there is room (QScrollArea would offer a fixed guess).
        return self.widget().sizeHint()
