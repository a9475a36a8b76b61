"""The gradient check dialog: backprop's gradients beside centred finite differences.

A table of every parameter (backprop ∂E_sum/∂θ, the finite difference, their relative error)
and one line saying whether backprop agrees, for the snapshot it was last given. The numbers
are engine.gradient_check's.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.gradient_check import AGREEMENT, GradientCheck, check_gradients
from gui.dialogs import open_once
from gui.read_only_table import read_only_table

#: (header, tooltip) per column.
COLUMNS = (
    ("parameter", "The weight or bias θ, named as in the tutorial: w_hidden[i,j] joins input "
                  "i to hidden unit j"),
    ("backprop", "∂E_sum/∂θ from the backward pass, E_sum the error summed over the four "
                 "samples (4 × the plotted mean)"),
    ("finite difference", "(E_sum(θ + h) − E_sum(θ − h)) / 2h, h = 1e-5 × max(1, |θ|)"),
    ("relative error", "|backprop − finite difference| / the larger of the two"),
)
#: Why a finite difference cannot check a parameter (engine.gradient_check's ``limit``).
LIMITS = {
    "rounding": "too small for a finite difference to check: it differs from backprop by "
                "less than the rounding error of E_sum",
    "kink": "at a ReLU kink: θ ± h switches a unit on or off, where E_sum has no derivative",
}


def summary(result: GradientCheck) -> str:
    """'largest relative error 3.2e-10 — backprop agrees', and what could not be checked."""
    if not result.finite:
        return ("nothing to check: this state's gradients or error overflowed (a diverged "
                "run); Reset, or lower the learning rate")
    verdict = "agrees" if result.agrees else "disagrees"
    text = f"largest relative error {result.largest_relative_error:.1e} — backprop {verdict}"
    unchecked = [f"{result.count(limit)} {what}" for limit, what in
                 (("rounding", "too small to check"), ("kink", "at a ReLU kink"))
                 if result.count(limit)]
    return text + (f" ({', '.join(unchecked)})" if unchecked else "")


class GradientCheckDialog(QDialog):
    """Non-modal: it stays open beside the window. ``latest()``, if given, is the snapshot
    Check again takes (the window's latest)."""

    def __init__(self, parent: QWidget | None = None, latest=None):
        super().__init__(parent)
        self._latest = latest
        self.setObjectName("gradient_check_dialog")
        self.setWindowTitle("Gradient check — XOR Lab")
        self.setModal(False)
        self.heading = QLabel()
        self.heading.setObjectName("gradient_check_heading")
        self.summary = QLabel()
        self.summary.setObjectName("gradient_check_summary")
        self.summary.setWordWrap(True)
        self.summary.setToolTip(f"Backprop agrees when every relative error is below "
                                f"{AGREEMENT:g} (a wrong formula is off by 1e-2 or more)")
        self.table = read_only_table("gradient_check_table", COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.again = QPushButton("Check again")
        self.again.setObjectName("gradient_check_again")
        self.again.setToolTip("Check the gradients of the state the window shows now")
        self.again.clicked.connect(self._on_again_clicked)
        self.again.setVisible(latest is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, stretch=1)
        layout.addWidget(self.again, alignment=Qt.AlignmentFlag.AlignRight)
        metrics = self.fontMetrics()
        self.resize(metrics.horizontalAdvance("m") * 60, metrics.height() * 24)
        self.result: GradientCheck | None = None

    def show_snapshot(self, snapshot):
        """Check ``snapshot``'s gradients (an engine.trainer.Snapshot) and show the result."""
        self.result = result = check_gradients(snapshot.config, snapshot.layers,
                                               snapshot.gradients)
        self.heading.setText(f"Iteration {snapshot.iteration:,}: E_sum = "
                             f"{result.error_sum:.4g} (4 × the plotted mean error)")
        self.summary.setText(summary(result))
        self.table.setRowCount(len(result.parameters))
        for row, check in enumerate(result.parameters):
            cells = (check.name, f"{check.backprop:.6e}", f"{check.finite_difference:.6e}",
                     f"{check.relative_error:.1e}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if check.limit is not None:
                    item.setToolTip(LIMITS[check.limit])
                if not check.agrees:  # the rows to look at
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)

    def _on_again_clicked(self):
        self.show_snapshot(self._latest())


def open_gradient_check(window) -> GradientCheckDialog:
    """The gradient check over ``window`` (a MainWindow) for the snapshot it shows, without
    blocking: the dialog already open is refreshed and brought to the front."""
    dialog = open_once(window, GradientCheckDialog, "gradient_check_dialog",
                       lambda parent: GradientCheckDialog(parent, window.latest_snapshot),
                       modal=False)
    dialog.show_snapshot(window.latest_snapshot())
    return dialog
