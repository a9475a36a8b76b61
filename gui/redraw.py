"""Redrawer: draws the latest frame through every view without holding the GUI for long.

A frame's cost lands in two places: each view's ``show_frame``, then the repaint Qt runs
once the event loop is back. For a 16-wide, 4-deep network in a 1600×1000 window that is
20–40 ms per plot while training shares the machine; drawing all views in one go blocked
the event loop for 100 ms and more. So views are drawn one per turn of the event loop
(cheap ones, whose ``show_frame`` took under CHEAP_SECONDS, are followed at once by the
next), the user's events and the repaint are handled between turns, and a new frame is
started no sooner than REDRAW_MS after the previous one began, nor before the GUI has
rested REST times as long as drawing it took; a frame that comes while the redrawer waits
for one is drawn at once (``wake``). Views out of sight are drawn when they come into it,
not on every frame.
"""

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from gui import crash

#: The shortest time between two frames drawn (40 per second at most).
REDRAW_MS = 25
#: After a frame, the GUI rests for this share of the time drawing it took: the worker
#: needs the interpreter lock between its compiled chunks, and a GUI that draws without
#: pause slowed training at unlimited speed to a third. At 1920×1080, zoom 200 %, 0.1
#: against 0.25 gave 29.4-32.2 redraws/s against 24.6-30.8, training as fast.
REST = 0.1
#: A view whose show_frame took less than this (an unchanged map, the status bar) leaves
#: nothing worth a turn of its own to paint.
CHEAP_SECONDS = 0.002


class Redrawer(QObject):
    """Draws ``latest()`` (a frame) through ``views``; ``drawn`` is the last frame every view
    has drawn."""

    #: A view raised while drawing (the exception, also given to the crash report).
    failed = Signal(object)

    def __init__(self, views, latest, parent=None):
        super().__init__(parent)
        self._views = views
        self._latest = latest
        self._pending = []  # the views still to draw ``_frame``
        self._frame = None
        self._frame_started = self._turn_started = self._frame_busy = 0.0
        self._running = False
        self._waiting = False  # for a new frame (none at the last turn): ``wake`` draws it
        self.drawn = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_turn)
        for view in views:
            if isinstance(view, QWidget):
                view.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        # A view out of sight (a side tab not chosen, the readout outside presentation mode)
        # is skipped while training (the backprop inspector alone cost 8 ms a frame); shown
        # again, it draws the frame the others show.
        if event.type() == QEvent.Type.Show and self.drawn is not None:
            self._draw(watched, self.drawn)
        return False

    def draw_all(self):
        """Draw the latest frame through every view now (e.g. after a theme change)."""
        self._frame = self._latest()
        for view in self._views:
            self._draw(view, self._frame)
        self._pending = []
        self.drawn = self._frame

    def start(self):
        """Draw new frames from now on (the latest is taken to be drawn: see draw_all)."""
        self._running = True
        self._waiting = True
        self._timer.start(REDRAW_MS)

    def wake(self):
        """A new frame has come: draw it now if the last turn found none to draw (else the
        next look is REDRAW_MS away: at 1920×1080 that cost a frame in seven)."""
        if self._waiting and self._running:
            self._waiting = False
            self._next(0)

    def stop(self):
        self._running = False
        self._timer.stop()

    def _on_turn(self):
        self._turn_started = time.perf_counter()
        self._waiting = False
        if not self._pending:
            frame = self._latest()
            if frame is self.drawn:  # nothing new: at its arrival (wake), or look again later
                self._waiting = True
                self._next(REDRAW_MS)
                return
            self._frame, self._pending = frame, [view for view in self._views
                                                 if _in_sight(view)]
            self._frame_started, self._frame_busy = self._turn_started, 0.0
        while self._pending:
            started = time.perf_counter()
            if not self._draw(self._pending.pop(0), self._frame):
                break
            if time.perf_counter() - started >= CHEAP_SECONDS:
                break
        # A zero timer fires once the events this turn posted (its repaint) are handled.
        QTimer.singleShot(0, self._on_painted)

    def _on_painted(self):
        now = time.perf_counter()
        self._frame_busy += now - self._turn_started
        if self._pending:  # the next view once the event loop has had its turn
            self._next(0)
            return
        self.drawn = self._frame
        # The next frame REDRAW_MS after this one began, or later when drawing it kept the
        # GUI busy for longer: training needs the interpreter too (see REST).
        period = max(REDRAW_MS / 1000, self._frame_busy * (1 + REST))
        self._next(max(0, round((period - (now - self._frame_started)) * 1000)))

    def _draw(self, view, frame) -> bool:
        """Draw ``frame`` through ``view``; False when it raised (reported, not raised)."""
        try:
            view.show_frame(frame)
        except Exception as error:  # noqa: BLE001 - one bad frame must not stop the drawing
            crash.report(error)
            self.failed.emit(error)
            return False
        return True

    def _next(self, ms: int):
        if self._running:
            self._timer.start(ms)


def _in_sight(view) -> bool:
    """Whether ``view`` is on screen (a view that is not a widget always is)."""
    return not isinstance(view, QWidget) or view.isVisible()
