"""For the lecture hall: presentation mode and its large readout.

Presentation mode (F11) puts the window full screen, hides the menu bar (every command
keeps its keys), the configuration panel and the controls a lecture does not need (seed,
heatmap interval, the rows under the plots),
lays the panels out two by two and shows the iteration and the error in letters readable
from the back row.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QSplitter, QWidget

from gui import theme as themes
from gui.status import error_text

#: The readout's widest text: its font is sized so that this fits its width on one line.
WIDEST_READOUT = "iteration 88,888,888 \N{EM SPACE} error 8.888e-88"


class Readout(QLabel):
    """The iteration and the error, in one line as large as the theme's readout size or
    the width allows; shown in presentation mode."""

    def __init__(self, theme: themes.Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("readout")
        self.setToolTip("Gradient-descent updates so far and the mean error")
        self.setContentsMargins(8, 2, 8, 2)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.apply_theme(theme)

    def apply_theme(self, theme: themes.Theme):
        self._largest = theme.readout_point_size
        self._fit()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fit(self):
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(self._largest)
        room = self.contentsRect().width()
        wide = QFontMetrics(font).horizontalAdvance(WIDEST_READOUT)
        if room > 0 and wide > room:
            font.setPointSizeF(max(6.0, self._largest * room / wide))
        if font != self.font():
            self.setFont(font)

    def show_frame(self, frame):
        snapshot = frame.snapshot
        self.setText(f"iteration {snapshot.iteration:,} \N{EM SPACE} "
                     f"error {error_text(snapshot)}")


#: Splitter sizes for equal shares (QSplitter scales them to its length).
EQUAL = 10_000


class Presentation:
    """Enters and leaves presentation mode on ``window``: full screen, the readout shown,
    the ``extras`` (the side panel, the controls a lecture does not need) hidden and the
    four panels two by two (``moved`` goes from the ``stack`` of three to the ``column``
    under the decision map, so that each panel has half the height, not a third, and the
    two ``columns`` half the width); on leaving, all of it as it was."""

    def __init__(self, window: QMainWindow, extras: list[QWidget], readout: Readout,
                 moved: QWidget, stack: QSplitter, column: QSplitter, columns: QSplitter):
        self._window, self._extras, self._readout = window, extras, readout
        self._moved, self._stack, self._column, self._columns = moved, stack, column, columns
        self._before = None  # what leaving gives back, while presenting
        readout.hide()

    @property
    def active(self) -> bool:
        return self._before is not None

    def set_active(self, active: bool):
        if active == self.active:
            return
        window, stack, column = self._window, self._stack, self._column
        if active:
            self._before = (window.windowState(),
                            [extra.isVisibleTo(window) for extra in self._extras],
                            stack.sizes(), column.sizes(), self._columns.sizes(),
                            self._moved.sizePolicy())
            for extra in self._extras:
                extra.hide()
            self._readout.show()
            column.insertWidget(1, self._moved)
            # Both columns' panels share their height equally, now and as the window grows
            # to full screen; and the columns the width.
            self._moved.setSizePolicy(column.widget(0).sizePolicy())
            for splitter in (stack, column, self._columns):
                splitter.setSizes([EQUAL if splitter.widget(index).isVisibleTo(window) else 0
                                   for index in range(splitter.count())])
            window.showFullScreen()
        else:
            state, shown, stack_sizes, column_sizes, columns_sizes, policy = self._before
            self._before = None
            self._readout.hide()
            self._moved.setSizePolicy(policy)
            stack.addWidget(self._moved)
            for extra, visible in zip(self._extras, shown):
                extra.setVisible(visible)
            window.setWindowState(state)
            stack.setSizes(stack_sizes)
            column.setSizes(column_sizes)
            self._columns.setSizes(columns_sizes)
