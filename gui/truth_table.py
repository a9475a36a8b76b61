"""Truth table: the four samples, their targets and what the network answers now.

The tutorial's printed check, ``predict(x)``, row by row beside the target, with each
sample's error and whether ŷ lies on the target's side of 0.5. Always visible under the
decision map, as tall as its header and four rows while there is room.
"""

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
)

from gui import theme as themes
from gui.help_pages import title_tooltip

#: (header, tooltip) per column.
COLUMNS = (
    ("x₁ x₂", "The two inputs"),
    ("y", "The target: what the gate answers"),
    ("ŷ", "What the network answers now: ŷ, the tutorial's predict(x)"),
    ("error", "This sample's error: ½(y − ŷ)² (the mean over the four is E)"),
    ("right", "✓ when ŷ is on the target's side of 0.5, ✗ when not"),
)
ERROR_TOOLTIPS = {
    "mse": COLUMNS[3][1],
    "cross-entropy": "This sample's error: −[y ln ŷ + (1 − y) ln(1 − ŷ)] "
                     "(the mean over the four is E)",
}
RIGHT, WRONG = "✓", "✗"
#: The widest text each column shows, for its width: formats have fixed widths.
WIDEST = ("0  0", "0", "0.0000", "0.00e-00", RIGHT)


def cell_texts(anatomy) -> list[list[str]]:
    """The table's text, row by row: the four samples as the tutorial prints them."""
    return [[f"{x1:.0f}  {x2:.0f}", f"{y:.0f}", f"{y_hat:.4f}", f"{loss:.2e}",
             RIGHT if right else WRONG]
            for (x1, x2), y, y_hat, loss, right in zip(
                anatomy.x, anatomy.y[:, 0], anatomy.predictions, anatomy.sample_loss,
                anatomy.correct)]


class TruthTable(QTableWidget):
    """Read-only, four rows and a header; follows every frame."""

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(4, len(COLUMNS), parent)
        self.setObjectName("truth_table")
        self.setToolTip(title_tooltip("truth_table"))
        self.setHorizontalHeaderLabels([name for name, _ in COLUMNS])
        for column, (_, tip) in enumerate(COLUMNS):
            self.horizontalHeaderItem(column).setToolTip(tip)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Widths set by _fit_columns: Qt's Stretch would share them equally, clipping a
        # header wider than its share ("target" at 200 %).
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._needs = [0] * len(COLUMNS)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._texts = [["–"] * len(COLUMNS) for _ in range(4)]
        for row, texts in enumerate(self._texts):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, column, item)
        self._loss = None
        self._theme = theme
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        """Fonts from the theme's sizes; the table's height and least width follow them."""
        self._theme = theme
        font = theme.font(theme.tick_point_size)
        self.setFont(font)
        self.horizontalHeader().setFont(theme.font(theme.tick_point_size, bold=True))
        metrics = QFontMetrics(font)
        row_height = metrics.height() + metrics.height() // 3
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(row_height)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(1)
        # A cell's text has Qt's focus-frame margin and a pixel on each side.
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                               None, self) + 2)
        widths = [max(metrics.horizontalAdvance(text) + margin, header.sectionSizeHint(column))
                  for column, text in enumerate(WIDEST)]
        frame = 2 * self.frameWidth()
        self._needs = widths
        # All of it when there is room; a window squeezed (300 % on a 1080-line screen)
        # scrolls it instead of growing past the screen: down to its header and one row,
        # and a column's least width.
        header_height = header.sizeHint().height()
        self._whole = QSize(sum(widths) + frame, header_height + 4 * row_height + frame)
        self._least = QSize(min(widths) + frame, header_height + row_height + frame)
        self.updateGeometry()
        self._fit_columns()
        self._colour_marks()

    def sizeHint(self):
        return self._whole

    def minimumSizeHint(self):
        return self._least

    def _fit_columns(self):
        """Each column as wide as its widest text, plus an equal share of the room left."""
        spare = max(0, self.viewport().width() - sum(self._needs))
        for column, need in enumerate(self._needs):
            self.setColumnWidth(column, need + spare // len(self._needs)
                                + (column < spare % len(self._needs)))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_columns()

    def _colour_marks(self):
        # The palette's green for right, its red for wrong: both readable on either theme.
        colours = {RIGHT: QColor(self._theme.target_colour),
                   WRONG: QColor(self._theme.hidden_colour(0))}
        for row, texts in enumerate(self._texts):
            mark = texts[-1]
            if mark in colours:
                self.item(row, len(COLUMNS) - 1).setForeground(colours[mark])

    def show_frame(self, frame):
        anatomy = frame.anatomy
        if anatomy is None:
            return
        loss = frame.snapshot.config.loss
        if loss != self._loss:
            self._loss = loss
            self.horizontalHeaderItem(3).setToolTip(ERROR_TOOLTIPS[loss])
        marks_changed = False
        for row, texts in enumerate(cell_texts(anatomy)):
            for column, text in enumerate(texts):
                if text != self._texts[row][column]:
                    self._texts[row][column] = text
                    self.item(row, column).setText(text)
                    marks_changed |= column == len(COLUMNS) - 1
        if marks_changed:
            self._colour_marks()
