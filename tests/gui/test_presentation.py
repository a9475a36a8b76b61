"""The lecture hall: zoom, themes, presentation mode and the layout at projector sizes."""

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMenu,
    QSplitter,
    QStatusBar,
    QToolBar,
    QToolButton,
)

from engine.config import PRESETS
from gui.count_axis import CountAxis
from gui.decade_axis import DecadeAxis
from gui.main_window import MainWindow
from gui.theme import DARK, LIGHT, style_plot


def _fonts_and_pens(window) -> dict:
    """Sizes a person sees grow with the zoom, one of each kind."""
    QApplication.processEvents()  # the application's font reaches the menus
    decision = window.decision_panel
    legend_label = next(label for label in window.error_panel.legend.findChildren(QLabel)
                        if label.text() == "error")
    return {
        "tick": window.error_panel.plot.getPlotItem().getAxis("left").style["tickFont"]
        .pointSizeF(),
        "axis label": window.error_panel.plot.getPlotItem().getAxis("left").labelStyle[
            "font-size"],
        "title": window.error_panel.figure.title.font().pointSizeF(),
        "legend": legend_label.font().pointSizeF(),
        "widgets": window.seed_box.font().pointSizeF(),
        "menus": window.menuBar().findChild(QMenu).font().pointSizeF(),
        "status": window.statusBar().fields["iteration"].font().pointSizeF(),
        "error line": window.error_panel.smooth_curve.opts["pen"].widthF(),
        "series line": window.gradient_panel._entries[0][0].opts["pen"].widthF(),
        "axis line": window.error_panel.plot.getPlotItem().getAxis("left").pen().widthF(),
        "contour": decision.contour.opts["pen"].widthF(),
        "marker": decision.points[0].opts["size"],
        "icons": window.toolbars[0].iconSize().width(),
    }


def test_zoom_scales_every_font_line_and_marker(driver):
    window = driver.window
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    before = _fonts_and_pens(window)
    driver.trigger("zoom_in")  # 125 %
    driver.trigger("zoom_in")  # 150 %
    driver.trigger("zoom_in")  # 175 %
    driver.trigger("zoom_in")  # 200 %
    assert window.theme.zoom == 200
    assert "Zoom 200 %" in window.statusBar().currentMessage()
    after = _fonts_and_pens(window)
    for name, value in before.items():
        if isinstance(value, str):  # "13pt"
            value, zoomed = float(value[:-2]), float(after[name][:-2])
        else:
            zoomed = after[name]
        assert zoomed == pytest.approx(2 * value, abs=0.5), name
    for _ in range(5):
        driver.trigger("zoom_in")
    assert window.theme.zoom == 300  # the largest
    driver.trigger("zoom_reset")
    assert _fonts_and_pens(window) == before
    driver.trigger("zoom_out")
    assert window.theme.zoom == 100  # the smallest


def _colours(window) -> dict:
    QApplication.processEvents()  # the application's palette reaches the menus
    error_plot = window.error_panel.plot
    decision = window.decision_panel
    return {
        "plot background": [plot.backgroundBrush().color().name()
                            for plot in window.findChildren(pg.PlotWidget)],
        "axis text": error_plot.getPlotItem().getAxis("left").textPen().color().name(),
        "error line": window.error_panel.smooth_curve.opts["pen"].color().name(),
        "output layer": window.gradient_panel._entries[-1][0].opts["pen"].color().name(),
        "map": [colour.name() for colour in decision.colour_bar.colorMap().getColors("qcolor")],
        "markers": decision.points[0].opts["brush"].color().name(),
        "figure": window.error_panel.figure.palette().color(QPalette.ColorRole.Window).name(),
        "widgets": window.palette().color(QPalette.ColorRole.Window).name(),
        "fields": window.seed_box.palette().color(QPalette.ColorRole.Base).name(),
        "menus": window.menuBar().findChild(QMenu).palette().color(
            QPalette.ColorRole.Window).name(),
    }


def test_switching_the_theme_recolours_every_plot_at_once(driver):
    window = driver.window
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    light = _colours(window)
    assert window.findChild(QAction, "theme_light").isChecked()
    driver.trigger("theme_dark")
    dark = _colours(window)
    for name in light:
        assert dark[name] != light[name], name
    assert set(dark["plot background"]) == {DARK.background}
    assert window.findChild(QAction, "theme_dark").isChecked()
    assert not window.findChild(QAction, "theme_light").isChecked()
    driver.trigger("zoom_in")  # a zoom keeps the theme, and the theme the zoom
    assert window.theme.name == "dark"
    driver.trigger("theme_light")
    assert (window.theme.name, window.theme.zoom) == ("light", 125)
    assert _colours(window) == light
    assert set(light["plot background"]) == {LIGHT.background}


def test_the_decision_map_diverges_through_a_light_middle():
    """Perceptually uniform, red for output 0 and blue for 1 like the class markers."""
    colours = LIGHT.decision_colours().getColors("qcolor")
    low, middle, high = colours[0], colours[len(colours) // 2], colours[-1]
    assert low.red() > low.blue() and high.blue() > high.red()
    assert middle.lightness() > max(low.lightness(), high.lightness())
    dark = DARK.decision_colours().getColors("qcolor")
    assert dark[len(dark) // 2].lightness() < min(dark[0].lightness(), dark[-1].lightness())


def test_presentation_mode_goes_full_screen_with_a_large_readout_and_back(driver):
    window = driver.window
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    assert not window.readout.isVisible() and window.side_panel.isVisible()
    driver.trigger("presentation")
    assert window.isFullScreen()
    assert window.readout.isVisible() and not window.side_panel.isVisible()
    assert not window.gradient_panel.controls_row.isVisible()
    assert window.findChild(QAction, "presentation").isChecked()
    assert not window.menuBar().isVisible()
    driver.qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.theme.zoom == 125  # a menu command's keys work with the menus hidden
    driver.qtbot.waitUntil(lambda: "iteration 100" in window.readout.text())
    assert window.readout.font().pointSizeF() > 1.5 * window.font().pointSizeF()
    driver.qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isFullScreen() and not window.readout.isVisible()
    assert window.menuBar().isVisible()
    assert window.side_panel.isVisible() and window.gradient_panel.controls_row.isVisible()
    assert not window.findChild(QAction, "presentation").isChecked()
    driver.trigger("side_panel")  # Ctrl+B: the configuration panel alone
    assert not window.side_panel.isVisible()
    assert not window.findChild(QAction, "side_panel").isChecked()
    driver.trigger("side_panel")
    assert window.side_panel.isVisible()


def _rect_in(window, widget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _data_rect(window, plot: pg.PlotWidget) -> QRect:
    """Where ``plot`` draws its data, in the window's coordinates."""
    box = plot.getPlotItem().getViewBox()
    scene = box.mapRectToScene(box.boundingRect())
    return QRect(plot.mapTo(window, plot.mapFromScene(scene).boundingRect().topLeft()),
                 scene.size().toSize())


def _tick_labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """Where ``axis`` writes which tick labels, left to right, as it would draw them now."""
    image = QImage(axis.size().toSize(), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    return sorted(((rect, text) for rect, _, text in texts if text), key=lambda t: t[0].x())


def _run_together(labels) -> bool:
    return any(left.adjusted(-4, 0, 4, 0).intersects(right)
               for (left, _), (right, _) in zip(labels, labels[1:]))


@pytest.mark.parametrize("zoom", [100, 200])
def test_iteration_labels_never_run_together(qtbot, zoom):
    """A panel at 1024×768 and 200 % has ~340 px of axis: pyqtgraph's own axis wrote
    100000, 200000 and 300000 there as one string. Counts are written short and labelled
    no closer than a label's width."""
    labels = {}
    for name, axis in (("count", CountAxis("bottom")), ("pyqtgraph", pg.AxisItem("bottom"))):
        plot = pg.PlotWidget(axisItems={"bottom": axis})
        qtbot.addWidget(plot)
        style_plot(plot, LIGHT.zoomed(zoom), "|θ|")
        plot.resize(440, 300)
        plot.setXRange(0, 400_000)
        plot.show()
        qtbot.waitExposed(plot)
        labels[name] = _tick_labels(axis)
    assert labels["count"] and not _run_together(labels["count"])
    assert {text for _, text in labels["count"]} <= {"0", "100k", "200k", "300k", "400k"}
    if zoom == 200:  # what this guards against
        assert _run_together(labels["pyqtgraph"])


def _overlapping(labels) -> bool:
    rects = [rect for rect, _ in labels]
    return any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_decade_labels_never_overlap_in_short_panels(qtbot):
    """1920×1080 at 200 % with the banner of an exploding run over the plots: each panel
    keeps ~60 px, where pyqtgraph's log axis printed 0.01 over 0.001 and 10²⁰⁰ over 10¹⁰⁰.
    Each still labels a decade, and no two labels overlap."""
    window = MainWindow(PRESETS["tutorial"].replace(learning_rate=1e308, activation="relu"),
                        theme=LIGHT.zoomed(200))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    window.findChild(QAction, "step_100").trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible() and window.drawn_frame() is not None
                    and window.drawn_frame().snapshot.iteration == 100)
    QApplication.processEvents()
    for panel in (window.error_panel, window.gradient_panel, window.parameter_panel):
        axis = panel.plot.getPlotItem().getAxis("left")
        assert isinstance(axis, DecadeAxis)
        labels = _tick_labels(axis)
        assert labels and not _overlapping(labels), (type(panel).__name__, labels)


@pytest.mark.parametrize("size, zoom", [((1024, 768), 100), ((1280, 720), 100),
                                        ((1920, 1080), 100), ((1024, 768), 200),
                                        ((1280, 720), 200), ((1920, 1080), 200)])
def test_projector_sizes_fit_without_covering_data(driver, check_axis_labels, size, zoom):
    """At a projector's resolution: the window fits the screen, no toolbar hides a control
    behind its overflow chevron, no legend covers the data (the training points or a curve's
    last stretch) and every axis label is inside its panel. At 200 % on a small projector
    that is in presentation mode: the side panel and minor controls would not fit."""
    window = driver.window
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    window.set_zoom(zoom)
    if zoom > 100 and size[1] < 1000:
        driver.trigger("presentation")
        window.showNormal()  # at the projector's size, not the offscreen screen's
    window.resize(*size)
    driver.qtbot.waitUntil(lambda: window.size() == QSize(*size))
    QApplication.processEvents()
    window.grab()  # lays out and paints everything
    minimum = window.minimumSizeHint()
    assert minimum.width() <= size[0] and minimum.height() <= size[1], minimum
    for toolbar in window.findChildren(QToolBar):
        chevron = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert chevron is None or not chevron.isVisible(), toolbar.objectName()
        for widget in (toolbar.widgetForAction(action) for action in toolbar.actions()):
            if widget is not None:
                assert _rect_in(window, widget).bottom() < window.centralWidget().y() + 1
    panels = (window.error_panel, window.gradient_panel, window.parameter_panel,
              window.decision_panel)
    for panel in panels:
        legend = _rect_in(window, panel.legend)
        for other in panels:
            data = _data_rect(window, other.plot)
            assert data.height() > 20, other.plot.objectName()
            assert not legend.intersects(data), (panel.plot.objectName(), other.plot.objectName())
        labels = _tick_labels(panel.plot.getPlotItem().getAxis("bottom"))
        assert labels and not _run_together(labels), panel.plot.objectName()
    bar = _tick_labels(window.decision_panel.colour_bar.getAxis("right"))
    assert len(bar) >= 2 and not any(  # the colour bar's values, one above the other
        first.intersects(second) for i, (first, _) in enumerate(bar) for second, _ in bar[i + 1:])
    box = window.decision_panel.plot.getPlotItem().getViewBox()
    for x, y in ((0, 0), (0, 1), (1, 0), (1, 1)):  # the training points are in view
        point = box.mapViewToScene(pg.Point(x, y))
        assert box.sceneBoundingRect().contains(point), (x, y)
    check_axis_labels(window)


def test_a_long_message_is_cut_with_an_ellipsis_not_mid_word(driver):
    """A message longer than its room beside the fields ends in "…" (Qt cut it off
    mid-letter) and is cut again when the window widens; currentMessage() is all of it."""
    window, status = driver.window, driver.window.statusBar()
    window.resize(900, 700)
    driver.qtbot.waitUntil(lambda: window.width() == 900)
    message = "Converged after 390,111 iterations (error 9.99998e-05 < 1e-04)"
    status.showMessage(message)
    shown = QStatusBar.currentMessage(status)  # what Qt draws
    assert shown.endswith("…") and message.startswith(shown[:-1])
    assert status.currentMessage() == message
    window.resize(1920, 1080)
    driver.qtbot.waitUntil(lambda: QStatusBar.currentMessage(status) == message)


def test_a_zoom_the_screen_cannot_hold_says_what_fits(driver):
    """The offscreen screen is 800×800: at 200 % the window needs more, and says so."""
    window = driver.window
    window.set_zoom(100)
    assert window.statusBar().currentMessage() == "Zoom 100 %"
    window.set_zoom(200)
    needed = window.minimumSizeHint()
    assert needed.width() > 800 or needed.height() > 800
    message = window.statusBar().currentMessage()
    assert message.startswith("Zoom 200 %: the window needs") and "(F11)" in message
    driver.trigger("presentation")
    window.set_zoom(200)
    assert window.statusBar().currentMessage() == "Zoom 200 %"  # it fits there


def test_the_truth_table_stays_whole_under_the_map_while_there_is_room(driver):
    """At 1920×1080 and 200 % the map and its table share the column: the table keeps its
    four rows (it gave way to the map, one row left, before); squeezed further, the table
    scrolls before the map goes below its least height."""
    window = driver.window
    window.set_zoom(200)
    window.resize(1920, 1080)
    driver.qtbot.waitUntil(lambda: window.size() == QSize(1920, 1080))
    QApplication.processEvents()
    table = window.truth_table
    assert table.height() == table.sizeHint().height()
    assert table.verticalScrollBar().maximum() == 0
    column = window.findChild(QSplitter, "side_splitter")
    column.setSizes([window.decision_panel.minimumSizeHint().height() + 10, 10_000])
    QApplication.processEvents()
    assert table.height() < table.sizeHint().height()  # the table gave way
    assert window.decision_panel.height() >= window.decision_panel.minimumSizeHint().height()
