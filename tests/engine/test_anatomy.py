"""The anatomy of a state is the pass the trainer trains with, sample by sample."""

import numpy as np

from engine.anatomy import anatomy
from engine.config import PRESETS
from engine.session import TrainingSession
from engine.trainer import Trainer


def test_anatomy_matches_the_trainers_state_and_its_next_update():
    config = PRESETS["tutorial"].replace(hidden=(3, 2))
    trainer = Trainer(config, compiled=False)
    trainer.step(25)
    before = trainer.snapshot(with_history=False)
    parts = anatomy(config, before.layers)
    np.testing.assert_array_equal(parts.predictions, before.predictions[:, 0])
    assert parts.sample_loss.mean() == before.error
    for (dw, db), (gw, gb) in zip(parts.gradients, before.gradients):
        np.testing.assert_allclose(dw, gw, rtol=1e-12)
        np.testing.assert_allclose(db, gb, rtol=1e-12)
    for delta, expected in zip(parts.deltas, before.deltas):
        np.testing.assert_allclose(delta, expected, rtol=1e-12)
    # a_l is what h_l is the activation of; the output layer's is the sigmoid.
    np.testing.assert_allclose(parts.post[-1], 1 / (1 + np.exp(-parts.pre[-1])), rtol=1e-12)
    trainer.step(1)
    after = trainer.snapshot(with_history=False)
    for (w, b), (dw, db), (w_next, b_next) in zip(before.layers, parts.updates, after.layers):
        np.testing.assert_allclose(w + dw, w_next, rtol=1e-12)
        np.testing.assert_allclose(b + db, b_next, rtol=1e-12)


def test_the_tutorial_network_is_right_on_all_four_samples_once_trained():
    session = TrainingSession(PRESETS["tutorial"])
    assert session.frame().anatomy.correct.sum() < 4  # it starts wrong somewhere
    session.trainer.run()
    parts = session.frame().anatomy
    assert parts.correct.all()
    np.testing.assert_allclose(parts.predictions, [0.01, 0.99, 0.99, 0.01], atol=0.01)
    assert parts.y[:, 0].tolist() == [0, 1, 1, 0]
