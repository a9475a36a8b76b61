"""The log panels: a readout under the mouse, the convergence marker, honest gradient labels
and one colour per layer of a deep network."""

import math

import pytest
from PySide6.QtCore import QPointF

from engine.config import PRESETS
from engine.session import TrainingSession
from engine.trainer import Status
from gui import theme as themes
from gui.panels.error_panel import ErrorPanel
from gui.panels.gradient_panel import GradientPanel
from gui.panels.parameter_panel import ParameterPanel


def frame_after(config, updates):
    session = TrainingSession(config)
    session.step(updates)
    return session.frame()


@pytest.fixture
def shown(qtbot):
    """A panel, shown at a readable size, drawing ``frame``."""
    def show(panel, frame):
        qtbot.addWidget(panel)
        panel.resize(900, 420)
        panel.show()
        qtbot.waitExposed(panel)
        panel.show_frame(frame)
        panel.plot.grab()  # lays the plot out at its size and range
        return panel
    return show


def hover(panel, x, y):
    """Move the mouse over the data point (x, y) of a log panel, as the plot's scene reports
    it (a QTest.mouseMove goes through the cursor's screen position, which an offscreen
    window shown after another one does not always map back to the same point)."""
    view = panel.plot.getPlotItem().getViewBox()
    panel.plot.scene().sigMouseMoved.emit(view.mapViewToScene(QPointF(x, math.log10(y))))


def test_hovering_the_error_curve_reads_out_its_iteration_and_value(shown):
    frame = frame_after(PRESETS["tutorial"], 3000)
    panel = shown(ErrorPanel(themes.LIGHT), frame)
    assert panel.readout.text() == "" and not panel.readout.label.isVisible()
    index = len(frame.error.x) // 2
    x, y = frame.error.x[index], frame.error.smooth[index]
    hover(panel, x, y)
    assert panel.readout.point == ("error", x, y)
    assert panel.readout.text() == f"error\niteration {x:,.0f}\nmean error {y:.3g}"
    assert panel.readout.label.isVisible() and panel.readout.vertical.value() == x
    # The label stays inside the plot wherever the point is.
    for index in (0, -1):
        hover(panel, frame.error.x[index], frame.error.smooth[index])
        panel.plot.grab()  # the label takes its size on screen as it is painted
        inside = panel.plot.getPlotItem().getViewBox().sceneBoundingRect()
        assert inside.contains(panel.readout.label.sceneBoundingRect())


def test_hovering_a_gradient_curve_names_its_layer(shown):
    frame = frame_after(PRESETS["tutorial"], 3000)
    panel = shown(GradientPanel(themes.LIGHT), frame)
    output = frame.gradients[-1]  # the output layer's: well above the hidden ones here
    top = int(output.lines[:, 50].argmax())
    x, y = output.x[50], output.lines[top, 50]
    hover(panel, x, y)
    name, shown_x, shown_y = panel.readout.point
    assert name == "output layer" and shown_x == x
    assert shown_y == pytest.approx(y, rel=0.02)  # this series or one drawn on the same pixel
    assert panel.readout.text().startswith(f"output layer\niteration {x:,.0f}\n|∂E_sum/∂θ| ")


def test_hovering_a_parameter_curve_names_its_group(shown):
    frame = frame_after(PRESETS["tutorial"], 3000)
    panel = shown(ParameterPanel(themes.LIGHT), frame)
    trace = frame.parameters[0]  # output weights
    top = int(trace.lines[:, -1].argmax())
    hover(panel, trace.x[-1], trace.lines[top, -1])
    assert panel.readout.text().startswith(f"output weights\niteration {trace.x[-1]:,.0f}\n|θ| ")


def test_a_converged_run_is_marked_at_the_iteration_it_converged(shown):
    running = frame_after(PRESETS["tutorial"], 1000)
    panel = shown(ErrorPanel(themes.LIGHT), running)
    assert not panel.converged_marker.isVisible()
    done = frame_after(PRESETS["tutorial"], 1_000_000)
    assert done.snapshot.status is Status.CONVERGED
    panel.show_frame(done)
    assert panel.converged_at == done.snapshot.iteration == 390_111
    assert panel.converged_marker.isVisible() and panel.converged_marker.value() == 390_111
    assert panel.converged_marker.label.toPlainText() == "converged at 390,111"
    panel.show_frame(running)  # back to a running state (a restart): no marker
    assert not panel.converged_marker.isVisible()


def test_the_gradient_panel_says_its_gradients_are_of_the_summed_error(shown):
    panel = shown(GradientPanel(themes.LIGHT), frame_after(PRESETS["tutorial"], 10))
    assert panel.figure.title.text() == "Gradients |∂E_sum/∂θ|"
    assert panel.plot.getPlotItem().getAxis("left").labelText == "|∂E_sum/∂θ|"
    assert "What am I looking at?" in panel.figure.title.toolTip()


@pytest.mark.parametrize("theme", [themes.LIGHT, themes.DARK])
def test_four_hidden_layers_get_five_colours_and_names(shown, theme):
    panel = shown(GradientPanel(theme), frame_after(PRESETS["deep4-sigmoid"], 300))
    entries = panel.legend.entries
    assert [entry.name for entry in entries] == [
        "hidden layer 1", "hidden layer 2", "hidden layer 3", "hidden layer 4", "output layer"]
    assert len({entry.colour.lower() for entry in entries}) == 5
