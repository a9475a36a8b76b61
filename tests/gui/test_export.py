"""File ▸ Export and the panels' right-click menus: figures as PNG, SVG and PDF; CSV tables."""

import csv
import io
import xml.etree.ElementTree as ElementTree

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from engine.session import TrainingSession
from gui.file_menu import FIGURES

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trained(driver):
    """The tutorial window after 3,000 updates, drawn."""
    driver.window.controller.step(3000)
    driver.wait_for(lambda s: s.iteration == 3000)
    return driver


def export(qtbot, window, panel, path, **options):
    """Export a figure and wait until it is written; returns the error (None: written)."""
    with qtbot.waitSignal(window.files.figure_written, timeout=60_000) as blocker:
        assert window.files.write_figure(panel, path, **options)
    assert blocker.args[0] == str(path)
    return blocker.args[1]


def distinct_colours(image: QImage) -> int:
    small = image.scaled(120, 80)
    return len({small.pixel(x, y) for x in range(small.width()) for y in range(small.height())})


@pytest.mark.parametrize("panel", list(FIGURES))
def test_png_is_the_panel_at_the_chosen_scale_and_not_blank(trained, tmp_path, panel, qtbot):
    window = trained.window
    path = tmp_path / f"{panel}.png"
    assert export(qtbot, window, panel, path, scale=2.0) is None
    image = QImage(str(path))
    widget = window.figure_widget(panel)
    assert (image.width(), image.height()) == (2 * widget.width(), 2 * widget.height())
    assert distinct_colours(image) > 20  # axes, text, curves or the heatmap, not a blank page


@pytest.mark.parametrize("panel", ["error", "decision", "window"])
def test_svg_is_well_formed_with_the_curves_as_vector_paths(trained, tmp_path, panel, qtbot):
    path = tmp_path / f"{panel}.svg"
    assert export(qtbot, trained.window, panel, path) is None
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    # A curve is one path of many points (the error curve: hundreds), not pieces of it.
    points = sorted(path.get("d", "").count(",") for path in root.iter(f"{SVG}path"))
    assert points and points[-1] > 200
    text = "".join(root.itertext())
    expected = {"error": "mean error", "decision": "network output", "window": "Gradients"}
    assert expected[panel] in text  # axis labels and titles stay text


def test_pdf_is_a_pdf_document(trained, tmp_path, qtbot):
    path = tmp_path / "gradients.pdf"
    assert export(qtbot, trained.window, "gradients", path) is None
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_an_unknown_figure_format_is_explained_and_nothing_is_written(trained, tmp_path,
                                                                       dialogs):
    path = tmp_path / "error.jpg"
    assert not trained.window.files.write_figure("error", path)
    assert not path.exists()
    assert dialogs and str(path) in dialogs[0][1] and ".png, .svg, .pdf" in dialogs[0][1]


def right_click_menu(window, plot_name: str) -> QMenu:
    plot = window.findChild(pg.PlotWidget, plot_name)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(60, 60),
                              plot.mapToGlobal(QPoint(60, 60)))
    QApplication.sendEvent(plot.viewport(), event)
    menus = [m for m in plot.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    return menus[0]


def test_right_click_exports_this_panel(trained, tmp_path, monkeypatch, qtbot):
    target = tmp_path / "from-menu.svg"
    asked = []

    def choose(parent, caption, start, filters):
        asked.append((caption, start, filters))
        return str(target), "SVG vector drawing (*.svg)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    menu = right_click_menu(trained.window, "parameter_plot")
    action = next(a for a in menu.actions() if a.text() == "Export this panel…")
    with qtbot.waitSignal(trained.window.files.figure_written, timeout=60_000):
        action.trigger()
    menu.close()
    assert asked and asked[0][1].endswith("-parameters.png")
    assert ElementTree.parse(target).getroot().tag == f"{SVG}svg"


def test_right_click_copies_the_panel_to_the_clipboard(trained):
    QGuiApplication.clipboard().clear()
    menu = right_click_menu(trained.window, "decision_plot")
    next(a for a in menu.actions() if a.text() == "Copy image").trigger()
    menu.close()
    image = QGuiApplication.clipboard().image()
    plot = trained.window.figure_widget("decision")
    assert (image.width(), image.height()) == (2 * plot.width(), 2 * plot.height())


def wait_for_request(qtbot, window, start):
    """Run ``start`` (which asks the worker to write a file) and wait for its reply."""
    with qtbot.waitSignal(window.controller.request_finished, timeout=60_000) as blocker:
        start()
    return blocker.args


def test_history_csv_has_named_columns_and_one_row_per_recorded_point(trained, tmp_path,
                                                                      qtbot):
    window = trained.window
    path = tmp_path / "history.csv"
    _, _, error = wait_for_request(qtbot, window,
                                   lambda: window.files.write_data("export_history", path))
    assert error is None
    rows = list(csv.reader(io.StringIO(path.read_text())))
    header = rows[0]
    assert header[:2] == ["iteration", "error"]
    assert "w_hidden[0,1]" in header and "b_output[0]" in header
    assert "dE/dw_hidden[0,1]" in header
    # One row per recorded point, then the latest state: as the same run records them.
    replica = TrainingSession(window.config)
    replica.step(3000)
    recorded = replica.trainer.snapshot().history
    assert [int(row[0]) for row in rows[1:]] == recorded.iterations.tolist()
    assert [float(row[1]) for row in rows[1:]] == recorded.error.tolist()
    assert window.statusBar().currentMessage().startswith("Saved the history")


def test_decision_grid_csv_covers_the_map(trained, tmp_path, qtbot):
    window = trained.window
    path = tmp_path / "grid.csv"
    wait_for_request(qtbot, window, lambda: window.files.write_data("export_grid", path))
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0] == ["x1", "x2", "output"]
    grid = window.drawn_frame().decision.grid
    assert len(rows) - 1 == grid.size
    outputs = [float(row[2]) for row in rows[1:]]
    assert all(0.0 <= value <= 1.0 for value in outputs)
