"""The deeper presets: valid, they train, and sigmoid's gradients vanish towards the input."""

import numpy as np
import pytest

from engine.config import DEEP_PRESETS, PRESET_TITLES, PRESETS, TrainingConfig
from engine.trainer import Status, Trainer


def largest_gradient(gradients, layer: int) -> float:
    dw, db = gradients[layer]
    return float(max(np.abs(dw).max(), np.abs(db).max()))


def test_three_and_four_hidden_layers_of_each_activation_are_presets():
    shapes = {(config.activation, len(config.hidden)) for config in DEEP_PRESETS.values()}
    assert shapes == {(activation, depth) for activation in ("sigmoid", "tanh", "relu")
                      for depth in (3, 4)}
    for name, config in DEEP_PRESETS.items():
        assert PRESETS[name] == config
        assert f"{len(config.hidden)} hidden layers" in PRESET_TITLES[name]
        assert TrainingConfig.from_dict(config.to_dict()) == config  # valid, and survives a file


@pytest.mark.parametrize("name", sorted(DEEP_PRESETS))
def test_each_deep_preset_learns_over_a_few_hundred_updates(name):
    trainer = Trainer(DEEP_PRESETS[name])
    start = trainer.error
    assert trainer.step(300) == 300
    assert trainer.status is Status.RUNNING
    assert trainer.error < start


def test_sigmoid_gradients_vanish_towards_the_input_and_tanh_ones_do_not():
    sigmoid = Trainer(PRESETS["deep4-sigmoid"]).grads
    tanh = Trainer(PRESETS["deep4-tanh"]).grads
    assert largest_gradient(sigmoid, 0) < 1e-2 * largest_gradient(sigmoid, 4)
    assert largest_gradient(tanh, 0) > 0.5 * largest_gradient(tanh, 4)
