"""The gradient check dialog shows backprop agreeing on the tutorial's network, and says so
when a gradient is wrong."""

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QWidget

from engine.config import PRESETS
from engine.session import TrainingSession
from gui.gradient_check_dialog import GradientCheckDialog, open_gradient_check


def tutorial_snapshot(updates=100):
    session = TrainingSession(PRESETS["tutorial"])
    session.step(updates)
    return session.frame().snapshot


def rows(dialog):
    table = dialog.table
    return [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]


def test_the_table_lists_every_parameter_and_backprop_agrees(qtbot):
    dialog = GradientCheckDialog()
    qtbot.addWidget(dialog)
    dialog.show_snapshot(tutorial_snapshot())
    shown = rows(dialog)
    assert [row[0] for row in shown] == [
        "w_hidden[0,0]", "w_hidden[0,1]", "w_hidden[1,0]", "w_hidden[1,1]", "b_hidden[0]",
        "b_hidden[1]", "w_output[0,0]", "w_output[1,0]", "b_output[0]"]
    assert all(float(row[3]) < 1e-6 for row in shown)
    assert all(abs(float(row[1]) - float(row[2])) <= 1e-6 * abs(float(row[1])) for row in shown)
    text = dialog.summary.text()
    assert text.startswith("largest relative error ") and text.endswith("— backprop agrees")
    assert "Iteration 100" in dialog.heading.text()


def test_a_wrong_gradient_makes_it_say_disagrees(qtbot):
    snapshot = tutorial_snapshot()
    (w_hidden, b_hidden), output = snapshot.gradients
    wrong = replace(snapshot, gradients=((w_hidden * 1.01, b_hidden), output))
    dialog = GradientCheckDialog()
    qtbot.addWidget(dialog)
    dialog.show_snapshot(wrong)
    assert dialog.summary.text().endswith("— backprop disagrees")
    assert dialog.summary.text().startswith("largest relative error 9.9e-03")
    bold = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())
            if dialog.table.item(row, 0).font().bold()]
    assert bold == ["w_hidden[0,0]", "w_hidden[0,1]", "w_hidden[1,0]", "w_hidden[1,1]"]


class Window(QWidget):
    """What open_gradient_check needs of the main window: the snapshot it shows."""

    def __init__(self, snapshot):
        super().__init__()
        self.snapshot = snapshot

    def latest_snapshot(self):
        return self.snapshot


def test_opening_it_again_refreshes_the_one_dialog_without_blocking(qtbot):
    window = Window(tutorial_snapshot(10))
    qtbot.addWidget(window)
    dialog = open_gradient_check(window)
    assert dialog.isVisible() and not dialog.isModal()
    assert "Iteration 10:" in dialog.heading.text()
    window.snapshot = tutorial_snapshot(2000)
    assert open_gradient_check(window) is dialog
    assert "Iteration 2,000:" in dialog.heading.text()
    window.snapshot = tutorial_snapshot(3000)
    dialog.again.click()
    assert "Iteration 3,000:" in dialog.heading.text()
    assert window.findChildren(QDialog, "gradient_check_dialog") == [dialog]
    dialog.close()  # and gone: the next opening builds a new one
    qtbot.waitUntil(lambda: not window.findChildren(QDialog, "gradient_check_dialog"))
