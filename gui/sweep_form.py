"""The sweep window's fields: the configuration swept, the seeds, the budget, up to two
varied settings and where to run it (this computer or a Dask scheduler), read by the command
line's readers (``main.py sweep``), so that a value means the same typed here or there; a bad
one is explained beside its field."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from engine.cli import UsageError
from engine.config import FIELD_SPECS, ConfigError, TrainingConfig, parse_number
from engine.sweep import MAX_SEEDS, MAX_VARIED, NOT_VARIED, Sweep, seeds_from, setting_text
from engine.sweep_cli import _varied
from engine.sweep_cluster import scheduler_address
from gui import theme as themes

#: The window asks for at least this many seeds: fewer say little about how often a
#: configuration converges (the command line takes any number).
MIN_SEEDS = 10
DEFAULT_SEEDS = 100
DEFAULT_BUDGET = 100_000
NOT_VARYING = "(none)"
#: What the command line's messages start with, which a field's message needs not say.
_VARY_PREFIX = "argument --vary: "


def _label(name: str, wrap=False, error=False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setVisible(not error)
    return label


def _field(name: str, text: str, tip: str) -> QLineEdit:
    field = QLineEdit(text)
    field.setObjectName(name)
    field.setToolTip(tip)
    return field


class SweepForm(QWidget):
    """The fields; ``messages``: the label under each field (by key) saying what is wrong."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.config_text = _label("sweep_config", wrap=True)
        self.config_text.setToolTip("The main window's configuration: change it there")
        self.seeds = _field("sweep_seeds", f"{DEFAULT_SEEDS:,}",
                            f"How many seeds to train ({MIN_SEEDS} to {MAX_SEEDS:,})")
        self.first_seed = _field("sweep_first_seed", "0",
                                 "The first seed; the others follow it")
        self.budget = _field("sweep_budget", f"{DEFAULT_BUDGET:,}",
                             "Each run stops after this many updates unless it converges "
                             "(as train with --max-iterations)")
        self.scheduler = _field("sweep_scheduler", "",
                                "Leave empty to run on every core of this computer, or give "
                                "the address of a Dask scheduler (tcp://HOST:PORT, as `dask "
                                "scheduler` prints it) to run on its workers")
        self.scheduler.setPlaceholderText("this computer (every core)")
        #: The scheduler the last sweep read asks for; None: this computer.
        self.address: str | None = None
        self.messages = {name: _label(f"sweep_{name}_message", wrap=True, error=True)
                         for name in ("seeds", "first_seed", "budget", "vary_0", "vary_1",
                                      "scheduler")}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        # labels above their fields: the column stays narrow enough at 200 % for the plots
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow("Configuration", self.config_text)
        for text, field, message in (("Seeds", self.seeds, "seeds"),
                                     ("First seed", self.first_seed, "first_seed"),
                                     ("Budget", self.budget, "budget")):
            form.addRow(text, field)
            form.addRow(self.messages[message])
        self.vary_fields, self.vary_values = [], []
        choices = [name for name in FIELD_SPECS if name not in NOT_VARIED]
        for k in range(MAX_VARIED):
            chooser = QComboBox()
            chooser.setObjectName(f"sweep_vary_{k}")
            chooser.addItem(NOT_VARYING, None)
            for name in choices:
                chooser.addItem(name, name)
                chooser.setItemData(chooser.count() - 1, FIELD_SPECS[name].help,
                                    Qt.ItemDataRole.ToolTipRole)
            chooser.setToolTip("A setting to vary (the others are the configuration's)")
            values = _field(f"sweep_vary_{k}_values", "",
                            "Its values, separated by commas, e.g. 0.5, 1, 2; by ';' when "
                            "a value holds a comma: 0,5; 1; 2 or 2; 4,3")
            values.setPlaceholderText("e.g. 0.5, 1, 2")
            row = QHBoxLayout()
            row.addWidget(chooser)
            row.addWidget(values, stretch=1)
            form.addRow(f"Vary {k + 1}", row)
            form.addRow(self.messages[f"vary_{k}"])
            self.vary_fields.append(chooser)
            self.vary_values.append(values)
        form.addRow("Run on", self.scheduler)
        form.addRow(self.messages["scheduler"])

    def apply_theme(self, theme: themes.Theme):
        for label in self.messages.values():
            label.setStyleSheet(f"color: {theme.hidden_colour(0)}")

    def read_sweep(self, config: TrainingConfig) -> Sweep | None:
        """The sweep of ``config`` the fields ask for, or None with each bad field's message
        shown beside it; ``address`` becomes the scheduler asked for."""
        for label in self.messages.values():
            label.hide()
        errors, numbers = {}, {}
        try:
            self.address = (scheduler_address(self.scheduler.text())
                            if self.scheduler.text().strip() else None)
        except ValueError as error:
            errors["scheduler"] = str(error)
        for key, field, name in (("seeds", self.seeds, "seeds"),
                                 ("first_seed", self.first_seed, "seed"),
                                 ("budget", self.budget, "max_iterations")):
            try:
                numbers[key] = parse_number(name, field.text(), int)
            except ConfigError as error:
                errors[key] = error.reason
        count = numbers.get("seeds")
        if count is not None and not MIN_SEEDS <= count <= MAX_SEEDS:
            errors["seeds"] = f"must number from {MIN_SEEDS} to {MAX_SEEDS:,} (got {count:,})"
        varied, rows = [], []
        for k, (chooser, values) in enumerate(zip(self.vary_fields, self.vary_values)):
            name = chooser.currentData()
            if name is None:
                continue
            try:
                varied += _varied([f"{name}={values.text()}"], ())
                rows.append(k)
            except UsageError as error:
                errors[f"vary_{k}"] = str(error).removeprefix(_VARY_PREFIX)
        if not errors:
            try:
                return Sweep(config, seeds_from(numbers["first_seed"], count),
                             numbers["budget"], tuple(varied))
            except ConfigError as error:
                errors[self._field_of(error, varied, rows)] = (
                    error.reason if error.field in ("seeds", "seed", "max_iterations", "vary")
                    else str(error))
        for key, text in errors.items():
            self.messages[key].setText(text)
            self.messages[key].show()
        return None

    @staticmethod
    def _field_of(error: ConfigError, varied, rows) -> str:
        """Which field's message explains ``error`` from Sweep."""
        keys = {"seeds": "seeds", "seed": "first_seed", "max_iterations": "budget"}
        if error.field in keys:
            return keys[error.field]
        names = [name for name, _ in varied]
        if error.field in names:
            return f"vary_{rows[names.index(error.field)]}"
        return f"vary_{rows[-1]}" if rows else "seeds"  # a setting varied twice

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_config_text()

    def _fit_config_text(self):
        """Give the wrapped summary the height its lines need at its width: in a scroll
        area the layout would give it its unwrapped height and cut lines off."""
        label = self.config_text
        # the row's full width: labels sit above their fields (WrapAllRows)
        width = max(1, self.contentsRect().width())
        label.setFixedHeight(label.fontMetrics().boundingRect(
            QRect(0, 0, width, 0), Qt.TextFlag.TextWordWrap, label.text()).height())

    def show_config(self, config: TrainingConfig):
        """Summarise ``config``, the one a sweep would start from."""
        self.config_text.setText(", ".join(
            f"{FIELD_SPECS[name].label.lower()} {setting_text(getattr(config, name))}"
            for name in FIELD_SPECS if name not in NOT_VARIED))
        self._fit_config_text()
