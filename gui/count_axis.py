"""CountAxis: a horizontal axis of counts (iterations) whose labels never run together.

pyqtgraph always draws its major tick labels, however close: at 1024×768 and 200 % three
iteration ticks "100000", "200000", "300000" ran into one string. This axis writes counts
short (250k, 1.5M) and widens the tick spacing until each label has room.
"""

import math

from PySide6.QtGui import QFontMetrics

from gui.grid_axis import GridAxis

SUFFIXES = ((1e9, "G"), (1e6, "M"), (1e3, "k"))
#: Space between two neighbouring labels, in widths of the letter "0".
GAP_DIGITS = 2


def compact(value: float) -> str:
    """``value`` in at most a few characters: 0, 750, 250k, 1.5M."""
    if value == 0:
        return "0"  # not "-0" for the padding left of the origin
    for size, suffix in SUFFIXES:
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def mantissa(step: float) -> int:
    """1, 2 or 5 for a step of 1, 2 or 5 × 10ⁿ."""
    return round(step / 10.0 ** math.floor(math.log10(step) + 1e-9))


def wider_step(step: float) -> float:
    """The next of 1, 2, 5 × 10ⁿ above ``step`` (itself one of them)."""
    return step * {1: 2, 2: 2.5}.get(mantissa(step), 2)


class CountAxis(GridAxis):
    """Labels only the ticks a whole label step apart (a step of 1, 2 or 5 × 10ⁿ at least
    as long as a label and a gap), so neither major nor minor labels run together."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_step = 0.0

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        if levels and size > 0:
            step = min(spacing for spacing, _ in levels)
            metrics = QFontMetrics(self.style["tickFont"] or self.font())
            ends = (round(value / step) * step for value in (minVal, maxVal))
            widest = max(metrics.horizontalAdvance(compact(value)) for value in ends)
            gap = GAP_DIGITS * metrics.horizontalAdvance("0")
            room = (widest + gap) * abs(maxVal - minVal) / size
            while step < room:
                step = wider_step(step)
            self._label_step = step
        return levels

    def tickStrings(self, values, scale, spacing):
        step = self._label_step
        return [compact(value * scale)
                if step == 0 or abs(value / step - round(value / step)) < 1e-6 else ""
                for value in values]
