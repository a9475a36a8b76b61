"""Every command has keys and a tooltip, no two share keys, the ? sheet lists them all, and
a presenter's clicker (Page Up / Page Down) plays and steps."""

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QTableWidget

from gui.shortcut_sheet import command_actions, shortcut_rows


def menu_actions(window) -> list[QAction]:
    return [action for action in command_actions(window) if action.isEnabled()]


def test_every_command_has_keys_and_a_tooltip_and_no_keys_are_shared(driver):
    actions = menu_actions(driver.window)
    assert len(actions) > 25
    for action in actions:
        assert action.shortcuts(), action.objectName()
        assert action.toolTip() and action.toolTip() != action.text(), action.objectName()
    keys = Counter(key.toString() for action in set(actions) for key in action.shortcuts())
    assert [key for key, count in keys.items() if count > 1] == []


def test_the_question_mark_shows_every_command_and_its_keys(driver, qtbot):
    window = driver.window
    window.findChild(QAction, "keyboard_shortcuts").trigger()
    sheet = window.findChild(QDialog, "shortcut_sheet")
    assert sheet is not None and sheet.isVisible()
    table = sheet.findChild(QTableWidget, "shortcut_table")
    listed = {table.item(row, 0).text(): table.item(row, 1).text()
              for row in range(table.rowCount())}
    assert len(listed) == len(shortcut_rows(window)) == len(set(menu_actions(window)))
    assert listed["Play"] == "Space, PgUp" and listed["Step"] == "Right, PgDown"
    assert listed["Keyboard shortcuts"].startswith("?")
    sheet.close()


def test_a_presenters_clicker_steps_and_plays(driver, qtbot):
    window = driver.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    driver.wait_for(lambda s: s.iteration == 1)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: window.controller.playing, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=10_000)
