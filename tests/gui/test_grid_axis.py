"""The log panels' grid: solid lines under the data, redrawn without the axes' labels."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QPicture

from gui import theme as themes
from gui.count_axis import CountAxis
from gui.decade_axis import DecadeAxis
from gui.grid_axis import GridAxis, GridLines


@pytest.fixture(params=["light", "dark"])
def plot(qtbot, request):
    """A log panel's plot with a curve, shown at 600×400."""
    theme = themes.LIGHT if request.param == "light" else themes.DARK
    widget = pg.PlotWidget(axisItems={"bottom": CountAxis("bottom"), "left": DecadeAxis("left")})
    widget.setLogMode(x=False, y=True)
    themes.style_plot(widget, theme, "error")
    widget.curve = widget.plot(np.arange(100.0), np.logspace(0, -4, 100),
                               pen=themes.pen(theme.foreground))
    widget.theme = theme
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.grab()  # laid out and drawn once
    return widget


def test_a_new_curve_redraws_the_grid_but_not_the_axes_labels(qtbot, plot, monkeypatch):
    grids, labels = [], []
    picture_now, play = GridAxis.picture_now, QPicture.play
    # the grid's paint and the axis's both make sure of the picture; only the axis plays it
    monkeypatch.setattr(GridAxis, "picture_now", lambda axis: grids.append(axis) or
                        picture_now(axis))
    monkeypatch.setattr(QPicture, "play", lambda picture, painter: labels.append(picture) or
                        play(picture, painter))
    plot.getPlotItem().getViewBox().disableAutoRange()  # as the panels' ranges, set apart
    for top in (-0.5, -0.6):  # the first repaint after showing is of the whole plot
        grids.clear()
        labels.clear()
        plot.curve.setData(np.arange(100.0), np.logspace(top, -3.4, 100))
        qtbot.waitUntil(lambda: len(grids) >= 2)  # the repaint Qt runs once events are handled
    assert labels == []


def test_the_grid_is_solid_under_the_data_in_its_translucent_colour(plot):
    item = plot.getPlotItem()
    image = plot.grab().toImage()
    assert image.pixelColor(2, 2) == QColor(plot.theme.background)
    view = item.getViewBox()
    left = item.getAxis("left")
    (pen, lines), *_ = left._grid_specs  # the decades' lines, the darkest
    colour = pen.color()
    assert colour.alpha() == 255 and colour != QColor(plot.theme.background)
    # drawn where the translucent line was, over the plot's background
    for line in lines[:2]:
        point = view.mapToScene(line.center())
        at = plot.mapFromScene(point)
        column = {image.pixelColor(at.x(), at.y() + dy).name() for dy in (-1, 0, 1)}
        assert colour.name() in column
    assert min(lines.zValue() for lines in view.childItems() if isinstance(lines, GridLines)) \
        < view.childGroup.zValue()
    # the axes' strips no longer reach over the plot
    assert left.boundingRect().width() < view.width() / 2
