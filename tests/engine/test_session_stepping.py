"""A session steps the live iteration a sample at a time, and its frames show how far."""

import numpy as np
import pytest

from engine.config import PRESETS
from engine.session import TrainingSession


def test_stepping_every_level_reaches_what_one_whole_iteration_does():
    stepped, whole = (TrainingSession(PRESETS["tutorial"], compiled=False) for _ in range(2))
    for session in (stepped, whole):
        session.step(40)
    assert stepped.frame().inspection is None
    stepped.inspect_forward()
    frame = stepped.frame()
    assert frame.inspection.last == ("forward", 0) and frame.snapshot.iteration == 40
    with pytest.raises(ValueError, match="backward"):
        stepped.inspect_apply()  # the batch update needs all four backward passes
    for _ in range(3):
        stepped.inspect_forward()
    for _ in range(4):
        stepped.inspect_backward()
    assert stepped.frame().inspection.can_apply
    stepped.inspect_apply()
    whole.step(1)
    assert stepped.iteration == whole.iteration == 41
    assert stepped.frame().inspection is None  # the next iteration starts afresh
    for (w, b), (w_whole, b_whole) in zip(stepped.trainer.layers, whole.trainer.layers):
        np.testing.assert_allclose(w, w_whole, rtol=1e-12)
        np.testing.assert_allclose(b, b_whole, rtol=1e-12)


def test_a_whole_step_or_a_new_network_ends_the_sample_stepping():
    session = TrainingSession(PRESETS["tutorial"], compiled=False)
    session.inspect_forward()
    session.step(1)
    assert session.frame().inspection is None
    session.inspect_forward()
    session.reset()
    assert session.frame().inspection is None
