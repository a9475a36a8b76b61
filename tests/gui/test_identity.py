"""XOR Lab's identity: names, version, desktop file name, icon, --version, the Help menu."""

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMessageBox

from engine import __version__
from gui import about, settings
from gui import app as gui_app

LICENCES = {"Qt": "LGPLv3", "PySide6": "LGPLv3", "pyqtgraph": "MIT", "numpy": "BSD-3-Clause",
            "numba": "BSD-2-Clause", "Pillow": "MIT-CMU"}


def test_the_application_is_named_versioned_and_grouped_as_xor_lab(qapp):
    font = qapp.font()
    gui_app.style_application(qapp)
    qapp.setFont(font)  # as the other tests found it
    assert __version__ == "0.1.0"
    assert qapp.applicationName() == settings.APPLICATION == "XOR Lab"
    assert qapp.organizationName() == settings.ORGANISATION == "XOR Lab"
    assert qapp.applicationVersion() == __version__
    assert QGuiApplication.desktopFileName() == "xor-lab"
    assert set(about.ICON_SIZES) <= {size.width() for size in qapp.windowIcon().availableSizes()}


def test_version_prints_the_version_and_exits_without_a_qapplication(monkeypatch, capsys):
    with pytest.raises(SystemExit) as stop:
        gui_app.parse_args(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"xor-lab {__version__}\n"

    def no_application(*args):
        raise AssertionError("--version created a QApplication")

    monkeypatch.setattr(gui_app, "QApplication", no_application)
    with pytest.raises(SystemExit) as stop:
        gui_app.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == "xor-lab 0.1.0\n"


def test_every_icon_size_is_drawn_and_the_svg_is_valid(qapp):
    assert QSvgRenderer(str(about.ICONS / "xor-lab.svg")).isValid()
    assert QSvgRenderer(str(about.ICONS / "xor-lab-small.svg")).isValid()
    for size in about.ICON_SIZES:
        image = QImage(str(about.ICONS / f"xor-lab-{size}.png"))
        assert image.size() == QSize(size, size), size
        # Both regions' colours and the white nodes, at every size.
        assert {"#3f78d8", "#e05a4f", "#ffffff"} <= _colours(image), size


def test_the_window_has_the_icon_at_every_size(driver):
    icon = driver.window.windowIcon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert set(about.ICON_SIZES) | {about.SVG_SIZE} <= sizes
    # Each size is its own drawing, not a neighbour scaled: 16 px has a white node at (3, 4).
    assert icon.pixmap(16).toImage().pixelColor(3, 4).name() == "#ffffff"
    # Larger than the largest PNG: drawn from the SVG, not a 256 px PNG scaled up.
    large = icon.pixmap(about.SVG_SIZE).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert large == _rendered(about.ICONS / "xor-lab.svg", about.SVG_SIZE)


def test_help_is_the_last_menu_with_about_and_about_qt(driver):
    menus = [action.text() for action in driver.window.menuBar().actions()]
    assert menus[-1] == "&Help" and len(menus) > 1
    about_action = driver.window.findChild(QAction, "about")
    assert about_action.shortcut().toString() == "F1"
    assert about_action.toolTip()
    assert driver.window.findChild(QAction, "about_qt").toolTip()


def test_about_box_names_the_version_the_tutorial_and_every_library_with_its_licence(driver):
    box = about.about_box(driver.window)
    driver.qtbot.addWidget(box)
    assert box.objectName() == "about_box"
    assert not box.iconPixmap().isNull()
    text = box.text() + box.informativeText()
    assert f"XOR Lab {__version__}" in text
    assert "Alex McFarlane" in text
    assert "Introduction to Neural Nets in Python with XOR" in text
    for name, licence in LICENCES.items():
        assert f"<td>{name}</td>" in text and licence in text, name
    versions = {name: version for name, version, _ in about.library_versions()}
    assert set(versions) == set(LICENCES)
    assert all(version[0].isdigit() for version in versions.values()), versions


def test_about_action_opens_one_box_without_blocking(driver):
    window = driver.window
    driver.trigger("about")
    driver.qtbot.waitUntil(lambda: window.findChild(QMessageBox, "about_box") is not None
                           and window.findChild(QMessageBox, "about_box").isVisible())
    driver.trigger("about")  # again: the same box comes forward
    boxes = window.findChildren(QMessageBox, "about_box")
    assert len(boxes) == 1
    boxes[0].close()
    driver.qtbot.waitUntil(lambda: window.findChild(QMessageBox, "about_box") is None)


def test_about_qt_shows_qts_own_box_over_the_window(driver, monkeypatch):
    shown = []
    monkeypatch.setattr(about.QMessageBox, "aboutQt",
                        lambda parent, title: shown.append((parent, title)))
    driver.trigger("about_qt")
    assert shown == [(driver.window, "About Qt")]


def _rendered(svg, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def _colours(image: QImage) -> set[str]:
    return {QColor(image.pixel(x, y)).name()
            for x in range(image.width()) for y in range(image.height())}
