"""The tutorial preset reproduces the tutorial's printed numbers exactly."""

import numpy as np

from engine.config import PRESETS
from engine.trainer import Status, Trainer

TUTORIAL_PREDICTIONS = [0.01505756, 0.98652214, 0.98652109, 0.01448912]


def test_initial_parameters_are_the_tutorials_draws():
    rng = np.random.RandomState(42)
    w_hidden, b_hidden = rng.random_sample((2, 2)), rng.random_sample((1, 2))
    w_output, b_output = rng.random_sample((2, 1)), rng.random_sample((1, 1))
    (w_h, b_h), (w_o, b_o) = Trainer(PRESETS["tutorial"]).layers
    for ours, theirs in ((w_h, w_hidden), (b_h, b_hidden), (w_o, w_output), (b_o, b_output)):
        assert np.array_equal(ours, theirs)


def test_tutorial_preset_converges_after_exactly_390111_updates():
    trainer = Trainer(PRESETS["tutorial"])
    assert trainer.run() is Status.CONVERGED
    assert trainer.iteration == 390_111
    assert trainer.error < 1e-4
    np.testing.assert_allclose(trainer.predictions.ravel(), TUTORIAL_PREDICTIONS, rtol=0,
                               atol=1e-8)
