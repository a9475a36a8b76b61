"""The network diagram: neurons and connections as the frame's numbers, its tooltips, and
the maps a click on a hidden neuron shows."""

import re

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QComboBox, QToolTip

from engine.config import PRESETS
from engine.neuron_maps import neuron_maps
from engine.session import TrainingSession
from gui.network_view import NetworkView
from gui.theme import DARK, LIGHT


def _frame(config, steps=100):
    session = TrainingSession(config)
    session.step(steps)
    return session.frame()


def _view(qtbot, frame, theme=LIGHT, size=(450, 350)):
    view = NetworkView(theme)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    view.show_frame(frame)
    return view


def _number(tooltip: str, name: str) -> float:
    """The value written after ``name =`` on a line of ``tooltip``."""
    match = re.search(rf"^(?:mean )?{re.escape(name)} = (\S+)", tooltip, re.MULTILINE)
    assert match, f"no {name} in {tooltip!r}"
    return float(match.group(1).replace("−", "-"))


def test_every_unit_is_a_neuron_and_every_weight_a_connection(qtbot):
    config = PRESETS["tutorial"].replace(hidden=(3, 2))
    view = _view(qtbot, _frame(config))
    assert view.counts == (2 + 3 + 2 + 1, 2 * 3 + 3 * 2 + 2 * 1)
    for column, n in enumerate(config.layer_sizes):
        assert [view.neuron_at(column, unit).tooltip.split(":")[0] for unit in range(n)] == [
            ["x₁", "x₂"], ["h₁,₁", "h₁,₂", "h₁,₃"], ["h₂,₁", "h₂,₂"], ["ŷ"]][column]
    view.show_frame(_frame(PRESETS["tutorial"]))  # another shape: drawn anew
    assert view.counts == (2 + 2 + 1, 2 * 2 + 2 * 1)


def test_a_wide_deep_network_keeps_every_neuron_visible_and_apart(qtbot):
    config = PRESETS["tutorial"].replace(hidden=(16, 16, 16, 16))
    for zoom in (100, 200):
        view = _view(qtbot, _frame(config, steps=1), theme=LIGHT.zoomed(zoom))
        assert view.counts == (67, 2 * 16 + 3 * 256 + 16)
        area = view.diagram.rect()
        for column, n in enumerate(config.layer_sizes):
            looks = [view.neuron_at(column, unit) for unit in range(n)]
            for look in looks:
                assert look.radius >= 3
                centre = look.centre
                assert area.contains(QPoint(round(centre.x() - look.radius),
                                            round(centre.y() - look.radius)))
                assert area.contains(QPoint(round(centre.x() + look.radius),
                                            round(centre.y() + look.radius)))
            for upper, lower in zip(looks, looks[1:]):
                assert lower.centre.y() - upper.centre.y() > upper.radius + lower.radius
            if n == 16:  # no room for the values inside: left to the tooltips
                assert all(look.text == "" for look in looks)
        if zoom == 100:
            assert view.neuron_at(0, 0).text == "0.00"  # the inputs have room


def test_connections_follow_the_weights_of_each_new_frame(qtbot):
    session = TrainingSession(PRESETS["tanh"].replace(hidden=(4,)))
    session.step(1)
    view = _view(qtbot, session.frame())
    before = [view.connection_at(0, i, j) for i in range(2) for j in range(4)]
    session.reseed(11)  # other starting weights: other signs and sizes
    frame = session.frame()
    view.show_frame(frame)
    w = frame.snapshot.layers[0][0]
    after = [view.connection_at(0, i, j) for i in range(2) for j in range(4)]
    for look, weight in zip(after, w.ravel()):
        assert _number(look.tooltip, "w") == pytest.approx(weight, rel=1e-3)
        assert look.colour == QColor(LIGHT.class_colours[int(weight >= 0)])
    assert [a.colour for a in after] != [b.colour for b in before]
    assert [a.width for a in after] != [b.width for b in before]
    # Width grows with |w|: ordered by |w|, the widths never shrink.
    widths = [look.width for _, look in sorted(zip(np.abs(w.ravel()), after),
                                               key=lambda pair: pair[0])]
    assert widths == sorted(widths) and widths[-1] > widths[0]
    session.step(1)  # a Step: the tooltip shows the new weight
    stepped = session.frame()
    view.show_frame(stepped)
    assert _number(view.connection_at(0, 1, 2).tooltip, "w") == pytest.approx(
        stepped.snapshot.layers[0][0][1, 2], rel=1e-3)
    assert stepped.snapshot.layers[0][0][1, 2] != w[1, 2]


def test_a_connection_tooltip_shows_its_weight_gradient_and_next_update(qtbot):
    frame = _frame(PRESETS["tutorial"].replace(hidden=(3, 2)))
    view = _view(qtbot, frame)
    tooltip = view.connection_at(1, 2, 0).tooltip
    assert tooltip.startswith("weight h₁,₃ → h₂,₁")
    assert _number(tooltip, "w") == pytest.approx(frame.snapshot.layers[1][0][2, 0], rel=1e-3)
    assert _number(tooltip, "∂E/∂w") == pytest.approx(frame.snapshot.gradients[1][0][2, 0],
                                                      rel=1e-3)
    assert _number(tooltip, "next update Δw") == pytest.approx(
        frame.anatomy.updates[1][0][2, 0], rel=1e-3)


def test_a_neuron_tooltip_shows_a_and_h_for_the_chosen_input(qtbot):
    frame = _frame(PRESETS["tanh"].replace(hidden=(3, 2)), steps=2000)
    view = _view(qtbot, frame)
    parts = frame.anatomy
    chooser = view.findChild(QComboBox, "network_input")
    seen = set()
    for index, sample in ((0, 0), (3, 3), (4, None)):
        chooser.setCurrentIndex(index)
        tooltip = view.neuron_at(2, 1).tooltip
        a = parts.pre[1][:, 1] if sample is None else parts.pre[1][sample, 1]
        h = parts.post[1][:, 1] if sample is None else parts.post[1][sample, 1]
        assert _number(tooltip, "a") == pytest.approx(np.mean(a), rel=1e-3, abs=1e-6)
        assert _number(tooltip, "h") == pytest.approx(np.mean(h), rel=1e-3, abs=1e-6)
        assert ("mean over the four inputs" in tooltip) == (sample is None)
        assert "h = tanh(a)" in tooltip
        seen.add(tooltip)
    assert len(seen) == 3
    chooser.setCurrentIndex(3)
    assert view.neuron_at(0, 0).tooltip.endswith("x₁ = 1")  # the input (1, 1)
    # The written value and the shade follow the input too.
    output = view.neuron_at(3, 0)
    assert output.text == f"{parts.post[2][3, 0]:.2f}"
    chooser.setCurrentIndex(1)
    assert view.neuron_at(3, 0).fill != output.fill


def test_hovering_shows_the_tooltip_of_what_is_under_the_pointer(qtbot):
    view = _view(qtbot, _frame(PRESETS["tutorial"]))
    neuron = view.neuron_at(1, 1)
    assert view.diagram.tooltip_at(neuron.centre) == neuron.tooltip
    # Halfway along x₁ → h₁, a horizontal line no other line crosses there.
    line = view.connection_at(0, 0, 0)
    assert view.diagram.tooltip_at(line.line.center()) == line.tooltip
    assert view.diagram.tooltip_at(QPointF(2, 2)) == ""
    centre = neuron.centre.toPoint()
    QApplication.sendEvent(view.diagram, QHelpEvent(QEvent.Type.ToolTip, centre,
                                                    view.diagram.mapToGlobal(centre)))
    assert QToolTip.text() == neuron.tooltip
    QToolTip.hideText()


def test_clicking_a_hidden_neuron_shows_its_layers_maps(qtbot):
    config = PRESETS["tutorial"].replace(hidden=(3, 2))
    frame = _frame(config, steps=2000)
    view = _view(qtbot, frame)
    assert view.shown_maps is None
    qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton,
                     pos=view.neuron_at(1, 2).centre.toPoint())
    column, unit, maps = view.shown_maps
    assert (column, unit) == (1, 2)
    assert view.maps.isVisible()
    np.testing.assert_array_equal(maps, neuron_maps(frame.snapshot.layers, "sigmoid", 0))
    # Drawn the right way up: bluer where the unit is more on (the decision map's colour
    # for 1), the image's top row the box's top; checked on the unit that varies most
    # from the bottom of the box to its top.
    upright = int(np.argmax(np.abs(maps[:, -1].mean(axis=1) - maps[:, 0].mean(axis=1))))
    image = view.maps.image(upright)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    blueness = pixels[:, :, 0].astype(float) - pixels[:, :, 2]  # B − R (BGRA in memory)
    assert np.corrcoef(blueness[::-1].ravel(), maps[upright].ravel())[0, 1] > 0.9
    # A unit of the second hidden layer: that layer's maps.
    qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton,
                     pos=view.neuron_at(2, 0).centre.toPoint())
    column, unit, maps = view.shown_maps
    assert (column, unit) == (2, 0)
    np.testing.assert_array_equal(maps, neuron_maps(frame.snapshot.layers, "sigmoid", 1))
    # The maps follow a new frame.
    session = TrainingSession(config)
    session.step(10)
    later = session.frame()
    view.show_frame(later)
    np.testing.assert_array_equal(view.shown_maps[2],
                                  neuron_maps(later.snapshot.layers, "sigmoid", 1))
    # The output neuron has no map of its own here; the neuron shown, clicked again, closes.
    qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton,
                     pos=view.neuron_at(3, 0).centre.toPoint())
    assert view.shown_maps[:2] == (2, 0)
    qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton,
                     pos=view.neuron_at(2, 0).centre.toPoint())
    assert view.shown_maps is None and not view.maps.isVisible()


def test_switching_theme_restyles_the_diagram_and_the_maps(qtbot):
    view = _view(qtbot, _frame(PRESETS["tanh"].replace(hidden=(4,))))
    qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton,
                     pos=view.neuron_at(1, 0).centre.toPoint())
    light_fill = view.neuron_at(1, 0).fill
    light_map = view.maps.image(0).pixelColor(0, 0)
    small = view.neuron_at(0, 0).radius
    view.apply_theme(DARK.zoomed(200))
    corner = view.diagram.grab().toImage().pixelColor(1, 1)
    assert corner == QColor(DARK.background)
    weight = view.connection_at(0, 0, 0)
    assert weight.colour in (QColor(c) for c in DARK.class_colours)
    assert weight.colour not in (QColor(c) for c in LIGHT.class_colours)
    assert view.neuron_at(1, 0).fill != light_fill
    assert view.maps.image(0).pixelColor(0, 0) != light_map
    view.apply_theme(DARK)
    assert view.neuron_at(0, 0).radius >= small  # as large again once the legend shrinks
