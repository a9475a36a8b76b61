"""The Redrawer draws every new frame through every view, one view per turn, and survives a
view that raises."""

from gui import redraw
from gui.redraw import Redrawer


class View:
    def __init__(self, log, name, fails=False):
        self.log, self.name, self.fails = log, name, fails

    def show_frame(self, frame):
        self.log.append((self.name, frame))
        if self.fails and frame == "bad":
            raise ValueError("cannot draw this")


def test_every_view_draws_the_latest_frame_and_errors_are_reported(qtbot):
    log, failures, latest = [], [], ["first"]
    views = [View(log, "a"), View(log, "b", fails=True), View(log, "c")]
    redrawer = Redrawer(views, lambda: latest[0])
    redrawer.failed.connect(failures.append)
    redrawer.draw_all()
    assert redrawer.drawn == "first" and len(log) == 3
    redrawer.start()
    latest[0] = "bad"
    qtbot.waitUntil(lambda: redrawer.drawn == "bad")
    assert [type(error) for error in failures] == [ValueError]
    assert [name for name, frame in log if frame == "bad"] == ["a", "b", "c"]
    latest[0] = "good"  # drawing goes on after the error
    qtbot.waitUntil(lambda: redrawer.drawn == "good")
    redrawer.stop()
    assert [name for name, frame in log if frame == "good"] == ["a", "b", "c"]


def test_a_frame_that_comes_while_it_waits_is_drawn_at_once(qtbot, monkeypatch):
    # Its own look for new frames is REDRAW_MS away; made a minute, only wake can draw it.
    monkeypatch.setattr(redraw, "REDRAW_MS", 60_000)
    log, latest = [], ["first"]
    redrawer = Redrawer([View(log, "a"), View(log, "b")], lambda: latest[0])
    redrawer.draw_all()
    redrawer.start()
    latest[0] = "second"
    redrawer.wake()
    qtbot.waitUntil(lambda: redrawer.drawn == "second")
    assert log[-2:] == [("a", "second"), ("b", "second")]
    redrawer.stop()
