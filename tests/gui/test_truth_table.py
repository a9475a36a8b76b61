"""The truth table: the tutorial's printed predictions, row by row, as the network trains."""

import pytest
from PySide6.QtGui import QColor, QFontInfo

from engine.config import PRESETS
from engine.session import TrainingSession
from gui.theme import DARK, LIGHT
from gui.truth_table import TruthTable


def _column(table, name: str) -> list[str]:
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    column = headers.index(name)
    return [table.item(row, column).text() for row in range(table.rowCount())]


@pytest.fixture
def table(qtbot):
    widget = TruthTable(LIGHT)
    qtbot.addWidget(widget)
    widget.resize(450, widget.height())
    widget.show()
    return widget


def test_the_table_shows_the_engines_predictions_after_some_steps(table):
    session = TrainingSession(PRESETS["tutorial"])
    session.step(100)
    frame = session.frame()
    table.show_frame(frame)
    assert table.objectName() == "truth_table" and table.rowCount() == 4
    assert [text.split() for text in _column(table, "x₁ x₂")] == [
        ["0", "0"], ["0", "1"], ["1", "0"], ["1", "1"]]
    assert _column(table, "y") == ["0", "1", "1", "0"]
    shown = [float(text) for text in _column(table, "ŷ")]
    assert shown == pytest.approx(frame.anatomy.predictions.tolist(), abs=5e-5)
    errors = [float(text) for text in _column(table, "error")]
    assert errors == pytest.approx(frame.anatomy.sample_loss.tolist(), rel=5e-3)
    session.step(2000)  # it follows the run
    later = session.frame()
    table.show_frame(later)
    assert [float(t) for t in _column(table, "ŷ")] == pytest.approx(
        later.anatomy.predictions.tolist(), abs=5e-5)
    assert _column(table, "ŷ") != [f"{v:.4f}" for v in frame.anatomy.predictions]


def test_the_marks_turn_all_right_once_the_tutorial_network_is_trained(table):
    session = TrainingSession(PRESETS["tutorial"])
    table.show_frame(session.frame())
    assert "✗" in _column(table, "right")  # the untrained network is wrong somewhere
    wrong = _column(table, "right").index("✗")
    assert table.item(wrong, 4).foreground().color() == QColor(LIGHT.hidden_colour(0))
    session.trainer.run()
    table.show_frame(session.frame())
    assert _column(table, "right") == ["✓"] * 4
    assert table.item(wrong, 4).foreground().color() == QColor(LIGHT.target_colour)
    # The tutorial's printed result: 0.015, 0.987, 0.987, 0.014, to the digits shown.
    assert [float(t) for t in _column(table, "ŷ")] == pytest.approx(
        [0.0151, 0.9865, 0.9865, 0.0145], abs=2e-3)
    table.apply_theme(DARK)  # the marks take the other theme's colours
    assert table.item(wrong, 4).foreground().color() == QColor(DARK.target_colour)


def test_zoom_grows_the_font_and_the_table_keeps_to_its_four_rows(table, qtbot):
    session = TrainingSession(PRESETS["tutorial"])
    table.show_frame(session.frame())
    size, height = QFontInfo(table.font()).pointSizeF(), table.sizeHint().height()
    table.apply_theme(LIGHT.zoomed(200))
    whole = table.sizeHint()
    table.resize(whole)  # as its column gives it, when there is room
    qtbot.waitUntil(lambda: table.size() == whole)
    assert QFontInfo(table.font()).pointSizeF() >= 1.9 * size
    assert table.height() > 1.8 * height
    # Exactly its header and four rows: nothing hidden, nothing to scroll.
    header = table.horizontalHeader()
    rows = sum(table.rowHeight(row) for row in range(4))
    assert table.height() == header.height() + rows + 2 * table.frameWidth()
    assert table.verticalScrollBar().maximum() == 0
    assert table.horizontalScrollBar().maximum() == 0
    for column in range(table.columnCount()):  # every header fits its column
        assert header.sectionSize(column) >= header.sectionSizeHint(column)
    # Squeezed (300 % on a small screen), it scrolls instead of making the window grow.
    least = table.minimumSizeHint()
    assert least.height() < whole.height() / 2 and least.width() < whole.width() / 2
    table.resize(least)
    qtbot.waitUntil(lambda: table.size() == least)
    assert table.verticalScrollBar().maximum() > 0
