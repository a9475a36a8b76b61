"""A unit's map is its own activation over the decision grid's mesh; its values per input."""

import numpy as np
import pytest

from engine.config import PRESETS
from engine.grid import DEFAULT_BOX, decision_grid, grid_axes
from engine.neuron_maps import colour_levels, neuron_maps, unit_values
from engine.session import TrainingSession


def _trained(config):
    session = TrainingSession(config)
    session.step(100)
    return session.frame()


def test_a_first_hidden_unit_map_is_its_sigmoid_over_the_grid():
    frame = _trained(PRESETS["tutorial"])
    layers = frame.snapshot.layers
    maps = neuron_maps(layers, "sigmoid", 0, resolution=24)
    assert maps.shape == (2, 24, 24)
    xs, ys = grid_axes(24, DEFAULT_BOX)
    w, b = layers[0]
    for unit in range(2):
        # Row i is y = ys[i] (row 0 at the bottom), column j is x = xs[j].
        a = w[0, unit] * xs[None, :] + w[1, unit] * ys[:, None] + b[0, unit]
        np.testing.assert_allclose(maps[unit], 1 / (1 + np.exp(-a)), rtol=1e-6)
    assert not maps.flags.writeable


def test_a_deeper_layer_map_feeds_the_layer_before_and_the_output_map_is_the_decision_grid():
    config = PRESETS["tanh"].replace(hidden=(3, 2))
    layers = _trained(config).snapshot.layers
    xs, ys = grid_axes(16, DEFAULT_BOX)
    mesh_x, mesh_y = np.meshgrid(xs, ys)
    points = np.column_stack([mesh_x.ravel(), mesh_y.ravel()])
    (w1, b1), (w2, b2), _ = layers
    expected = np.tanh(np.tanh(points @ w1 + b1) @ w2 + b2)  # (256, 2)
    maps = neuron_maps(layers, "tanh", 1, resolution=16)
    np.testing.assert_allclose(maps.reshape(2, -1), expected.T, rtol=1e-5, atol=1e-6)
    output = neuron_maps(layers, "tanh", 2, resolution=16)
    np.testing.assert_array_equal(output[0], decision_grid(layers, "tanh", 16))


def test_maps_refuse_a_layer_the_network_does_not_have():
    layers = TrainingSession(PRESETS["tutorial"]).frame().snapshot.layers
    with pytest.raises(ValueError, match="layer"):
        neuron_maps(layers, "sigmoid", 2)


def test_unit_values_pick_one_input_or_average_the_batch():
    parts = _trained(PRESETS["tutorial"].replace(hidden=(3, 2))).anatomy
    pre, post = unit_values(parts, 2)
    assert [len(a) for a in pre] == [3, 2, 1]
    assert [len(h) for h in post] == [2, 3, 2, 1]
    assert post[0].tolist() == [1.0, 0.0]  # the third input of the truth table
    np.testing.assert_array_equal(pre[1], parts.pre[1][2])
    np.testing.assert_array_equal(post[3], parts.post[2][2])
    pre, post = unit_values(parts, None)
    assert post[0].tolist() == [0.5, 0.5]
    np.testing.assert_allclose(post[1], parts.post[0].mean(axis=0))
    np.testing.assert_allclose(pre[2], parts.pre[2].mean(axis=0))


def test_colour_levels_span_what_each_column_can_take():
    assert colour_levels("tanh", 1, 3, [0.2]) == (-1.0, 1.0)
    assert colour_levels("tanh", 2, 3, [0.2]) == (0.0, 1.0)  # the output is a sigmoid
    assert colour_levels("relu", 1, 3, [0.5, 3.0]) == (0.0, 3.0)
    assert colour_levels("relu", 1, 3, [0.5]) == (0.0, 1.0)
    assert colour_levels("sigmoid", 0, 3, [0.0, 1.0]) == (0.0, 1.0)
