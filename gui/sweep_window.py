"""The sweep window (Tools ▸ Sweep…): many seeds of the window's configuration, for up to
two varied settings, trained in the background with live results.

Its fields are gui.sweep_form's (a bad value is explained beside its field and nothing
runs), its plots gui.sweep_plots'; the sweep runs in gui.sweep_worker's thread. Clicking a
run that did not converge opens it in the main window at iteration 0.
"""

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.files import (
    FileError,
    check_suffix,
    writable_target,
    write_bytes_atomic,
    write_text_atomic,
)
from engine.sweep import (
    Sweep,
    csv_text,
    setting_text,
)
from engine.sweep_stats import run_config
from gui import settings
from gui import theme as themes
from gui.dialogs import open_once
from gui.figures import FORMATS, FigureError, figure_bytes
from gui.file_commands import with_suffix
from gui.read_only_table import read_only_table
from gui.sweep_form import SweepForm
from gui.sweep_plots import SweepPlots
from gui.sweep_worker import SweepRunner

#: What the list of unconverged runs shows, and why.
COLUMNS = (("seed", "The run's seed"),
           ("settings", "Its varied settings"),
           ("verdict", "stuck: an output within 0.1 of 0.5 or the error at the 0.5 plateau; "
                       "still improving: every output on its side of 0.5"),
           ("error", "Its error when the budget ran out"))
CSV_FORMATS = {".csv": "CSV table"}
PLOT_FORMATS = {suffix: FORMATS[suffix] for suffix in (".png", ".svg")}


class SweepWindow(QDialog):
    """Non-modal, beside the main ``window`` (a MainWindow), whose configuration it sweeps
    and into which it opens runs. ``workers``: processes for the runs (None: every core)."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("sweep_window")
        self.setWindowTitle("Sweep — XOR Lab")
        self.setModal(False)
        self._window = window
        self.workers: int | None = None
        self.sweep: Sweep | None = None
        self.result = None  # the SweepResult of the last sweep that ended
        self.stats = None  # the latest SweepStats shown
        self.runner = SweepRunner(self)
        self.runner.progressed.connect(self._on_progressed)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.plots = SweepPlots(window.theme)
        splitter = QSplitter()
        # At a large zoom the controls may need more height than the window has: they
        # scroll rather than being cut.
        self._controls = controls = QScrollArea()
        controls.setWidget(self._build_controls())
        controls.setWidgetResizable(True)
        controls.setFrameShape(QFrame.Shape.NoFrame)
        splitter.addWidget(controls)
        splitter.addWidget(self.plots)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        window.controller.config_changed.connect(self.form.show_config)
        window.installEventFilter(self)  # a main window closing mid-sweep stops it first
        self.form.show_config(window.controller.config)
        self._set_running(False)
        self.apply_theme(window.theme)

    # Building ----------------------------------------------------------------------------
    def _build_controls(self) -> QWidget:
        panel = QWidget()
        self.form = SweepForm()
        if self._window.memory.remembers:  # where the last sweep ran
            self.form.scheduler.setText(settings.remembered_scheduler())
        self.run_button = self._button("sweep_run", "Run", self.run,
                                       "Train every seed for every varied value")
        self.cancel_button = self._button("sweep_cancel", "Cancel", self.cancel,
                                          "Stop after the runs under way (under a second)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("sweep_progress")
        self.progress.setTextVisible(False)
        self.progress_text = self._label("sweep_progress_text")
        self.summary = self._label("sweep_summary", wrap=True)
        self.unconverged_title = self._label("sweep_unconverged_title", wrap=True)
        self.unconverged = read_only_table("sweep_unconverged", COLUMNS)
        self.unconverged.setToolTip("Click a run to open it in the main window at iteration 0")
        self.unconverged.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.unconverged.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.unconverged.horizontalHeader().setStretchLastSection(True)
        self.unconverged.cellClicked.connect(self._on_unconverged_clicked)
        self.export_csv_button = self._button("sweep_export_csv", "Export runs…",
                                              self.ask_export_csv,
                                              "Every run as a CSV row: settings, seed, status, "
                                              "iterations, error, outputs")
        self.export_plots_button = self._button("sweep_export_plots", "Export plots…",
                                                self.ask_export_plots,
                                                "The plots as a PNG image or SVG drawing")
        exports = QHBoxLayout()
        exports.addWidget(self.export_csv_button)
        exports.addWidget(self.export_plots_button)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(self.form)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.progress_text)
        column.addWidget(self.summary)
        column.addWidget(self.unconverged_title)
        column.addWidget(self.unconverged, stretch=1)
        column.addLayout(exports)
        return panel

    @staticmethod
    def _label(name: str, wrap=False) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(wrap)
        return label

    @staticmethod
    def _button(name: str, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(lambda *_: slot())
        return button

    def apply_theme(self, theme: themes.Theme):
        self.setFont(theme.font(theme.ui_point_size))
        self.setPalette(themes.palette(theme))
        # a few rows of the list stay visible however large the zoom (the controls scroll)
        self.unconverged.setMinimumHeight(QFontMetrics(self.font()).height() * 8)
        # as wide as the fields need: a scroll area would let the splitter squeeze them
        content = self._controls.widget()
        content.setFont(self.font())
        self._controls.setMinimumWidth(content.minimumSizeHint().width()
                                       + self._controls.verticalScrollBar().sizeHint().width())
        self.form.apply_theme(theme)
        self.plots.apply_theme(theme)

    # Running -----------------------------------------------------------------------------
    def run(self) -> bool:
        """Start the sweep the fields ask for; False (and a message) when they are bad."""
        if self.runner.is_running():
            return False
        sweep = self.form.read_sweep(self._window.controller.config)
        if sweep is None:
            return False
        self.sweep, self.result, self.stats = sweep, None, None
        self.plots.set_varied(sweep.varied_names)
        self.unconverged.setColumnHidden(1, not sweep.varied)
        self.progress.setRange(0, sweep.runs)
        self.progress.setValue(0)
        where = f"connecting to {self.form.address}" if self.form.address else "starting"
        self.progress_text.setText(f"0/{sweep.runs:,} runs: {where}…")
        self._set_running(True)
        self.runner.start(sweep, self.workers, scheduler=self.form.address)
        if self._window.memory.remembers:
            settings.remember_scheduler(self.form.address)
        return True

    def cancel(self):
        """Stop the sweep: no new chunk starts; what was done stays shown."""
        self.runner.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_text.setText(self.progress_text.text() + " — cancelling…")

    def is_running(self) -> bool:
        return self.runner.is_running()

    def _set_running(self, running: bool):
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.form.setEnabled(not running)
        has_runs = self.stats is not None and self.stats.done > 0
        self.export_csv_button.setEnabled(not running and has_runs)
        self.export_plots_button.setEnabled(has_runs)

    def _on_progressed(self, stats):
        self._show_stats(stats)
        self.export_plots_button.setEnabled(stats.done > 0)

    def _on_finished(self, result, stats):
        self.result = result
        self._show_stats(stats)
        if result.cancelled:
            self.progress_text.setText(f"Cancelled: {stats.done:,} of {stats.total:,} runs "
                                       f"done in {stats.seconds:.1f} s")
        self._set_running(False)

    def _on_failed(self, error: Exception):
        self.progress_text.setText(f"The sweep stopped: {error}")
        self._set_running(False)

    def _show_stats(self, stats):
        self.stats = stats
        self.progress.setValue(stats.done)
        self.progress_text.setText(stats.progress_text())
        self.summary.setText(stats.summary_text())
        listed = len(stats.unconverged)
        title = f"Did not converge: {stats.unconverged_count:,}"
        if listed < stats.unconverged_count:
            title += f" (the first {listed:,} listed; the CSV has them all)"
        self.unconverged_title.setText(title + " — click one to open it")
        table = self.unconverged
        table.setRowCount(listed)
        for row, entry in enumerate(stats.unconverged):
            for column, text in enumerate((str(entry.run.seed), entry.settings_text,
                                           entry.verdict, f"{entry.run.error:.3g}")):
                item = table.item(row, column)
                if item is None:
                    table.setItem(row, column, QTableWidgetItem(text))
                elif item.text() != text:
                    item.setText(text)
        self.plots.show_stats(stats)

    # Opening a run -------------------------------------------------------------------------
    def open_run(self, run):
        """Show ``run`` of the last sweep in the main window, paused at iteration 0."""
        config = run_config(self.sweep, run)
        controller = self._window.controller
        restarts = controller.config.needs_restart(config)
        controller.set_config(config)
        if not restarts:  # only trainable settings changed: start it over all the same
            controller.reset()
        settings_text = ", ".join(f"{name} {setting_text(value)}" for name, value in run.settings)
        self._window.statusBar().showMessage(
            f"Sweep run: seed {run.seed}" + (f", {settings_text}" if settings_text else "")
            + f" at iteration 0 ({run.status.value} after {run.iterations:,} updates in the "
            "sweep)", 15_000)
        self._window.raise_()
        self._window.activateWindow()

    def _on_unconverged_clicked(self, row: int, _column: int):
        if self.stats is not None and row < len(self.stats.unconverged):
            self.open_run(self.stats.unconverged[row].run)

    # Exporting ---------------------------------------------------------------------------
    def _ask_path(self, caption: str, name: str, formats: dict) -> Path | None:
        filters = ";;".join(f"{text} (*{suffix})" for suffix, text in formats.items())
        typed, chosen = QFileDialog.getSaveFileName(
            self, caption, str(Path(settings.last_folder()) / name), filters)
        return with_suffix(typed, formats, chosen) if typed else None

    def _base_name(self) -> str:
        varied = "-".join(self.sweep.varied_names) if self.sweep.varied else "seeds"
        return f"xor-lab-sweep-{varied}-{self.sweep.runs}"

    def ask_export_csv(self):
        path = self._ask_path("Export the sweep's runs", self._base_name(), CSV_FORMATS)
        if path is not None:
            self.export_csv(path)

    def export_csv(self, path) -> bool:
        """Every run done as a CSV row (engine.sweep.csv_text); a dialog says why not."""
        runs = self.result.runs if self.result is not None else ()
        try:
            check_suffix(path, tuple(CSV_FORMATS), "a sweep table")
            write_text_atomic(path, csv_text(runs, self.sweep.varied_names))
        except FileError as error:  # an OSError's too
            self._show_error("Could not export the runs", path, error)
            return False
        settings.remember_folder(path)
        return True

    def ask_export_plots(self):
        path = self._ask_path("Export the sweep's plots", self._base_name(), PLOT_FORMATS)
        if path is not None:
            self.export_plots(path)

    def export_plots(self, path) -> bool:
        """The plots as a PNG (at twice their size) or SVG file; a dialog says why not."""
        try:
            suffix = check_suffix(path, tuple(PLOT_FORMATS), "a figure")
            writable_target(path)
            write_bytes_atomic(path, figure_bytes(self.plots, suffix))
        except (FileError, FigureError, OSError) as error:
            self._show_error("Could not export the plots", path, error)
            return False
        settings.remember_folder(path)
        return True

    def _show_error(self, title: str, path, error: Exception):
        reason = str(error)
        if str(path) not in reason:
            reason = f"{path}: {reason}"
        QMessageBox.critical(self, title, reason)

    # Closing -----------------------------------------------------------------------------
    def shutdown(self):
        """Cancel a sweep under way and wait for it: no thread or process outlives this."""
        self.runner.shutdown()

    def closeEvent(self, event):
        self.shutdown()
        super().closeEvent(event)

    def eventFilter(self, watched, event):
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


def open_sweep_window(window) -> SweepWindow:
    """The sweep window beside ``window`` (a MainWindow), without blocking it: the one
    already open is brought to the front."""
    return open_once(window, SweepWindow, "sweep_window", SweepWindow, modal=False)
