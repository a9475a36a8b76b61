"""The File menu's work: open, save, export and recent files.

Sessions, the history, the grid and weights are written by the worker (the session holds
them), figures here (they are pixels of the window); every write goes through the engine's
file layer, so it is atomic. A failure shows a dialog that names the path and the reason,
and changes nothing: the old file stays, the run in the window goes on untouched.
"""

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.animation_file import FORMATS as ANIMATION_FORMATS
from engine.animation_file import mp4_missing
from engine.files import FileError, check_suffix, read_head, writable_target, write_bytes_atomic
from engine.session_file import SESSION_SUFFIX, load_session, saved_from_weights
from engine.weights_file import load_weights
from gui import settings
from gui.controller import BRIEF, NORMAL
from gui.figures import DEFAULT_SCALE, FORMATS, FigureError, copy_image, draw_figure
from gui.recorder import Recorder

#: The first bytes of a zip file, so of a session.
ZIP_MAGIC = b"PK\x03\x04"
#: What File ▸ Open and a drop accept.
OPENABLE = {SESSION_SUFFIX: "XOR Lab session", ".json": "XOR Lab weights"}
#: The worker's file requests: what they write and its format (suffix → name).
DATA_EXPORTS = {
    "save": ("session", {SESSION_SUFFIX: "XOR Lab session"}),
    "export_history": ("history", {".csv": "CSV table"}),
    "export_grid": ("decision grid", {".csv": "CSV table"}),
    "save_weights": ("weights", {".json": "XOR Lab weights"}),
}


def _filter_of(formats: dict) -> str:
    return ";;".join(f"{text} (*{suffix})" for suffix, text in formats.items())


def with_suffix(path: str, formats: dict, chosen_filter: str = "") -> Path:
    """``path``, or when it has no suffix at all, ``path`` with the one of the file dialog's
    chosen filter (else the first format's): "run" → "run.xorlab". A wrong suffix is kept,
    for the write to refuse with the formats it takes ("slide.jpg" is not "slide.jpg.png")."""
    path = Path(path)
    if path.suffix:
        return path
    chosen = next((s for s in formats if f"*{s}" in chosen_filter), next(iter(formats)))
    return path.with_name(path.name + chosen)


class FileCommands(QObject):
    """Open, save, export, recent files and dropped files for one MainWindow."""

    #: A figure was written (its path, and None) or could not be (the FileError).
    figure_written = Signal(str, object)
    #: A save of the session asked for here ended: whether it was written.
    session_written = Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._controller = window.controller
        self.current_path: Path | None = None
        self.png_scale = DEFAULT_SCALE
        self._pending = {}  # request number → (request, path, generation)
        #: Counts the files opened: a session saved before another was opened must not
        #: become the file Ctrl+S writes the other run to.
        self._generation = 0
        self._writers = []  # figure threads
        self.figure_written.connect(self._on_figure_written)
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
            # By what the file holds, not its name: a session renamed .json still opens.
            head = read_head(path, 64)
            if head.startswith(ZIP_MAGIC):
                saved, current = load_session(path), path
            elif head.lstrip().startswith(b"{"):
                config, layers, _ = load_weights(path)
                saved, current = saved_from_weights(config, layers, self._controller.view), None
            else:
                raise FileError(f"{path}: not an XOR Lab file (open a {SESSION_SUFFIX} session "
                                "or a .json weights file)")
        except FileError as error:
            settings.forget_file(path)
            self._show_error("Could not open the file", path, error)
            return False
        self._controller.open_session(saved, path.name)
        self._generation += 1
        self._set_current(current)
        settings.remember_file(path)
        return True

    # Saving -----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save the session to the file it came from or was last saved to (else ask).
        Returns whether the worker was asked to write it (``session_written`` follows)."""
        if self.current_path is None:
            return self.ask_save_as()
        return self.write_data("save", self.current_path)

    def ask_save_as(self) -> bool:
        return self.ask_data("save")

    def ask_data(self, request: str) -> bool:
        """Ask where, then have the worker write the session, history, grid or weights;
        returns whether it was asked to (not when cancelled)."""
        what, formats = DATA_EXPORTS[request]
        path = self._ask_save_path(f"Save the {what}", f"{self._base_name()}"
                                   f"{next(iter(formats))}", formats)
        return path is not None and self.write_data(request, path)

    def write_data(self, request: str, path) -> bool:
        """Check the target now (a clear refusal before any work), then let the worker
        write; the result arrives in ``_on_request_finished``. Returns whether it was
        asked to."""
        what, formats = DATA_EXPORTS[request]
        try:
            check_suffix(path, formats, f"the {what}")
            writable_target(path)
        except FileError as error:
            self._show_error(f"Could not save the {what}", path, error)
            if request == "save":
                self.session_written.emit(False)
            return False
        number = self._controller.request(request, str(path))
        self._pending[number] = (request, Path(path), self._generation)
        return True

    def _on_request_finished(self, number: int, _value, error):
        request, path, generation = self._pending.pop(number, (None, None, None))
        if request is None:
            return
        what = DATA_EXPORTS[request][0]
        if error is not None:
            self._show_error(f"Could not save the {what}", path, error)
        else:
            _remember(path)
            if request == "save" and generation == self._generation:
                self._set_current(path)
            self._post(f"Saved the {what} to {path}")
        if request == "save":
            self.session_written.emit(error is None)

    # Figures ----------------------------------------------------------------------------
    def ask_figure(self, panel: str):
        """Ask where, then write ``panel`` ("window" or a panel's name) as PNG, SVG or PDF."""
        path = self._ask_save_path("Export a figure", f"{self._base_name()}-{panel}.png",
                                   FORMATS)
        if path is not None:
            self.write_figure(panel, path)

    def write_figure(self, panel: str, path, scale: float | None = None) -> bool:
        """Draw ``panel`` now, then compress and write it in a thread; ``figure_written``
        says when it is done. Returns False (after a dialog) when it cannot even start."""
        path = Path(path)
        try:
            suffix = check_suffix(path, FORMATS, "a figure")
            writable_target(path)
            finish = draw_figure(self._window.figure_widget(panel), suffix,
                                 self.png_scale if scale is None else scale)
        except (FileError, FigureError) as error:
            self._show_error("Could not export the figure", path, error)
            return False
        writer = threading.Thread(target=self._write_figure, args=(path, finish),
                                  name="xor-lab-figure")
        self._writers = [thread for thread in self._writers if thread.is_alive()] + [writer]
        writer.start()
        return True

    def _write_figure(self, path: Path, finish):
        try:
            write_bytes_atomic(path, finish())
        except FileError as error:
            self.figure_written.emit(str(path), error)
        else:
            self.figure_written.emit(str(path), None)

    def _on_figure_written(self, path: str, error):
        if error is not None:
            self._show_error("Could not export the figure", path, error)
            return
        _remember(path)
        self._post(f"Exported the figure to {path}")

    def shutdown(self):
        """At exit: figures being written are finished; a clip in the making is dropped."""
        for writer in self._writers:
            writer.join()
        self.recorder.shutdown()

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
        path = self._ask_save_path("Record an animation",
                                   f"{self._base_name()}-{content}.gif", formats)
        if path is not None:
            self.record(path, content)

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
            _remember(path)

    # Helpers ----------------------------------------------------------------------------
    def _base_name(self) -> str:
        if self.current_path is not None:
            return self.current_path.stem
        config = self._controller.config
        return f"xor-lab-{config.gate}-seed{config.seed}"

    def _ask_save_path(self, caption: str, name: str, formats: dict) -> Path | None:
        """Where to write one of ``formats`` (None: cancelled). The dialog asks before it
        replaces the name typed; when a suffix was added to it, this asks before replacing
        the file of that name."""
        typed, chosen = QFileDialog.getSaveFileName(
            self._window, caption, str(Path(settings.last_folder()) / name),
            _filter_of(formats))
        if not typed:
            return None
        path = with_suffix(typed, formats, chosen)
        if path != Path(typed) and path.exists():
            answer = QMessageBox.question(
                self._window, "Replace the file?",
                f"{path.name} already exists in {path.parent}. Replace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return path

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



def _remember(path):
    """A file written: its folder is the last used; it is a recent file if Open takes it."""
    if Path(path).suffix.lower() in OPENABLE:
        settings.remember_file(path)
    else:
        settings.remember_folder(path)
