"""The banner over the plots: a run that diverged or whose parameters explode says so there,
with the fix a click away."""

import numpy as np
import pytest
from PySide6.QtWidgets import QPushButton

from engine.config import PRESETS, TrainingConfig
from engine.session_file import saved_from_weights
from engine.trainer import Status
from gui import theme as themes

#: Overflows at its first update (tests/engine/test_trainer.py).
DIVERGING = TrainingConfig(activation="relu", learning_rate=1e308, loss="cross-entropy",
                           max_iterations=100)


def diverge(driver):
    driver.window.controller.set_config(DIVERGING)
    driver.trigger("play_pause")
    return driver.wait_for(lambda s: s.status is Status.DIVERGED)


def click(window, name: str):
    window.findChild(QPushButton, name).click()


def test_a_diverged_run_shows_the_banner_and_reset_starts_over(driver):
    window, failures = driver.window, []
    window.redraw_failed.connect(failures.append)
    banner = window.banner
    assert not banner.isVisible()
    snapshot = diverge(driver)
    driver.qtbot.waitUntil(banner.isVisible)
    assert f"diverged at iteration {snapshot.iteration:,}" in banner.headline.text()
    assert "last finite state" in banner.explanation.text()
    assert (banner.mapTo(window, banner.rect().bottomLeft()).y()
            < window.error_panel.mapTo(window, window.error_panel.rect().topLeft()).y())

    click(window, "banner_reset")
    driver.wait_for(lambda s: s.iteration == 0 and s.status is Status.RUNNING)
    driver.qtbot.waitUntil(lambda: not banner.isVisible())
    assert driver.state() == "ready"
    assert window.config == DIVERGING  # reset, not reconfigured
    assert not failures


def test_lower_learning_rate_divides_it_by_ten_and_resets(driver):
    window = driver.window
    diverge(driver)
    driver.qtbot.waitUntil(window.banner.isVisible)
    click(window, "banner_lower_rate")
    assert window.config == DIVERGING.replace(learning_rate=1e307)
    assert window.config_panel.editors["learning_rate"].text() == "1e+307"
    driver.wait_for(lambda s: s.iteration == 0 and s.config.learning_rate == 1e307)
    driver.qtbot.waitUntil(lambda: not window.banner.isVisible())
    assert "1e+307" in window.statusBar().currentMessage()


def test_exploding_parameters_warn_while_training_goes_on(driver):
    window, banner = driver.window, driver.window.banner
    window.controller.set_config(PRESETS["tutorial"].replace(learning_rate=1e4))
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    driver.qtbot.waitUntil(banner.isVisible)
    assert banner.kind == "exploding"
    assert "Exploding parameters" in banner.headline.text() and "1e3" in banner.headline.text()
    assert driver.state() == "paused"  # a warning: nothing was stopped

    click(window, "banner_dismiss")
    assert not banner.isVisible()
    driver.trigger("step_100")
    driver.wait_for(lambda s: s.iteration == 101)
    assert not banner.isVisible()  # still exploding: it stays dismissed
    click(window, "banner_reset")
    driver.wait_for(lambda s: s.iteration == 0)
    driver.trigger("step")  # explodes again: a new warning
    driver.wait_for(lambda s: s.iteration == 1)
    driver.qtbot.waitUntil(banner.isVisible)


# Restoring the state evaluates it at the training points, where x = (1, 1) overflows too.
@pytest.mark.filterwarnings("ignore:overflow encountered in matmul:RuntimeWarning")
def test_an_overflowing_network_draws_no_nan(driver):
    # Finite θ, but towards (−1, −1) both ReLU units overflow and the output is inf − inf.
    config = PRESETS["tutorial"].replace(activation="relu")
    layers = [(np.full((2, 2), -1e308), np.zeros((1, 2))),
              (np.array([[1.0], [-1.0]]), np.zeros((1, 1)))]
    window, failures = driver.window, []
    window.redraw_failed.connect(failures.append)
    with np.errstate(over="ignore", invalid="ignore"):
        saved = saved_from_weights(config, layers, window.controller.view)
    window.controller.open_session(saved, "an overflowing network")
    driver.wait_for(lambda s: s.config == config)
    driver.qtbot.waitUntil(lambda: window.drawn_frame().snapshot.config == config)
    image = window.decision_panel.image.image
    assert np.isfinite(image).all() and (image == 0.5).any()
    for panel in (window.error_panel, window.gradient_panel, window.parameter_panel):
        for curve in panel.plot.getPlotItem().listDataItems():
            assert curve.yData is None or np.isfinite(curve.yData).all()
    assert not failures


def test_the_banner_reads_at_zoom_200_on_a_projector(driver):
    window, banner = driver.window, driver.window.banner
    window.resize(1280, 720)
    window.set_zoom(200)
    diverge(driver)
    driver.qtbot.waitUntil(banner.isVisible)
    assert banner.headline.font().pointSizeF() == window.theme.ui_point_size
    assert window.theme.ui_point_size == 2 * themes.LIGHT.ui_point_size
    window.grab()  # laid out as shown
    for button in (banner.reset_button, banner.lower_button):
        assert button.width() >= button.fontMetrics().horizontalAdvance(button.text())
        assert button.mapTo(window, button.rect().bottomRight()).x() < window.width()
    assert banner.explanation.height() >= banner.explanation.heightForWidth(
        banner.explanation.width())  # wrapped whole, not cut
