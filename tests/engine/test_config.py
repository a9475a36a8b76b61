import math
from dataclasses import fields

import pytest

from engine.config import (
    FIELD_SPECS,
    PRESETS,
    RESTART_FIELDS,
    ConfigError,
    TrainingConfig,
    parse_hidden,
    parse_number,
)
from engine.trainer import Status, Trainer


@pytest.mark.parametrize("changes, field", [
    ({"gate": "xand"}, "gate"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"seed": True}, "seed"),
    ({"seed": 2**32}, "seed"),
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
    # every number has an upper bound; integers too large for a float are refused, not an
    # OverflowError (a file may hold one)
    ({"max_iterations": 10**12 + 1}, "max_iterations"),
    ({"max_iterations": 2**64}, "max_iterations"),
    ({"learning_rate": 10**400}, "learning_rate"),
    ({"target_error": 1.5}, "target_error"),
    ({"target_error": 10**400}, "target_error"),
    ({"seed": 10**5000}, "seed"),
    ({"hidden": (10**400,)}, "hidden"),
    ({"gate": [[[[[[[[[["xor"]]]]]]]]]]}, "gate"),
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


def test_every_field_has_a_spec_with_a_label_help_and_flag():
    assert list(FIELD_SPECS) == [f.name for f in fields(TrainingConfig)]
    for name, spec in FIELD_SPECS.items():
        assert spec.name == name
        assert spec.label.strip() and spec.help.strip(), name
        assert spec.flag.startswith("--"), name
    assert len({spec.flag for spec in FIELD_SPECS.values()}) == len(FIELD_SPECS)
    assert FIELD_SPECS["learning_rate"].label == "Learning rate"
    assert FIELD_SPECS["hidden"].label == "Hidden layout"
    assert FIELD_SPECS["activation"].choices == ("sigmoid", "tanh", "relu")


def test_restart_fields_are_the_specs_that_restart():
    assert tuple(n for n, spec in FIELD_SPECS.items() if spec.restarts) == RESTART_FIELDS
    assert set(RESTART_FIELDS) == {"seed", "hidden", "init", "activation"}


def _just_past(spec, bound, direction):
    """The nearest value beyond ``bound`` in ``direction`` (+1 or -1) of the spec's kind."""
    if spec.kind is float:
        return math.nextafter(bound, direction * math.inf)
    return bound + direction


def _as_field(spec, number):
    return (number,) if spec.kind is tuple else spec.kind(number)


LIMITED = [spec for spec in FIELD_SPECS.values() if spec.low is not None or spec.high is not None]


@pytest.mark.parametrize("spec", LIMITED, ids=lambda spec: spec.name)
def test_limits_accept_their_bounds_and_reject_beyond(spec):
    inside, outside = [], []
    if spec.low is not None:
        (outside if spec.low_exclusive else inside).append(spec.low)
        inside.append(_just_past(spec, spec.low, +1))
        outside.append(_just_past(spec, spec.low, -1))
    if spec.high is not None:
        inside += [spec.high, _just_past(spec, spec.high, -1)]
        outside.append(_just_past(spec, spec.high, +1))
    for number in inside:
        TrainingConfig(**{spec.name: _as_field(spec, number)})
    for number in outside:
        with pytest.raises(ConfigError) as caught:
            TrainingConfig(**{spec.name: _as_field(spec, number)})
        assert caught.value.field == spec.name


def test_hidden_holds_one_to_max_count_layers():
    most = FIELD_SPECS["hidden"].max_count
    assert TrainingConfig(hidden=(1,) * most).hidden == (1,) * most
    for hidden in [(), (1,) * (most + 1)]:
        with pytest.raises(ConfigError, match="^hidden:"):
            TrainingConfig(hidden=hidden)


@pytest.mark.parametrize("spec", [s for s in FIELD_SPECS.values() if s.choices],
                         ids=lambda spec: spec.name)
def test_choice_fields_accept_exactly_their_choices(spec):
    for choice in spec.choices:
        assert getattr(TrainingConfig(**{spec.name: choice}), spec.name) == choice
    with pytest.raises(ConfigError, match=f"^{spec.name}:"):
        TrainingConfig(**{spec.name: "none-of-these"})


@pytest.mark.parametrize("text, kind, expected", [
    ("0.02", float, 0.02), ("0,02", float, 0.02), ("1,5e-4", float, 1.5e-4),
    (" 1e-4 ", float, 1e-4), ("1,000.5", float, 1000.5), ("-0,5", float, -0.5),
    ("5,000,000", int, 5_000_000), ("5_000", int, 5000), ("42", int, 42),
    # no one groups thousands after a zero: the target error of 0,001 is a thousandth
    ("0,001", float, 0.001), ("-0,125", float, -0.125),
    # a budget of a million, typed as said
    ("1e6", int, 1_000_000), ("2.5e3", int, 2500), ("1E+2", int, 100),
])
def test_typed_numbers_follow_both_separators(text, kind, expected):
    assert parse_number("learning_rate", text, kind) == expected


@pytest.mark.parametrize("text, kind", [
    ("1,000", float),  # a thousand, or one with a decimal comma: never guessed
    ("4,2", int), ("0,02", int), ("0,001", int), ("1,2,3", float), ("0.000,1", float),
    ("", float), ("x", int), ("1.5e0", int), ("1e-3", int), ("1e999999", int), ("1e", int),
])
def test_ambiguous_or_malformed_numbers_are_refused(text, kind):
    with pytest.raises(ConfigError) as refused:
        parse_number("target_error", text, kind)
    assert refused.value.field == "target_error"


def test_every_number_has_a_documented_upper_bound():
    for spec in FIELD_SPECS.values():
        if spec.choices is None:
            assert spec.high is not None, spec.name
    assert TrainingConfig(max_iterations=10**12, learning_rate=1e308, target_error=1.0)
    with pytest.raises(ConfigError) as caught:
        TrainingConfig(max_iterations=10**400)
    assert str(caught.value) == ("max_iterations: must be >= 1 and <= 1,000,000,000,000 (got "
                                 "a whole number of about 401 digits)")
