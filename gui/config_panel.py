"""Side panel with every TrainingConfig field; emits a new, validated config on each edit.

Bad input never reaches the worker: the field snaps back to the current value and the
reason is reported through ``input_rejected`` (shown in the status bar).
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout

from engine.config import (
    ACTIVATIONS,
    BIAS_UPDATES,
    INITS,
    LOSSES,
    ConfigError,
    TrainingConfig,
    parse_hidden,
)
from engine.datasets import GATES

#: field → (label, tooltip). Fields marked † restart the network when changed.
FIELDS = {
    "gate": ("Gate", "Logic gate whose truth table is learned (applies immediately)."),
    "hidden": ("Hidden layout †", "Hidden layer widths from input to output, e.g. 2 or 4, 4\n"
               "(1 to 4 layers of 1 to 16 neurons). Changing it restarts the network."),
    "learning_rate": ("Learning rate", "Step size α of gradient descent, e.g. 0.02.\n"
                      "Can be changed while training, without a reset."),
    "activation": ("Activation †", "Hidden-layer activation function (the output is always\n"
                   "a sigmoid). Changing it restarts the network."),
    "init": ("Initialisation †", "uniform: U[0, 1) as in the tutorial; xavier: Glorot\n"
             "uniform weights and zero biases. Changing it restarts the network."),
    "bias_update": ("Bias update", "summed: each bias moves by the sum of all its layer's\n"
                    "deltas (the tutorial's script); per-neuron: the true gradient step."),
    "loss": ("Loss", "mse: mean squared error (the tutorial); cross-entropy: log loss."),
    "target_error": ("Target error", "Training stops (converged) when the mean error falls\n"
                     "below this value, e.g. 1e-4."),
    "max_iterations": ("Max iterations", "Training stops after this many updates."),
}
CHOICES = {"gate": GATES, "activation": ACTIVATIONS, "init": INITS,
           "bias_update": BIAS_UPDATES, "loss": LOSSES}


def parse_number(field: str, text: str, kind):
    try:
        return kind(text.replace("_", "").replace(",", "").strip())
    except ValueError:
        example = "100000" if kind is int else "0.02 or 1e-4"
        raise ConfigError(field, f"must be a number such as {example} (got {text!r})") from None


def format_value(field: str, value) -> str:
    if field == "hidden":
        return ", ".join(str(width) for width in value)
    if field == "max_iterations":
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
        for field, (label, tip) in FIELDS.items():
            if field in CHOICES:
                editor = QComboBox()
                editor.addItems(CHOICES[field])
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
                editor.setText(format_value(field, value))
            editor.blockSignals(False)

    def _read(self, field: str):
        editor = self.editors[field]
        if isinstance(editor, QComboBox):
            return editor.currentText()
        text = editor.text()
        if field == "hidden":
            return parse_hidden(text)
        return parse_number(field, text, int if field == "max_iterations" else float)

    def _on_edited(self, *_):
        try:
            values = {field: self._read(field) for field in self.editors}
            config = self._config.replace(**values)
        except ConfigError as error:
            label = FIELDS.get(error.field, (error.field,))[0].rstrip(" †")
            self.show_config(self._config)
            self.input_rejected.emit(f"{label}: {error.reason}. Kept the previous value.")
            return
        if config != self._config:
            self._config = config
            self.config_edited.emit(config)
