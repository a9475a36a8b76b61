"""The hidden space: the four samples where the output unit sees them, and its line."""

import warnings

import numpy as np
import pytest

from engine.anatomy import anatomy
from engine.config import PRESETS
from engine.hidden_space import hidden_space, principal_plane
from engine.session import TrainingSession


def _space(config, iterations=None):
    session = TrainingSession(config)
    if iterations is None:
        session.trainer.run()
    elif iterations:
        session.step(iterations)
    frame = session.frame()
    return frame, hidden_space(frame.anatomy, frame.snapshot.layers, config.activation)


def _sides(space) -> np.ndarray:
    """(4,) whether each point lies where the output line says ŷ > 0.5 (u·p + c > 0)."""
    u1, u2, c = space.line
    return space.points @ np.array([u1, u2]) + c > 0


@pytest.fixture(scope="module")
def tutorial_trained():
    return _space(PRESETS["tutorial"])


def test_two_hidden_units_are_drawn_as_they_are_with_the_output_units_line(tutorial_trained):
    frame, space = tutorial_trained
    np.testing.assert_array_equal(space.points, frame.anatomy.post[-2][:, :2])
    (w, b) = frame.snapshot.layers[-1]
    assert space.line == (w[0, 0], w[1, 0], b[0, 0])
    assert space.axes == ("h₁", "h₂")
    assert space.box == pytest.approx((-0.1, 1.1, -0.1, 1.1))  # sigmoid: the unit square
    assert not space.points.flags.writeable and not space.classes.flags.writeable


def test_the_trained_tutorial_network_separates_xor_with_one_line_in_hidden_space(
        tutorial_trained):
    _, space = tutorial_trained
    assert space.classes.tolist() == [0, 1, 1, 0]
    np.testing.assert_array_equal(_sides(space), space.classes == 1)
    (x0, y0), (x1, y1) = space.boundary
    x_min, x_max, y_min, y_max = space.box
    u1, u2, c = space.line
    for x, y in ((x0, y0), (x1, y1)):  # the drawn segment lies on the line, inside the box
        assert u1 * x + u2 * y + c == pytest.approx(0, abs=1e-9)
        assert x_min - 1e-9 <= x <= x_max + 1e-9 and y_min - 1e-9 <= y <= y_max + 1e-9


def test_the_untrained_network_does_not_separate_the_classes_yet():
    _, space = _space(PRESETS["tutorial"], iterations=0)
    assert not np.array_equal(_sides(space), space.classes == 1)


def test_samples_on_one_spot_share_one_label(tutorial_trained):
    _, space = tutorial_trained
    # trained, (0,1) and (1,0) excite the hidden units alike: one spot, one label
    assert space.labels == ("(0,0)", "(0,1), (1,0)", "", "(1,1)")
    _, untrained = _space(PRESETS["tutorial"], iterations=0)
    assert untrained.labels == ("(0,0)", "(0,1)", "(1,0)", "(1,1)")


def test_more_than_two_units_are_drawn_in_their_principal_plane_and_still_separate():
    config = PRESETS["relu"]  # four relu units; converges
    assert config.hidden == (4,)
    frame, space = _space(config)
    assert space.axes == ("PC1", "PC2")
    np.testing.assert_array_equal(_sides(space), space.classes == 1)
    # The line is the output's logit a = w·h + b on the plane h = m + V p.
    h = frame.anatomy.post[-2]
    w, b = frame.snapshot.layers[-1]
    mean, directions, kept = principal_plane(h)
    assert 0.0 < kept <= 1.0 and space.kept == pytest.approx(kept)
    u1, u2, c = space.line
    for p in ([0.0, 0.0], [1.5, -0.5], [-2.0, 3.0]):
        assert u1 * p[0] + u2 * p[1] + c == pytest.approx(
            float((mean + directions @ p) @ w[:, 0] + b[0, 0]))
    # The points are the centred activations in that plane.
    np.testing.assert_allclose(space.points, (h - mean) @ directions)
    x_min, x_max, y_min, y_max = space.box
    assert (x_min < space.points[:, 0].min() and space.points[:, 0].max() < x_max
            and y_min < space.points[:, 1].min() and space.points[:, 1].max() < y_max)


def test_one_hidden_unit_is_drawn_against_zero_with_a_vertical_boundary():
    _, space = _space(PRESETS["tutorial"].replace(hidden=(1,)), iterations=200)
    assert space.axes == ("h₁", "")
    assert space.points[:, 1].tolist() == [0.0] * 4
    u1, u2, c = space.line
    assert u2 == 0.0
    (x0, _), (x1, _) = space.boundary
    assert x0 == pytest.approx(-c / u1) and x1 == pytest.approx(-c / u1)


def test_a_network_whose_activations_overflowed_has_no_hidden_space(overflowing_relu):
    """A diverging ReLU network keeps finite θ whose activations overflow: nothing to place
    (the SVD of the PCA plane failed on them), and no warning on stderr."""
    config, layers = overflowing_relu
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = anatomy(config, layers)
    assert not np.all(np.isfinite(parts.post[-2]))
    assert hidden_space(parts, layers, "relu") is None
