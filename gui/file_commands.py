"""The File menu's work: open, save, export and recent files.

Sessions, the history, the grid and weights are written by the worker (the session holds
them), figures here (they are pixels of the window); every write goes through the engine's
file layer, so it is atomic. A failure shows a dialog that names the path and the reason,
and changes nothing: the old file stays, the run in the window goes on untouched.
"""

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.animation_file import FORMATS as ANIMATION_FORMATS
from engine.animation_file import mp4_missing
from engine.files import FileError, check_suffix, writable_target, write_bytes_atomic
from engine.session_file import SESSION_SUFFIX, SessionFileError, load_session, saved_from_weights
from engine.weights_file import WeightsFileError, load_weights
from gui import settings
from gui.controller import BRIEF, NORMAL
from gui.figures import DEFAULT_SCALE, FORMATS, FigureError, copy_image, figure_bytes
from gui.recorder import Recorder

#: What File ▸ Open and a drop accept.
OPENABLE = {SESSION_SUFFIX: "XOR Lab session", ".json": "XOR Lab weights"}
#: The worker's file requests: what they write, their suffix and a file dialog filter.
DATA_EXPORTS = {
    "save": ("session", SESSION_SUFFIX, "XOR Lab session (*.xorlab)"),
    "export_history": ("history", ".csv", "CSV table (*.csv)"),
    "export_grid": ("decision grid", ".csv", "CSV table (*.csv)"),
    "save_weights": ("weights", ".json", "XOR Lab weights (*.json)"),
}


def _filter_of(formats: dict) -> str:
    return ";;".join(f"{text} (*{suffix})" for suffix, text in formats.items())


def with_suffix(path: str, suffixes, chosen_filter: str = "") -> Path:
    """``path`` with a suffix: kept when it is one of ``suffixes``, else the one the file
    dialog's filter named (or the first) appended: "run" → "run.xorlab", "a.b" → "a.b.png"."""
    path = Path(path)
    if path.suffix.lower() in suffixes:
        return path
    chosen = next((s for s in suffixes if f"*{s}" in chosen_filter), suffixes[0])
    return path.with_name(path.name + chosen)


class FileCommands(QObject):
    """Open, save, export, recent files and dropped files for one MainWindow."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._controller = window.controller
        self.current_path: Path | None = None
        self.png_scale = DEFAULT_SCALE
        self._pending = {}  # request number → (what, path)
        self.recorder = Recorder(self._controller, self)
        self.recorder.progressed.connect(lambda text: window.statusBar().showMessage(text, 0))
        self.recorder.finished.connect(self._on_recording_finished)
        self._controller.request_finished.connect(self._on_request_finished)

    # Opening ----------------------------------------------------------------------------
    def ask_open(self):
        filters = (f"XOR Lab files (*{' *'.join(OPENABLE)});;" + _filter_of(OPENABLE)
                   + ";;All files (*)")
        path, _ = QFileDialog.getOpenFileName(self._window, "Open a session or weights",
                                              settings.last_folder(), filters)
        if path:
            self.open_path(path)

    def open_path(self, path) -> bool:
        """Open a session or weights file in the window; a dialog says why when it cannot
        (and the run on screen is kept). Returns whether it opened."""
        path = Path(path)
        try:
            if path.suffix.lower() == SESSION_SUFFIX:
                saved, current = load_session(path), path
            elif path.suffix.lower() == ".json":
                config, layers, _ = load_weights(path)
                saved, current = saved_from_weights(config, layers, self._controller.view), None
            else:
                raise FileError(f"{path}: not an XOR Lab file (open a {SESSION_SUFFIX} session "
                                "or a .json weights file)")
        except (FileError, SessionFileError, WeightsFileError) as error:
            settings.forget_file(path)
            self._show_error("Could not open the file", path, error)
            return False
        self._controller.open_session(saved, path.name)
        self._set_current(current)
        settings.remember_file(path)
        return True

    # Saving -----------------------------------------------------------------------------
    def save(self):
        """Save the session to the file it came from or was last saved to (else ask)."""
        if self.current_path is None:
            self.ask_save_as()
        else:
            self.write_data("save", self.current_path)

    def ask_save_as(self):
        self.ask_data("save")

    def ask_data(self, request: str):
        """Ask where, then have the worker write the session, history, grid or weights."""
        what, suffix, file_filter = DATA_EXPORTS[request]
        path, _ = self._ask_save_path(f"Save the {what}", f"{self._base_name()}{suffix}",
                                      file_filter)
        if path:
            self.write_data(request, with_suffix(path, (suffix,)))

    def write_data(self, request: str, path):
        """Check the target now (a clear refusal before any work), then let the worker
        write; the result arrives in ``_on_request_finished``."""
        what = DATA_EXPORTS[request][0]
        try:
            writable_target(path)
        except FileError as error:
            self._show_error(f"Could not save the {what}", path, error)
            return
        number = self._controller.request(request, str(path))
        self._pending[number] = (request, Path(path))

    def _on_request_finished(self, number: int, _value, error):
        request, path = self._pending.pop(number, (None, None))
        if request is None:
            return
        what = DATA_EXPORTS[request][0]
        if error is not None:
            self._show_error(f"Could not save the {what}", path, error)
            return
        settings.remember_file(path)
        if request == "save":
            self._set_current(path)
        self._post(f"Saved the {what} to {path}")

    # Figures ----------------------------------------------------------------------------
    def ask_figure(self, panel: str):
        """Ask where, then write ``panel`` ("window" or a panel's name) as PNG, SVG or PDF."""
        path, chosen = self._ask_save_path("Export a figure", f"{self._base_name()}-{panel}.png",
                                           _filter_of(FORMATS))
        if path:
            self.write_figure(panel, with_suffix(path, tuple(FORMATS), chosen))

    def write_figure(self, panel: str, path, scale: float | None = None):
        path = Path(path)
        try:
            suffix = check_suffix(path, FORMATS, "a figure")
            data = figure_bytes(self._window.figure_widget(panel), suffix,
                                self.png_scale if scale is None else scale)
            write_bytes_atomic(path, data)
        except (FileError, FigureError) as error:
            self._show_error("Could not export the figure", path, error)
            return False
        settings.remember_file(path)
        self._post(f"Exported the figure to {path}")
        return True

    def copy_figure(self, panel: str):
        """``panel`` on the clipboard as an image at the PNG scale."""
        try:
            copy_image(self._window.figure_widget(panel), self.png_scale)
        except FigureError as error:
            self._post(f"Could not copy the image: {error}")
            return
        self._post("Copied the image: paste it into your slides")

    # Animations -------------------------------------------------------------------------
    def ask_record(self, content: str):
        """Ask where, then record ``content`` (a key of gui.recorder.CONTENTS)."""
        formats = dict(ANIMATION_FORMATS)
        if mp4_missing():
            del formats[".mp4"]
        path, chosen = self._ask_save_path("Record an animation",
                                           f"{self._base_name()}-{content}.gif",
                                           _filter_of(formats))
        if path:
            self.record(with_suffix(path, tuple(formats), chosen), content)

    def record(self, path, content: str = "decision") -> bool:
        try:
            check_suffix(path, ANIMATION_FORMATS, "an animation")
            if Path(path).suffix.lower() == ".mp4" and mp4_missing():
                raise FileError(mp4_missing())
            writable_target(path)
        except (FileError, ValueError) as error:
            self._show_error("Could not record the animation", path, error)
            return False
        self.recorder.start(path, content, self._window.theme)
        return True

    def _on_recording_finished(self, path: str, error):
        if error is not None:
            self._window.statusBar().clearMessage()
            self._show_error("Could not record the animation", path, error)
        else:
            settings.remember_file(path)

    # Helpers ----------------------------------------------------------------------------
    def _base_name(self) -> str:
        if self.current_path is not None:
            return self.current_path.stem
        config = self._controller.config
        return f"xor-lab-{config.gate}-seed{config.seed}"

    def _ask_save_path(self, caption: str, name: str, file_filter: str) -> tuple[str, str]:
        """(path or "" when cancelled, the filter chosen); the dialog asks before it
        overwrites."""
        return QFileDialog.getSaveFileName(
            self._window, caption, str(Path(settings.last_folder()) / name), file_filter)

    def _set_current(self, path: Path | None):
        self.current_path = path
        title = "XOR Lab" if path is None else f"{path.name} — XOR Lab"
        self._window.setWindowTitle(title)

    def _post(self, text: str):
        self._window.statusBar().showMessage(text, NORMAL if len(text) > 60 else BRIEF)

    def _show_error(self, title: str, path, error: Exception):
        """A dialog naming the path and the reason (the engine's messages name the path;
        others get it in front)."""
        reason = str(error)
        if str(path) not in reason:
            reason = f"{path}: {reason}"
        QMessageBox.critical(self._window, title, reason)

