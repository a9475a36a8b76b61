import math

import pytest

from engine.config import PRESETS, ConfigError, TrainingConfig, parse_hidden
from engine.trainer import Status, Trainer


@pytest.mark.parametrize("changes, field", [
    ({"gate": "xand"}, "gate"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"seed": True}, "seed"),
    ({"hidden": ()}, "hidden"),
    ({"hidden": (0,)}, "hidden"),
    ({"hidden": (17,)}, "hidden"),
    ({"hidden": (2, 2, 2, 2, 2)}, "hidden"),
    ({"hidden": "2"}, "hidden"),
    ({"learning_rate": 0}, "learning_rate"),
    ({"learning_rate": -1}, "learning_rate"),
    ({"learning_rate": math.nan}, "learning_rate"),
    ({"learning_rate": math.inf}, "learning_rate"),
    ({"learning_rate": "0.1"}, "learning_rate"),
    ({"activation": "softmax"}, "activation"),
    ({"init": "he"}, "init"),
    ({"bias_update": "mean"}, "bias_update"),
    ({"loss": "hinge"}, "loss"),
    ({"target_error": 0}, "target_error"),
    ({"max_iterations": 0}, "max_iterations"),
])
def test_invalid_values_raise_an_error_naming_the_field(changes, field):
    with pytest.raises(ConfigError) as caught:
        TrainingConfig(**changes)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}:")
    assert isinstance(caught.value, ValueError)


def test_defaults_follow_the_issue():
    config = TrainingConfig()
    assert config.hidden == (2,)
    assert config.init == "uniform"
    assert config.bias_update == "per-neuron"
    assert config.loss == "mse"
    assert config.target_error == 1e-4
    assert config.layer_sizes == (2, 2, 1)


def test_tutorial_preset_is_the_tutorial_script():
    tutorial = PRESETS["tutorial"]
    assert (tutorial.gate, tutorial.seed, tutorial.hidden, tutorial.learning_rate) == (
        "xor", 42, (2,), 0.02)
    assert (tutorial.activation, tutorial.init, tutorial.bias_update, tutorial.loss) == (
        "sigmoid", "uniform", "summed", "mse")
    assert tutorial.target_error == 1e-4


def test_config_is_frozen_and_round_trips_through_a_dict():
    config = TrainingConfig(hidden=(4, 3), learning_rate=1, loss="cross-entropy")
    with pytest.raises(AttributeError):
        config.seed = 3
    assert TrainingConfig.from_dict(config.to_dict()) == config
    assert config.to_dict()["hidden"] == [4, 3]
    assert isinstance(config.learning_rate, float)


def test_from_dict_rejects_unknown_fields():
    with pytest.raises(ConfigError, match="colour"):
        TrainingConfig.from_dict({"colour": "red"})


def test_only_shape_and_start_changes_need_a_restart():
    config = PRESETS["tutorial"]
    assert config.needs_restart(config.replace(seed=1))
    assert config.needs_restart(config.replace(hidden=(3,)))
    assert config.needs_restart(config.replace(activation="tanh"))
    assert not config.needs_restart(config.replace(learning_rate=0.5))
    assert not config.needs_restart(config.replace(target_error=1e-3, max_iterations=10))


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_learns_its_gate(name):
    trainer = Trainer(PRESETS[name])
    assert trainer.run() is Status.CONVERGED
    predictions = trainer.predictions.ravel()
    assert ((predictions > 0.5) == (trainer.y.ravel() > 0.5)).all()


@pytest.mark.parametrize("text, sizes", [("2", (2,)), ("4,3", (4, 3)), ("4, 4", (4, 4)),
                                         (" 4 3 2 ", (4, 3, 2))])
def test_hidden_layouts_as_people_type_them(text, sizes):
    assert parse_hidden(text) == sizes


def test_a_garbled_hidden_layout_names_the_field():
    with pytest.raises(ConfigError) as caught:
        parse_hidden("2,x")
    assert caught.value.field == "hidden" and "'2,x'" in caught.value.reason
