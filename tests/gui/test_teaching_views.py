"""The teaching views in the window: each exists under its stable name and follows Step."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QSlider, QTableWidget, QWidget


def _texts(table: QTableWidget) -> list[str]:
    return [table.item(row, column).text()
            for row in range(table.rowCount()) for column in range(table.columnCount())]


def test_every_teaching_view_is_in_the_window_and_follows_step(driver):
    window = driver.window
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    table = window.findChild(QTableWidget, "truth_table")
    assert table is not None and table.rowCount() == 4
    for name in ("network_view", "backprop_inspector"):
        assert window.findChild(QWidget, name) is not None, name
    assert window.findChild(pg.PlotWidget, "hidden_space_plot") is not None
    assert window.findChild(QSlider, "history_scrubber") is not None
    tabs = window.side_panel
    tabs.setCurrentWidget(window.network_view)
    before = {"table": _texts(table),
              "network": window.network_view.connection_at(0, 0, 0).tooltip}
    driver.trigger("step_100")
    frame = driver.wait_for(lambda s: s.iteration == 101) and window.drawn_frame()
    assert _texts(table) != before["table"]
    shown = [float(table.item(row, 2).text()) for row in range(4)]
    np.testing.assert_allclose(shown, frame.anatomy.predictions, atol=5e-5)
    assert window.network_view.connection_at(0, 0, 0).tooltip != before["network"]
    # A tab out of sight is not drawn on every frame; chosen, it shows the state shown.
    tabs.setCurrentWidget(window.hidden_space_panel)
    np.testing.assert_allclose(window.hidden_space_panel.space.points,
                               frame.anatomy.post[-2][:, :2], rtol=1e-12)


def test_the_gradient_check_action_agrees_with_backprop_on_the_tutorial_network(driver):
    window = driver.window
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)
    window.findChild(QAction, "gradient_check").trigger()
    dialog = window.findChild(QDialog, "gradient_check_dialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableWidget, "gradient_check_table")
    assert table.rowCount() == 9  # the tutorial's nine parameters
    errors = [float(table.item(row, 3).text()) for row in range(table.rowCount())]
    assert max(errors) < 1e-6
    dialog.close()


def test_the_view_menu_hides_and_shows_the_hidden_units_on_the_map(driver):
    window = driver.window
    panel = window.decision_panel
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    assert panel.hidden_units_shown and all(label.isVisible() for label in panel.unit_labels)
    driver.trigger("hidden_units")
    assert not panel.hidden_units_shown
    assert not any(label.isVisible() for label in panel.unit_labels)
    assert not window.findChild(QAction, "hidden_units").isChecked()
    driver.trigger("hidden_units")
    assert panel.hidden_units_shown and window.findChild(QAction, "hidden_units").isChecked()


def test_the_inspector_steps_the_live_iteration_a_sample_at_a_time(driver):
    window = driver.window
    inspector = window.inspector
    window.side_panel.setCurrentIndex(window.side_panel.count() - 1)  # Backprop
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 100)


    def drawn(counter: str, count: int) -> bool:
        inspection = window.drawn_frame().inspection
        return inspection is not None and getattr(inspection, counter) == count

    for level, counter in (("forward", "forwarded"), ("backward", "backwarded")):
        for count in range(1, 5):  # a button is enabled by the frame the last click drew
            inspector.buttons[f"inspect_{level}"].click()
            driver.qtbot.waitUntil(lambda c=counter, n=count: drawn(c, n))
    assert inspector.buttons["inspect_apply"].isEnabled()
    expected = [np.asarray(w) + dw for (w, _), (dw, _) in
                zip(window.drawn_frame().snapshot.layers, window.drawn_frame().anatomy.updates)]
    inspector.buttons["inspect_apply"].click()
    after = driver.wait_for(lambda s: s.iteration == 101)
    for (w, _), w_expected in zip(after.layers, expected):
        np.testing.assert_allclose(w, w_expected, rtol=1e-12)
    assert window.drawn_frame().inspection is None


def test_the_hidden_unit_lines_drawn_are_w_x_plus_b_zero_of_the_weights_shown(driver):
    window = driver.window
    driver.trigger("step_100")
    snapshot = driver.wait_for(lambda s: s.iteration == 100)
    w, b = snapshot.layers[0]
    xs, ys = window.decision_panel.hidden_lines.getData()
    units = [unit for unit, hidden in enumerate(window.drawn_frame().decision.units)
             if hidden.segment is not None]
    assert len(xs) == 2 * len(units) > 0
    for k, unit in enumerate(units):
        for x, y in zip(xs[2 * k:2 * k + 2], ys[2 * k:2 * k + 2]):  # both ends on the line
            assert abs(w[0, unit] * x + w[1, unit] * y + b[0, unit]) < 1e-9
        label = window.decision_panel.unit_labels[unit]
        x, y = label.pos().x(), label.pos().y()
        assert w[0, unit] * x + w[1, unit] * y + b[0, unit] > 0  # named on its firing side
