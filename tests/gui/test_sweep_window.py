"""The sweep window: a sweep run from its fields, live results, cancel, opening a run in the
main window, exports, and bad input explained beside its field."""

import csv
import io
import multiprocessing
import socket

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFileDialog

from engine import sweep_cluster
from engine.sweep import Sweep, run_sweep, seeds_from
from engine.trainer import Status
from gui.sweep_window import open_sweep_window

pytest.importorskip("numba")

TIMEOUT_MS = 120_000


@pytest.fixture
def sweep_window(driver):
    dialog = open_sweep_window(driver.window)
    dialog.workers = 1
    return dialog


def fill(dialog, seeds="12", budget="2000", first="0", vary=()):
    dialog.form.seeds.setText(seeds)
    dialog.form.budget.setText(budget)
    dialog.form.first_seed.setText(first)
    for k, chooser in enumerate(dialog.form.vary_fields):
        name, values = vary[k] if k < len(vary) else (None, "")
        chooser.setCurrentIndex(chooser.findData(name) if name else 0)
        dialog.form.vary_values[k].setText(values)


def run_to_end(qtbot, dialog):
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None and not dialog.is_running(),
                    timeout=TIMEOUT_MS)
    return dialog.result


def shown_messages(dialog) -> dict:
    return {key: label.text() for key, label in dialog.form.messages.items()
            if label.isVisibleTo(dialog)}


def test_a_sweep_from_the_window_equals_the_engines(qtbot, driver, sweep_window):
    dialog = sweep_window
    fill(dialog, vary=[("learning_rate", "1, 2, 4")])
    result = run_to_end(qtbot, dialog)
    config = driver.window.controller.config
    expected = Sweep(config, seeds_from(0, 12), 2000, (("learning_rate", (1.0, 2.0, 4.0)),))
    assert dialog.sweep == expected
    assert result.runs == run_sweep(expected, workers=1).runs and not result.cancelled
    assert dialog.progress.value() == dialog.progress.maximum() == 36
    converged = sum(run.status is Status.CONVERGED for run in result.runs)
    assert dialog.summary.text().startswith(f"{converged} of 36 runs converged")
    assert dialog.unconverged.rowCount() == 36 - converged
    # one point per value, labelled with the values
    x, _ = dialog.plots.fraction_curve.getData()
    assert len(x) == 3
    assert dialog.plots.fraction.getPlotItem().getAxis("bottom").labels == ("1.0", "2.0", "4.0")
    assert dialog.plots.figures["fraction"].isVisibleTo(dialog)
    assert not dialog.plots.figures["phase"].isVisibleTo(dialog)


def test_two_varied_settings_draw_one_cell_per_pair(qtbot, sweep_window):
    dialog = sweep_window
    fill(dialog, seeds="10", vary=[("learning_rate", "1; 2; 4"), ("gate", "xor, or")])
    run_to_end(qtbot, dialog)
    plots = dialog.plots
    assert plots.phase_image.image.shape == (3, 2)
    assert plots.figures["phase"].isVisibleTo(dialog)
    assert not plots.figures["fraction"].isVisibleTo(dialog)
    assert [label.textItem.toPlainText() for label in plots.cell_labels][:2] == [
        f"{value:.2f}" for value in dialog.stats.phase.fractions[0]]


def test_cancel_stops_the_sweep_and_leaves_no_thread_or_process(one_seed_a_chunk, qtbot,
                                                                sweep_window):
    dialog = sweep_window
    dialog.workers = None  # the process pool
    fill(dialog, seeds="400", budget="20000")
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.stats is not None and dialog.stats.done > 0,
                    timeout=TIMEOUT_MS)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None and not dialog.is_running(),
                    timeout=TIMEOUT_MS)
    assert dialog.result.cancelled and len(dialog.result.runs) < 400
    assert dialog.progress_text.text().startswith("Cancelled")
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert multiprocessing.active_children() == []


def test_closing_the_main_window_mid_sweep_stops_it(one_seed_a_chunk, qtbot, driver,
                                                    sweep_window):
    dialog = sweep_window
    fill(dialog, seeds="400", budget="20000")
    assert dialog.run()
    qtbot.waitUntil(lambda: dialog.stats is not None, timeout=TIMEOUT_MS)
    driver.window.close()
    assert not dialog.is_running()  # the thread guard fails the test otherwise


def test_clicking_an_unconverged_run_opens_it_at_iteration_0(qtbot, driver, sweep_window):
    dialog = sweep_window
    fill(dialog, vary=[("learning_rate", "1, 4")])
    run_to_end(qtbot, dialog)
    entry = dialog.stats.unconverged[-1]
    row = len(dialog.stats.unconverged) - 1
    table = dialog.unconverged
    table.scrollToItem(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(row, 0)).center())
    config = driver.window.controller.config
    assert (config.seed, config.learning_rate, config.max_iterations) == (
        entry.run.seed, dict(entry.run.settings)["learning_rate"], 2000)
    snapshot = driver.wait_for(lambda s: s.config == config)
    assert snapshot.iteration == 0


def test_csv_export_has_one_row_per_run(qtbot, sweep_window, tmp_path, monkeypatch):
    dialog = sweep_window
    fill(dialog, vary=[("learning_rate", "2, 4")])
    run_to_end(qtbot, dialog)
    path = tmp_path / "runs"  # the filter's suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(path), "CSV table (*.csv)"))
    qtbot.mouseClick(dialog.export_csv_button, Qt.MouseButton.LeftButton)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "runs.csv").read_text())))
    assert len(rows) == 24
    assert [(row["learning_rate"], int(row["seed"])) for row in rows] == [
        (str(run.settings[0][1]), run.seed) for run in dialog.result.runs]


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_the_plots_export_as_png_and_svg(qtbot, sweep_window, tmp_path, monkeypatch,
                                         suffix, magic):
    dialog = sweep_window
    dialog.resize(1100, 750)
    fill(dialog)
    run_to_end(qtbot, dialog)
    path = tmp_path / f"plots{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(path), ""))
    qtbot.mouseClick(dialog.export_plots_button, Qt.MouseButton.LeftButton)
    data = path.read_bytes()
    assert data.startswith(magic)
    if suffix == ".svg":
        assert b"final error" in data  # axis labels stay text


@pytest.mark.parametrize("field, text, key, words", [
    ("seeds", "5", "seeds", "from 10 to 100,000"),
    ("seeds", "many", "seeds", "must be a number"),
    ("budget", "0", "budget", ">= 1"),
    ("budget", "1,5", "budget", "must be a number"),
    ("first_seed", "-1", "first_seed", "seeds must lie from 0"),
])
def test_a_bad_number_is_explained_beside_its_field_and_nothing_runs(
        qtbot, sweep_window, field, text, key, words):
    dialog = sweep_window
    fill(dialog)
    getattr(dialog.form, field).setText(text)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    messages = shown_messages(dialog)
    assert list(messages) == [key] and words in messages[key]
    assert not dialog.is_running() and dialog.sweep is None


@pytest.mark.parametrize("vary, key, words", [
    ([("learning_rate", "0.5, x")], "vary_0", "must be a number"),
    ([("learning_rate", "1, -2")], "vary_0", "learning_rate"),
    ([("learning_rate", "")], "vary_0", "empty value"),
    ([("learning_rate", "1, 2"), ("learning_rate", "3")], "vary_1", "varied twice"),
    ([("gate", "xor"), ("activation", "sigmoid, softmax")], "vary_1", "activation"),
])
def test_bad_varied_values_are_explained_beside_them_and_nothing_runs(
        qtbot, sweep_window, vary, key, words):
    dialog = sweep_window
    fill(dialog, vary=vary)
    assert not dialog.run()
    messages = shown_messages(dialog)
    assert list(messages) == [key] and words in messages[key]
    assert not dialog.is_running() and dialog.sweep is None


def test_a_bad_scheduler_address_is_explained_beside_it_and_nothing_runs(sweep_window):
    fill(sweep_window)
    sweep_window.form.scheduler.setText("my-cluster")
    assert not sweep_window.run()
    assert shown_messages(sweep_window) == {
        "scheduler": "'my-cluster' is not a scheduler address: give tcp://HOST:PORT, as "
                     "`dask scheduler` prints it"}
    assert not sweep_window.is_running() and sweep_window.sweep is None


def test_an_unreachable_scheduler_stops_the_sweep_with_a_message(qtbot, sweep_window,
                                                                 monkeypatch):
    monkeypatch.setattr(sweep_cluster, "CONNECT_SECONDS", 0.3)
    fill(sweep_window)
    with socket.socket() as bound:  # bound, never listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{bound.getsockname()[1]}"
        sweep_window.form.scheduler.setText(address)
        assert sweep_window.run()
        qtbot.waitUntil(lambda: not sweep_window.is_running(), timeout=TIMEOUT_MS)
    assert sweep_window.progress_text.text().startswith(
        f"The sweep stopped: cannot reach the scheduler at {address}")
    assert sweep_window.run_button.isEnabled() and sweep_window.form.isEnabled()


def test_a_sweep_on_a_dask_cluster_equals_one_on_this_computer(qtbot, driver, sweep_window):
    distributed = pytest.importorskip("distributed")
    # workers in this process, reached over TCP like any cluster
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                       protocol="tcp", dashboard_address=":0")
    try:
        fill(sweep_window, vary=[("learning_rate", "1, 4")])
        sweep_window.form.scheduler.setText(cluster.scheduler_address)
        result = run_to_end(qtbot, sweep_window)
    finally:
        cluster.close()
    assert not result.cancelled
    assert result.runs == run_sweep(sweep_window.sweep, workers=1).runs


def test_a_decimal_comma_is_read_as_the_command_line_reads_it(driver, sweep_window):
    fill(sweep_window, vary=[("learning_rate", "0,5; 2")])
    sweep = sweep_window.form.read_sweep(driver.window.controller.config)
    assert sweep.varied == (("learning_rate", (0.5, 2.0)),)


def test_the_window_opens_once_and_shows_the_configuration(driver, sweep_window):
    assert open_sweep_window(driver.window) is sweep_window
    assert "learning rate 0.02" in sweep_window.form.config_text.text()
    driver.window.controller.set_config(driver.window.controller.config.replace(
        learning_rate=0.5))
    assert "learning rate 0.5" in sweep_window.form.config_text.text()


@pytest.mark.parametrize("width", [500, 1280])
def test_the_configuration_summary_shows_every_line(qtbot, sweep_window, width):
    sweep_window.resize(width, 720)
    sweep_window.show()
    qtbot.waitExposed(sweep_window)
    fill(sweep_window, seeds="40", budget="50")
    sweep_window.form.scheduler.setText("nowhere")
    assert not sweep_window.run()  # a message under a field, shown and hidden again
    sweep_window.form.scheduler.setText("")
    run_to_end(qtbot, sweep_window)  # results below the fields take their share too
    label = sweep_window.form.config_text
    needed = label.fontMetrics().boundingRect(
        QRect(0, 0, label.width(), 0), Qt.TextFlag.TextWordWrap, label.text()).height()
    assert label.height() >= needed > label.fontMetrics().height()  # wrapped, not cut
