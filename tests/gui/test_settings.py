"""Settings between launches: the window opened by gui.app comes back as it was closed,
ignores stored values that no longer make sense, and Help ▸ Restore defaults forgets them."""

import pytest
from PySide6.QtCore import QByteArray, QRect, QSize, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QSplitter

from engine.config import PRESETS
from engine.view_settings import ViewSettings
from gui import app as gui_app
from gui import settings
from gui.controls import speed_of
from gui.main_window import MainWindow
from gui.sweep_window import open_sweep_window
from gui.sweep_worker import SweepRunner

CHANGED_CONFIG = PRESETS["tanh"].replace(hidden=(3,), learning_rate=0.25, seed=7)
SPLITTERS = ("main_splitter", "plots_splitter")


@pytest.fixture(autouse=True)
def empty_settings(qapp):
    """Each test starts from no stored settings and leaves none behind; its windows have
    the application's font whether main() styled the application yet or not (it sets the
    windows' minimum size)."""
    settings._settings().clear()
    font = qapp.font()
    gui_app.style_application(qapp)
    yield
    qapp.setFont(font)
    settings._settings().clear()


def run_app(args: list[str]) -> dict:
    """Run gui.app.main(args) and describe the window it opened, then close it."""
    seen = {}

    def inspect_and_close():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:  # not shown yet: look again on the next pass of the event loop
            QTimer.singleShot(0, inspect_and_close)
            return
        try:
            seen.update(describe(windows[0]))
        finally:  # never leave main() running, whatever failed
            for window in windows:
                window.close()

    QTimer.singleShot(0, inspect_and_close)
    assert gui_app.main(args) == 0
    return seen


def describe(window: MainWindow) -> dict:
    """What a person would see of the settings in ``window``."""
    return {
        "config": window.controller.config,
        "config_panel": {field: editor.currentText() if isinstance(editor, QComboBox)
                         else editor.text()
                         for field, editor in window.config_panel.editors.items()},
        "seed_box": window.seed_box.text(),
        "view": window.controller.view,
        "speed": speed_of(window.speed.slider.value()),
        "heatmap_every": window.heatmap_every.value(),
        "smoothing": window.error_panel.smoothing_weight,
        "show_deltas": window.gradient_panel.show_deltas.isChecked(),
        "theme": (window.theme.name, window.theme.zoom),
        "size": window.size(),
        "splitters": {name: window.findChild(QSplitter, name).sizes() for name in SPLITTERS},
    }


def test_a_closed_window_comes_back_as_it_was(qtbot):
    window = MainWindow.remembered()  # the window gui.app.main opens
    qtbot.addWidget(window)
    window.show()
    # As a person would: the toolbar's and panels' controls, a new configuration, the
    # window's size and both splitters (the offscreen screen is 800×800; Qt keeps a
    # restored window within it, allowing for a title bar).
    window.speed.slider.setValue(30)
    window.heatmap_every.setValue(250)
    window.error_panel.smoothing.setValue(20)
    window.gradient_panel.show_deltas.setChecked(True)
    window.controller.set_config(CHANGED_CONFIG)
    window.findChild(QAction, "theme_dark").trigger()
    window.findChild(QAction, "zoom_in").trigger()
    window.resize(790, 770)
    qtbot.waitUntil(lambda: window.size() == QSize(790, 770))
    window.findChild(QSplitter, "main_splitter").setSizes([300, 484])
    window.findChild(QSplitter, "plots_splitter").setSizes([150, 300, 200])
    before = describe(window)
    window.toggle_presentation()  # closed while presenting: the layout it came from
    window.close()

    after = run_app([])
    assert after == before
    assert after["config"] == CHANGED_CONFIG
    assert after["seed_box"] == "7"
    assert after["view"] == ViewSettings(speed=1000.0, grid_every=250, smoothing=0.2,
                                         show_deltas=True)
    assert after["size"] == QSize(790, 770)
    assert after["theme"] == ("dark", 125)
    # A preset asked for wins over the remembered configuration; a file brings its own (the
    # tutorial's meanwhile); the view and the layout are remembered either way.
    with_preset = run_app(["--preset", "relu"])
    assert with_preset["config"] == PRESETS["relu"]
    assert with_preset["view"] == after["view"]
    assert with_preset["size"] == QSize(790, 770)
    assert settings.startup_config(None, opening_file=True) == PRESETS["tutorial"]
    # The last configuration is the one the window closed with.
    assert run_app([])["config"] == PRESETS["relu"]


def test_the_preset_is_none_unless_given():
    assert gui_app.parse_args([]).preset is None
    assert gui_app.parse_args(["--preset", "tutorial"]).preset == "tutorial"


@pytest.mark.parametrize("config", [
    "not json", "[1, 2]", '{"hidden": "abc"}', '{"learning_rate": NaN}', '{"bogus": 1}',
    '{"hidden": [0]}', '{"activation": ["sigmoid"]}', QByteArray(b"\x00junk"), 42,
])
def test_a_stored_configuration_that_no_longer_validates_is_ignored(config):
    settings._settings().setValue("run/config", config)
    assert settings.remembered_config() is None
    assert settings.startup_config(None, opening_file=False) == PRESETS["tutorial"]


def test_garbage_in_the_settings_opens_the_default_window(qtbot):
    store = settings._settings()
    store.setValue("run/config", '{"seed": -5, "hidden": [2, 2]}')
    store.setValue("run/view", '{"speed": -1, "grid_every": 2.5, "smoothing": "x", '
                               '"show_deltas": 1}')
    store.setValue("window/geometry", QByteArray(b"not a geometry"))
    store.setValue("window/state", "not bytes")
    store.setValue("window/splitters/main_splitter", '[1, "a"]')
    store.setValue("window/splitters/plots_splitter", "[0, 0, 0]")
    store.setValue("view/appearance", '{"theme": "neon", "zoom": 5000}')
    del store
    seen = run_app([])
    assert seen["config"] == PRESETS["tutorial"]
    assert seen["view"] == ViewSettings()
    assert seen["theme"] == ("light", 100)
    assert seen["size"] == first_window_size()

    # Each view setting stands alone: a valid one is kept beside invalid ones.
    settings._settings().setValue("run/view", '{"smoothing": 0.3, "speed": null, '
                                              '"grid_every": true, "show_deltas": "yes"}')
    assert settings.remembered_view() == ViewSettings(smoothing=0.3, speed=None)
    settings._settings().setValue("run/view", "[]")
    assert settings.remembered_view() == ViewSettings()
    for sizes in ('[1, "a"]', "[0, 0]", "[300, 400, 5]", "[300.5, 400]", "[-1, 400]",
                  "[true, 400]", '{"a": 1}', "nope"):
        settings._settings().setValue("window/splitters/main_splitter", sizes)
        assert settings.remembered_sizes("main_splitter", 2) is None, sizes


def test_restore_defaults_resets_the_window_and_forgets_the_settings(qtbot, monkeypatch):
    window = MainWindow.remembered()
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()  # the application's font and palette reach every widget
    default = describe(window)
    window.controller.set_config(CHANGED_CONFIG)
    window.speed.set_unlimited()
    window.heatmap_every.setValue(5)
    window.error_panel.smoothing.setValue(90)
    window.gradient_panel.show_deltas.setChecked(True)
    window.set_theme("dark")
    window.set_zoom(125)
    window.resize(790, 770)
    qtbot.waitUntil(lambda: window.size() == QSize(790, 770))
    window.findChild(QSplitter, "main_splitter").setSizes([400, 386])
    settings.remember_file(__file__)
    window.close()
    window = MainWindow.remembered()
    qtbot.addWidget(window)
    window.show()
    assert describe(window)["view"].speed is None  # the changes were remembered
    assert describe(window)["splitters"]["main_splitter"] == [400, 386]
    assert describe(window)["theme"] == ("dark", 125)
    window.toggle_presentation()
    questions = []

    def answer(reply):
        def question(parent, title, text, *args):
            questions.append(title)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    window.findChild(QAction, "restore_defaults").trigger()
    assert questions == ["Restore defaults"]
    assert describe(window)["config"] == CHANGED_CONFIG  # "No" changes nothing
    assert settings.recent_files() == [__file__]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    window.findChild(QAction, "restore_defaults").trigger()
    qtbot.waitUntil(lambda: window.size() == default["size"])
    QApplication.processEvents()
    assert describe(window) == default
    assert not window.presentation.active and window.side_panel.isVisible()
    assert window.controller.config == PRESETS["tutorial"]
    assert window.controller.view == ViewSettings()
    assert "Restored the defaults" in window.statusBar().currentMessage()
    assert settings._settings().allKeys() == []
    assert settings.recent_files() == []


def test_only_the_window_gui_app_opens_touches_the_settings(driver, monkeypatch):
    """A window rendered or tested does not change what the next launch shows."""
    settings.remember_file(__file__)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    driver.window.controller.set_config(CHANGED_CONFIG)
    driver.trigger("restore_defaults")
    assert driver.window.controller.config == PRESETS["tutorial"]
    driver.window.controller.set_config(CHANGED_CONFIG)
    driver.window.close()
    assert settings._settings().allKeys() == ["files/last_folder", "files/recent"]


def first_window_size() -> QSize:
    """The size the first window opens at on this screen (no smaller than it can be)."""
    available = QApplication.primaryScreen().availableGeometry()
    probe = MainWindow(train=False)
    try:
        return settings.first_geometry(available, probe.minimumSizeHint()).size()
    finally:
        probe.close()


def test_the_first_window_is_sized_from_the_screen(qtbot):
    seen = run_app([])
    assert seen["size"] == first_window_size()
    main, plots = (seen["splitters"][name] for name in SPLITTERS)
    assert main[0] / sum(main) == pytest.approx(3 / 5, abs=0.02)  # DEFAULT_SHARES
    assert max(plots) - min(plots) <= 2


@pytest.mark.parametrize("available, expected", [
    # A desktop: 85 % of 1920×1080 is 1632×918, capped at 1600 wide; centred.
    (QRect(0, 0, 1920, 1080), QRect(160, 81, 1600, 918)),
    # A large screen to the right of another: the maximum, centred on that screen.
    (QRect(1920, 0, 2560, 1440), QRect(1920 + 480, 220, 1600, 1000)),
    # A 1024×768 projector under a 27 px panel: the minimum, not 85 %.
    (QRect(0, 27, 1024, 741), QRect(0, 47, 1024, 700)),
    # A screen smaller than the minimum: all of it, never beyond it.
    (QRect(0, 0, 800, 600), QRect(0, 0, 800, 600)),
])
def test_the_first_geometry_is_a_share_of_the_available_area(available, expected):
    assert settings.first_geometry(available) == expected


def test_a_window_that_cannot_be_as_small_keeps_its_title_bar_on_the_screen():
    # 1280×720 under a 30 px panel, for a window at least 1100×762: centred across, from
    # the top of the area down.
    assert (settings.first_geometry(QRect(0, 30, 1280, 690), QSize(1100, 762))
            == QRect(90, 30, 1100, 762))


def test_the_sweep_window_offers_the_scheduler_the_last_sweep_ran_on(qtbot, monkeypatch):
    monkeypatch.setattr(SweepRunner, "start", lambda *args, **kwargs: None)  # not run here
    window = MainWindow.remembered()
    qtbot.addWidget(window)
    dialog = open_sweep_window(window)
    assert dialog.form.scheduler.text() == ""
    dialog.form.scheduler.setText("scheduler.example.org:8786")
    assert dialog.run()
    dialog.close()
    window.close()

    window = MainWindow.remembered()
    qtbot.addWidget(window)
    assert open_sweep_window(window).form.scheduler.text() == "tcp://scheduler.example.org:8786"
