"""The backprop inspector shows the engine's numbers beside the formulas, step by step."""

import re
from dataclasses import fields, replace
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from engine.config import PRESETS
from engine.session import TrainingSession
from engine.stepper import Stepper
from engine.trainer import Status
from gui import theme as themes
from gui.backprop_inspector import BackpropInspector

#: Numbers are shown with four decimals (or three significant digits when smaller).
SHOWN = dict(rtol=5e-3, atol=5e-5)
BUTTONS = ("inspect_forward", "inspect_backward", "inspect_apply", "inspect_iteration")


def session_frame(config=PRESETS["tutorial"], iterations=100):
    session = TrainingSession(config)
    session.step(iterations)
    return session.frame()


def with_inspection(frame, inspection):
    """``frame`` with an ``inspection``, as the session's frames carry one while stepping."""
    values = {field.name: getattr(frame, field.name) for field in fields(frame)}
    return SimpleNamespace(**{**values, "inspection": inspection})


def stepped(frame, *steps):
    """``frame`` with the inspection of the sample-level ``steps`` taken on its state."""
    stepper = Stepper(frame.snapshot.config, frame.snapshot.layers)
    for step in steps:
        getattr(stepper, step)()
    return with_inspection(frame, stepper.state())


@pytest.fixture
def inspector(qtbot):
    widget = BackpropInspector(themes.LIGHT)
    qtbot.addWidget(widget)
    widget.resize(500, 600)
    widget.show()
    return widget


def value(widget, kind, layer=None) -> QLabel:
    name = f"inspector_{kind}" + ("" if layer is None else f"_{layer}")
    label = widget.findChild(QLabel, name)
    assert label is not None, name
    return label


def numbers(label: QLabel) -> np.ndarray:
    """The numbers a row shows, in reading order (the samples' inputs of a batch left out)."""
    text = re.sub(r"\(\d, \d\)", "", label.text()).replace("−", "-")
    return np.array([float(n) for n in re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?|\b\d+\b", text)])


def colour_behind(widget, label: QLabel) -> QColor:
    """The colour on screen at the top left corner of a row's numbers, scrolled to."""
    QApplication.processEvents()  # the layout's and the scroll bars' pending updates
    widget.scroll.ensureWidgetVisible(label)
    widget.scroll.horizontalScrollBar().setValue(0)  # a row's start, not its end
    return widget.grab().toImage().pixelColor(label.mapTo(widget, QPoint(1, 1)))


def highlighted(widget, label: QLabel) -> bool:
    """Whether the row is drawn on the theme's highlight colour, as a user sees it."""
    return colour_behind(widget, label) == QColor(widget.theme.highlight_colour)


def choose(widget, sample):
    """Pick a sample (0…3) or the whole batch (None) in the chooser, as a user does."""
    widget.sample.setCurrentIndex(widget.sample.count() - 1 if sample is None else sample)


def test_a_chosen_samples_numbers_are_the_engines(inspector):
    frame = session_frame()
    parts = frame.anatomy
    inspector.show_frame(frame)
    for sample in (2, 1):
        choose(inspector, sample)
        assert inspector.sample.currentText() == (
            f"x = ({parts.x[sample, 0]:g}, {parts.x[sample, 1]:g}), y = {parts.y[sample, 0]:g}")
        for layer in (0, 1):
            np.testing.assert_allclose(numbers(value(inspector, "pre", layer)),
                                       parts.pre[layer][sample], **SHOWN)
            np.testing.assert_allclose(numbers(value(inspector, "post", layer)),
                                       parts.post[layer][sample], **SHOWN)
            np.testing.assert_allclose(numbers(value(inspector, "delta", layer)),
                                       parts.deltas[layer][sample], **SHOWN)
        np.testing.assert_allclose(numbers(value(inspector, "loss")),
                                   [parts.sample_loss[sample]], **SHOWN)
    # The gradients and the update are the batch's, whichever sample is chosen.
    for layer, ((dw, db), (uw, ub)) in enumerate(zip(parts.gradients, parts.updates)):
        np.testing.assert_allclose(numbers(value(inspector, "dw", layer)), dw.ravel(), **SHOWN)
        np.testing.assert_allclose(numbers(value(inspector, "db", layer)), db.ravel(), **SHOWN)
        np.testing.assert_allclose(numbers(value(inspector, "update_w", layer)), uw.ravel(),
                                   **SHOWN)
        np.testing.assert_allclose(numbers(value(inspector, "update_b", layer)), ub.ravel(),
                                   **SHOWN)
    np.testing.assert_allclose(numbers(value(inspector, "error")), [frame.snapshot.error],
                               **SHOWN)
    choose(inspector, None)
    np.testing.assert_allclose(numbers(value(inspector, "post", 1)), parts.post[1][:, 0],
                               **SHOWN)
    assert value(inspector, "post", 1).text().count("\n") == 3  # a line per sample


def test_the_formulas_follow_the_network(inspector, qtbot):
    inspector.show_frame(session_frame())
    texts = [label.text() for label in inspector.findChildren(QLabel)]
    for formula in ("a_h = x · w_hidden + b_hidden", "y_h = σ(a_h)", "y_o = ŷ = σ(a_o)",
                    "δ_o = (ŷ − y) · ŷ(1 − ŷ)", "∂E/∂w_output = y_hᵀ · δ_o",
                    "Δb_hidden = −α Σ all δ_h"):  # the tutorial's summed bias step
        assert formula in texts
    config = PRESETS["tanh"].replace(hidden=(3, 2), loss="cross-entropy")
    frame = session_frame(config, iterations=5)
    inspector.show_frame(frame)
    texts = [label.text() for label in inspector.findChildren(QLabel)]
    for formula in ("hidden layer 1", "hidden layer 2", "output layer",
                    "a_h2 = y_h1 · w_hidden2 + b_hidden2", "y_h1 = tanh(a_h1)",
                    "δ_o = ŷ − y", "δ_h1 = (δ_h2 · w_hidden2ᵀ) ⊙ (1 − y_h1²)",
                    "Δb_hidden1 = −α ∂E/∂b_hidden1"):
        assert formula in texts
    np.testing.assert_allclose(numbers(value(inspector, "post", 1)),
                               frame.anatomy.post[1][0], **SHOWN)
    # Longer than the panel: it scrolls.
    qtbot.waitUntil(lambda: inspector.scroll.verticalScrollBar().maximum() > 0, timeout=1000)


def test_stepping_shows_what_is_computed_so_far_and_highlights_the_last_step(inspector):
    frame = session_frame()
    inspector.show_frame(stepped(frame, "forward", "forward"))
    state = stepped(frame, "forward", "forward").inspection
    assert inspector.sample.currentIndex() == 1  # it follows the sample just stepped
    np.testing.assert_allclose(numbers(value(inspector, "post", 0)), state.samples[1].post[0],
                               **SHOWN)
    assert highlighted(inspector, value(inspector, "post", 0))
    assert highlighted(inspector, value(inspector, "loss"))
    assert value(inspector, "delta", 0).text() == "—"
    assert value(inspector, "dw", 1).text() == "—"
    assert value(inspector, "update_w", 1).text() == "—"
    assert value(inspector, "error").text() == "—"  # the mean needs all four samples
    assert not highlighted(inspector, value(inspector, "delta", 1))

    inspector.show_frame(stepped(frame, "forward", "forward", "backward"))
    assert inspector.sample.currentIndex() == 0
    assert highlighted(inspector, value(inspector, "delta", 1))
    assert highlighted(inspector, value(inspector, "dw", 1))
    assert not highlighted(inspector, value(inspector, "post", 0))
    choose(inspector, 2)  # not yet forward: nothing computed, nothing highlighted
    assert value(inspector, "pre", 0).text() == "—"
    assert not highlighted(inspector, value(inspector, "delta", 1))
    assert highlighted(inspector, value(inspector, "dw", 1))  # the batch's sum grew

    choose(inspector, None)  # the whole batch: a line per sample, "—" for those not done
    lines = value(inspector, "delta", 1).text().split("\n")
    assert [line.endswith("—") for line in lines] == [False, True, True, True]
    everything = stepped(frame, *["forward"] * 4, *["backward"] * 4)
    inspector.show_frame(everything)
    assert inspector.sample.currentIndex() == 4  # watching the batch: it stays there
    for layer, (uw, _) in enumerate(everything.inspection.updates):
        np.testing.assert_allclose(numbers(value(inspector, "update_w", layer)), uw.ravel(),
                                   **SHOWN)
        assert highlighted(inspector, value(inspector, "update_w", layer))
    np.testing.assert_allclose(numbers(value(inspector, "error")), [frame.snapshot.error],
                               **SHOWN)

    inspector.show_frame(frame)  # stepping over: the whole pass, nothing highlighted
    assert not highlighted(inspector, value(inspector, "update_w", 1))
    np.testing.assert_allclose(numbers(value(inspector, "delta", 1)),
                               frame.anatomy.deltas[1][:, 0], **SHOWN)


def test_the_buttons_ask_for_their_steps_when_the_steps_can_be_taken(inspector, qtbot):
    frame = session_frame()

    def enabled():
        return [inspector.findChild(QPushButton, name).isEnabled() for name in BUTTONS]

    inspector.show_frame(frame)
    assert enabled() == [True, False, False, True]
    assert "Step forward" in inspector.hint.text()
    inspector.show_frame(stepped(frame, "forward"))
    assert enabled() == [True, True, False, True]
    assert "waits for every sample's backward pass" in inspector.hint.text()
    inspector.show_frame(stepped(frame, *["forward"] * 4))
    assert enabled() == [False, True, False, True]
    inspector.show_frame(stepped(frame, *["forward"] * 4, *["backward"] * 4))
    assert enabled() == [False, False, True, True]
    stopped = replace(frame, snapshot=replace(frame.snapshot, status=Status.CONVERGED))
    inspector.show_frame(stopped)
    assert enabled() == [True, False, False, False]  # a stopped run makes no more updates

    inspector.show_frame(stepped(frame, "forward"))
    signals = (inspector.forward_requested, inspector.backward_requested,
               inspector.iteration_requested)
    for name, signal in zip(("inspect_forward", "inspect_backward", "inspect_iteration"),
                            signals):
        button = inspector.findChild(QPushButton, name)
        assert button.toolTip()
        with qtbot.waitSignal(signal, timeout=1000):
            button.click()
    inspector.show_frame(stepped(frame, *["forward"] * 4, *["backward"] * 4))
    with qtbot.waitSignal(inspector.apply_requested, timeout=1000):
        inspector.findChild(QPushButton, "inspect_apply").click()


def test_a_theme_restyles_the_rows_and_the_highlight(inspector):
    inspector.show_frame(stepped(session_frame(), "forward"))
    row = value(inspector, "post", 1)
    assert highlighted(inspector, row)
    small = row.sizeHint().height()
    inspector.apply_theme(themes.DARK.zoomed(200))
    assert highlighted(inspector, row)
    assert row.font().pointSizeF() == themes.DARK.zoomed(200).label_point_size
    assert row.sizeHint().height() > 1.5 * small
    unmarked = value(inspector, "delta", 1)
    assert colour_behind(inspector, unmarked) == QColor(themes.DARK.background)
