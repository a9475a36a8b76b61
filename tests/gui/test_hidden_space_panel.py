"""The hidden-space panel, and the hidden units' lines, names and shades on the decision map."""

import numpy as np
import pytest
from PySide6.QtWidgets import QGraphicsPolygonItem

from engine.config import PRESETS
from engine.hidden_space import hidden_space
from engine.session import TrainingSession
from gui.panels.decision_panel import DecisionPanel
from gui.panels.hidden_space_panel import HiddenSpacePanel
from gui.theme import LIGHT


def _frame(config, iterations=None):
    session = TrainingSession(config)
    if iterations is None:
        session.trainer.run()
    else:
        session.step(iterations)
    return session.frame()


@pytest.fixture(scope="module")
def trained():
    return _frame(PRESETS["tutorial"])


def _drawn_points(panel) -> list[tuple[float, float]]:
    return sorted((float(x), float(y)) for scatter in panel.points
                  for x, y in zip(*scatter.getData()))


def test_the_panel_draws_the_engines_points_by_class_and_the_output_line(qtbot, trained):
    panel = HiddenSpacePanel(LIGHT)
    qtbot.addWidget(panel)
    panel.resize(450, 300)
    panel.show()
    panel.show_frame(trained)
    space = hidden_space(trained.anatomy, trained.snapshot.layers, "sigmoid")
    assert panel.plot.objectName() == "hidden_space_plot"
    assert _drawn_points(panel) == sorted(map(tuple, space.points.tolist()))
    class_1 = sorted(zip(*map(list, panel.points[1].getData())))
    np.testing.assert_array_equal(sorted(map(tuple, trained.anatomy.post[-2][1:3])), class_1)
    xs, ys = panel.boundary.getData()
    assert list(zip(xs, ys)) == list(space.boundary)
    assert [label.toPlainText() for label in panel.labels] == list(space.labels)
    item = panel.plot.getPlotItem()
    assert (item.getAxis("bottom").labelText, item.getAxis("left").labelText) == ("h₁", "h₂")
    assert panel.legend.names() == ["class 0", "class 1", "output 0.5"]


def test_the_panel_follows_the_network_to_its_principal_plane(qtbot, trained):
    panel = HiddenSpacePanel(LIGHT)
    qtbot.addWidget(panel)
    panel.show_frame(_frame(PRESETS["tutorial"], iterations=100))
    early = _drawn_points(panel)
    panel.show_frame(trained)
    assert _drawn_points(panel) != early  # it moves as the network learns
    wide = _frame(PRESETS["relu"], iterations=500)
    panel.show_frame(wide)
    space = hidden_space(wide.anatomy, wide.snapshot.layers, "relu")
    assert _drawn_points(panel) == sorted(map(tuple, space.points.tolist()))
    item = panel.plot.getPlotItem()
    assert (item.getAxis("bottom").labelText, item.getAxis("left").labelText) == ("PC1", "PC2")
    (x_low, x_high), (y_low, y_high) = item.getViewBox().viewRange()
    assert (x_low, x_high, y_low, y_high) == pytest.approx(space.box)


@pytest.fixture
def decision(qtbot):
    panel = DecisionPanel(LIGHT)
    qtbot.addWidget(panel)
    panel.resize(450, 400)
    panel.show()
    return panel


def _shades(panel) -> list[QGraphicsPolygonItem]:
    return [shade for shade in panel.shades if not shade.polygon().isEmpty()]


def test_each_hidden_unit_is_named_on_the_decision_map_and_its_firing_side_shaded(decision):
    frame = _frame(PRESETS["tutorial"].replace(hidden=(3,)), iterations=100)
    decision.show_frame(frame)
    assert [label.toPlainText() for label in decision.unit_labels] == ["h₁", "h₂", "h₃"]
    w, b = frame.snapshot.layers[0]
    for unit, shade in enumerate(decision.shades):
        polygon = shade.polygon()
        corners = np.array([[polygon.at(k).x(), polygon.at(k).y()]
                            for k in range(polygon.count())])
        if len(corners):  # the shade lies where the unit fires: w·x + b ≥ 0
            assert np.all(corners @ w[:, unit] + b[0, unit] >= -1e-9)
    decision.show_frame(_frame(PRESETS["tutorial"], iterations=100))  # two units now
    assert [label.toPlainText() for label in decision.unit_labels] == ["h₁", "h₂"]
    assert len(decision.shades) == 2
    assert "hidden units" in decision.legend.names()


def test_hiding_the_hidden_units_hides_their_lines_names_and_shades(decision, trained):
    decision.show_frame(trained)
    assert _shades(decision) and all(label.isVisible() for label in decision.unit_labels)
    decision.set_hidden_units_shown(False)
    assert not decision.hidden_lines.isVisible()
    assert not any(shade.isVisible() for shade in decision.shades)
    assert not any(label.isVisible() for label in decision.unit_labels)
    assert "hidden units" not in decision.legend.names()
    # A new map keeps them hidden.
    decision.show_frame(_frame(PRESETS["tutorial"].replace(hidden=(4,)), iterations=10))
    assert not any(label.isVisible() for label in decision.unit_labels)
    assert not any(shade.isVisible() for shade in decision.shades)
    decision.set_hidden_units_shown(True)
    assert decision.hidden_lines.isVisible()
    assert len(decision.unit_labels) == 4 and all(
        label.isVisible() for label in decision.unit_labels)
    assert "hidden units" in decision.legend.names()
