"""engine.compiled: a per-user cache folder, numpy on any failure, background preparation
while a session trains in numpy."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from engine import compiled
from engine.config import PRESETS
from engine.session import TrainingSession
from engine.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]
CONFIG = PRESETS["tutorial"]


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_cache_goes_to_the_users_cache_folder_unless_set(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert compiled.cache_folder() == str(tmp_path / "cache" / "xor-lab" / "numba")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))
    assert compiled.cache_folder() == str(tmp_path / "mine")


def test_an_unwritable_cache_folder_falls_back_to_a_temporary_one(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    folder = compiled.cache_folder()
    assert Path(folder).is_dir() and not folder.startswith(str(blocked))


def test_a_kernel_that_cannot_cache_trains_in_numpy_with_one_notice(tmp_path):
    """numba's "no locator" failure is a RuntimeError, raised by the first compiled call."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"))
    result = run_python(
        "import numba.core.caching as caching\n"
        "def refuse(self, *args, **kwargs):\n"
        "    raise RuntimeError('cannot cache function: no locator available for file')\n"
        "caching.CacheImpl.__init__ = refuse\n"
        "from engine import PRESETS, Trainer\n"
        "from engine.session import TrainingSession\n"
        "trainer = Trainer(PRESETS['tutorial'].replace(max_iterations=2000))\n"
        "print(trainer.run().value, trainer.iteration)\n"
        "session = TrainingSession(PRESETS['tutorial'], background=True)\n"
        "session.warm_up()\n"
        "print(session.kernel)\n", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["max_iterations", "2000", "numpy"]
    notices = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notices) == 1 and "no locator" in notices[0] and "numpy" in notices[0]


def test_a_background_session_trains_at_once_in_numpy_then_compiled(unready):
    release, prepared = unready
    session = TrainingSession(CONFIG, background=True)
    session.warm_up()
    assert session.kernel == "preparing" and session.frame().kernel == "preparing"
    session.step(2000)  # at once, in numpy
    assert session.trainer.compiled is False and session.iteration == 2000
    release.set()
    assert prepared.wait(timeout=600)
    assert session.kernel == "compiled"
    session.step(2000)
    assert session.trainer.compiled is None  # the kernel, as a session without background
    # No visible jump: the same numbers as a run in numpy alone, to 1e-12.
    reference = Trainer(CONFIG, compiled=False)
    reference.step(4000)
    for (w, b), (w_ref, b_ref) in zip(session.trainer.layers, reference.layers):
        np.testing.assert_allclose(w, w_ref, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, b_ref, rtol=1e-12, atol=1e-14)
    assert abs(session.trainer.error - reference.error) <= 1e-12 * reference.error


def test_numpy_asked_for_is_numpy():
    session = TrainingSession(CONFIG, compiled=False, background=True)
    assert session.kernel == "numpy"
