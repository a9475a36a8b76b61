"""DecadeAxis: a vertical log axis whose decade labels never run together.

pyqtgraph labels every decade, however close: a panel squeezed short (zoom 200 % with the
divergence banner shown) printed "0.01" over "0.001" and 10²⁰⁰ over 10¹⁰⁰. This axis labels
every decade while there is room, else every 2nd, 5th, 10th, … counted from the decade
tick nearest the middle, which is always labelled (pyqtgraph hides a label that would stick
out past the axis's ends, as one at the top or bottom tick could). Its ticks all stay.
"""

from PySide6.QtGui import QFontMetrics

from gui.count_axis import wider_step
from gui.grid_axis import GridAxis

#: Space between two neighbouring labels, in label heights.
GAP_HEIGHTS = 0.1


class DecadeAxis(GridAxis):
    """A log axis (setLogMode(y=True)) labelling decades a whole label height apart; the
    step is a whole number of decades (1, 2, 5, 10, …)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_step = 1.0
        self._anchor = 0.0

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        self._label_step = 1.0
        if levels and size > 0 and maxVal > minVal:
            height = QFontMetrics(self.style["tickFont"] or self.font()).height()
            room = (1 + GAP_HEIGHTS) * height * (maxVal - minVal) / size  # in decades
            while self._label_step < room:
                self._label_step = wider_step(self._label_step)
            major = max(1.0, levels[0][0])
            self._anchor = round((minVal + maxVal) / 2 / major) * major
        return levels

    def tickStrings(self, values, scale, spacing):
        strings = super().tickStrings(values, scale, spacing)
        if not self.logMode or spacing is None or spacing < 1:
            return strings  # the minor ticks: pyqtgraph labels them only when they fit
        return [text if round(value - self._anchor) % self._label_step == 0 else ""
                for value, text in zip(values, strings)]
