"""Closing the window in any state stops the worker thread (the autouse guard checks it)."""

from PySide6.QtGui import QAction

from gui.main_window import MainWindow


def close_and_check(window):
    window.close()
    assert not window.controller.is_alive()


def test_close_while_running(driver):
    driver.trigger("play_pause")
    driver.wait_for(lambda s: s.iteration > 0)
    close_and_check(driver.window)


def test_close_while_paused(driver):
    driver.trigger("step")
    driver.wait_for(lambda s: s.iteration == 1)
    close_and_check(driver.window)


def test_close_right_after_reseed(driver):
    driver.trigger("reseed")
    close_and_check(driver.window)


def test_close_right_after_opening(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.findChild(QAction, "play_pause").trigger()
    close_and_check(window)
