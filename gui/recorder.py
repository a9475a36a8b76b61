"""Record animation: frames the session captured every K iterations, drawn offscreen through
the same panels as the window, stamped with their iteration and encoded as GIF or MP4.

Nothing here holds the window: the session captures while it trains (in the worker), the
frames are drawn one per turn of the event loop, and encoding runs in a thread. The status
bar shows how far each stage is.
"""

import threading

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from engine.animation_file import Cancelled, FrameStore, write_animation
from engine.recording import FPS
from engine.trainer import Status
from gui import theme as themes
from gui.figures import render_image
from gui.panels.decision_panel import DecisionPanel
from gui.panels.error_panel import ErrorPanel
from gui.panels.gradient_panel import GradientPanel
from gui.panels.parameter_panel import ParameterPanel

#: What a clip shows, and its size in pixels.
CONTENTS = {
    "decision": ("Decision regions and error", (1200, 576)),
    "panels": ("All four panels", (1280, 896)),
}


class AnimationView(QWidget):
    """The panels of a clip, laid out for it and never shown on screen."""

    def __init__(self, content: str, theme: themes.Theme):
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        # Not a window of the app's: closing the main window must end the app without it.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setAutoFillBackground(True)
        self.stamp = QLabel()
        font = QFont(self.stamp.font())
        font.setPointSizeF(theme.title_point_size * 1.2)
        font.setBold(True)
        self.stamp.setFont(font)
        self.stamp.setContentsMargins(12, 4, 12, 0)
        plots = QGridLayout()
        self.panels = [ErrorPanel(theme), DecisionPanel(theme)]
        if content == "panels":  # as the window has them, two by two
            self.panels += [GradientPanel(theme), ParameterPanel(theme)]
        for index, panel in enumerate(self.panels):
            # The figures only (title, legend, plot), not the sliders under them.
            plots.addWidget(panel.figure, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stamp)
        layout.addLayout(plots, stretch=1)
        self.resize(*CONTENTS[content][1])
        self.show()

    def fit(self, frame):
        """Fix every axis on ``frame`` (the clip's last: the whole run) for the clip."""
        for panel in self.panels:
            panel.hold_range(False)
            panel.show_frame(frame)
            panel.hold_range(True)

    def draw(self, frame) -> QImage:
        """``frame`` as an image."""
        for panel in self.panels:
            panel.show_frame(frame)
        snapshot = frame.snapshot
        config = snapshot.config
        self.stamp.setText(f"iteration {snapshot.iteration:,}    error {snapshot.error:.3e}"
                           f"    ({config.gate}, hidden {list(config.hidden)}, "
                           f"seed {config.seed})")
        return render_image(self, 1.0)


def rgb_array(image: QImage) -> np.ndarray:
    """(h, w, 3) uint8 copy of ``image``."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, :width * 3].reshape(height, width, 3).copy()


class Recorder(QObject):
    """Records the window's run: ``start(path, content)``, then ``stop()`` or the run's end.

    ``progressed(text)`` narrates each stage; ``finished(path, error or None)`` ends it.
    """

    progressed = Signal(str)
    finished = Signal(str, object)
    #: From the encoding thread: the error, or None.
    _encoded = Signal(object)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self._controller = controller
        self._theme = themes.LIGHT
        self._encoder = None
        self._cancel = threading.Event()
        self.path = None
        self._content = None
        self._stopping = None  # the request number of stop_recording
        self._frames = []
        self._images = FrameStore()
        self._view = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._draw_next)
        controller.frame_received.connect(self._on_frame)
        controller.request_finished.connect(self._on_request_finished)
        self._encoded.connect(self._on_encoded)

    @property
    def busy(self) -> bool:
        """Recording, drawing or encoding."""
        return self.path is not None

    def start(self, path, content: str = "decision", theme: themes.Theme = themes.LIGHT):
        if self.busy:
            raise RuntimeError("a recording is already in progress")
        self.path, self._content, self._theme = str(path), content, theme
        self._controller.start_recording()
        self.progressed.emit("● Recording: press Play; the clip ends when the run stops or "
                             "at File ▸ Record animation ▸ Stop")

    def stop(self):
        """End the recording now and make the clip of what was captured."""
        if self.path is not None and self._stopping is None and not self._frames:
            self._stopping = self._controller.request("stop_recording")

    def _on_frame(self, frame):
        if self.path is None or self._stopping is not None or self._frames:
            return
        if frame.recording is None:
            if frame.command >= self._controller.recording_command:
                self._fail(RuntimeError("the network restarted, so the recording stopped"))
            return
        status = frame.recording
        self.progressed.emit(f"● Recording: {status.frames} frames, one every {status.every:,} "
                             f"iterations ({status.frames / FPS:.1f} s of {self._content_name})")
        if not frame.running and frame.snapshot.status is not Status.RUNNING:
            self.stop()  # the run stopped by itself: converged, diverged or at its limit

    @property
    def _content_name(self) -> str:
        return CONTENTS[self._content][0].lower()

    def _on_request_finished(self, number: int, value, error):
        if number != self._stopping:
            return
        self._stopping = None
        if error is not None:
            self._fail(error)
            return
        self._frames = value
        self._view = AnimationView(self._content, self._theme)
        self._view.fit(value[-1])
        self._timer.start()

    def _draw_next(self):
        """One frame per turn of the event loop."""
        try:
            frame = self._frames[len(self._images)]
            image = self._view.draw(frame)
            self._images.append(rgb_array(image))  # compressed: see FrameStore
        except Exception as error:  # noqa: BLE001 - reported like a failed write
            self._timer.stop()
            self._fail(error)
            return
        self.progressed.emit(f"Drawing the animation: frame {len(self._images)} of "
                             f"{len(self._frames)}")
        if not self.busy:
            return  # a slot of progressed closed the window
        if len(self._images) == len(self._frames):
            self._timer.stop()
            self._view.close()
            self._view.deleteLater()
            self._view = None
            self._encoder = threading.Thread(target=self._encode, name="xor-lab-encoder",
                                             args=(self.path, self._images))
            self._encoder.start()
            self.progressed.emit(f"Encoding {self.path} …")

    def _encode(self, path, images):
        try:
            write_animation(path, images, cancelled=self._cancel.is_set)
        except Cancelled:
            return  # the window is closing
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread
            self._encoded.emit(error)
        else:
            self._encoded.emit(None)

    def shutdown(self):
        """At exit: drop a clip in the making (an encoding stops at its next frame, and
        writes nothing)."""
        self._timer.stop()
        self._cancel.set()
        if self._encoder is not None:
            self._encoder.join()
            self._encoder = None
        self._reset()

    def _on_encoded(self, error):
        self._encoder = None
        if error is not None:
            self._fail(error)
            return
        path, count = self.path, len(self._images)
        self._reset()
        self.progressed.emit(f"Saved the animation to {path} ({count} frames, "
                             f"{count / FPS:.1f} s)")
        self.finished.emit(path, None)

    def _fail(self, error):
        path = self.path
        self._reset()
        self.finished.emit(path, error)

    def _reset(self):
        self.path = self._content = self._stopping = None
        self._frames, self._images = [], FrameStore()
        if self._view is not None:
            self._view.close()
            self._view.deleteLater()
            self._view = None
