"""engine/layout.py: where every layer's numbers sit in the flat rows."""

import numpy as np
import pytest

from engine.layout import (
    NetworkLayout,
    delta_groups,
    flatten,
    parameter_groups,
    parameter_names,
)
from engine.network import init_layers

DEEP = (2, 16, 16, 16, 16, 1)


def test_the_tutorials_groups_follow_w_hidden_b_hidden_w_output_b_output():
    assert parameter_groups((2, 2, 1)) == (
        [(0, "w")] * 4 + [(0, "b")] * 2 + [(1, "w")] * 2 + [(1, "b")])
    assert delta_groups((2, 2, 1)) == [0] * 8 + [1] * 4


@pytest.mark.parametrize("sizes", [(2, 2, 1), (2, 3, 4, 1), DEEP])
def test_sizes_and_groups_agree_with_the_layers(sizes):
    layout = NetworkLayout(sizes)
    layers = init_layers(sizes, "uniform", np.random.RandomState(0))
    theta = flatten(layers)
    assert layout.n_parameters == theta.size == len(parameter_groups(sizes))
    assert layout.n_deltas == 4 * sum(sizes[1:]) == len(delta_groups(sizes))
    assert layout.n_outputs == 4 * sum(sizes)
    offsets = layout.offsets
    assert offsets.sizes.tolist() == list(sizes)
    assert offsets.param_at[-1] == layout.n_parameters
    assert offsets.delta_at[-1] == layout.n_deltas
    for array in offsets:
        assert array.dtype == np.int64 and not array.flags.writeable


def test_the_deep_network_has_881_parameters_and_260_deltas():
    assert (NetworkLayout(DEEP).n_parameters, NetworkLayout(DEEP).n_deltas) == (881, 260)


@pytest.mark.parametrize("sizes", [(2, 2, 1), DEEP])
def test_unflatten_and_split_layers_invert_flatten(sizes):
    layout = NetworkLayout(sizes)
    layers = init_layers(sizes, "uniform", np.random.RandomState(1))
    theta = flatten(layers)
    back = layout.unflatten(theta)
    for (w, b), (w2, b2) in zip(layers, back):
        assert np.array_equal(w, w2) and np.array_equal(b, b2)
    assert not np.shares_memory(back[0][0], theta)
    deltas = [np.random.RandomState(2).random_sample((4, n)) for n in sizes[1:]]
    row = flatten([deltas])
    assert all(np.array_equal(d, d2) for d, d2 in zip(deltas, layout.split_layers(row)))


def test_layouts_are_values():
    assert NetworkLayout([2, 2, 1]) == NetworkLayout((2, 2, 1))
    assert len({NetworkLayout((2, 2, 1)), NetworkLayout((2, 2, 1)), NetworkLayout(DEEP)}) == 2
    with pytest.raises(ValueError):
        NetworkLayout((2,))


def test_check_names_the_layer_and_the_problem():
    layout = NetworkLayout((2, 2, 1))
    layers = init_layers((2, 2, 1), "uniform", np.random.RandomState(0))
    layout.check(layers)
    with pytest.raises(ValueError, match="expected 2 layers, found 1"):
        layout.check(layers[:1])
    with pytest.raises(ValueError, match=r"layer 1 w has shape \(3, 1\), expected \(2, 1\)"):
        layout.check([layers[0], (np.zeros((3, 1)), layers[1][1])])
    with pytest.raises(ValueError, match="layer 0 b holds a non-finite value"):
        layout.check([(layers[0][0], np.full((1, 2), np.nan)), layers[1]])


def test_parameter_names_follow_the_layout():
    assert parameter_names((2, 2, 1)) == [
        "w_hidden[0,0]", "w_hidden[0,1]", "w_hidden[1,0]", "w_hidden[1,1]", "b_hidden[0]",
        "b_hidden[1]", "w_output[0,0]", "w_output[1,0]", "b_output[0]"]
    names = parameter_names((2, 3, 2, 1))
    assert len(names) == NetworkLayout((2, 3, 2, 1)).n_parameters == 20
    assert names[:2] == ["w_hidden1[0,0]", "w_hidden1[0,1]"]
    assert names[9] == "w_hidden2[0,0]" and names[16] == "b_hidden2[1]"
    assert names[-3:] == ["w_output[0,0]", "w_output[1,0]", "b_output[0]"]
    kinds = [name[0] for name in names]
    assert kinds == [kind for _, kind in parameter_groups((2, 3, 2, 1))]
