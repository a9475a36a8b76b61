"""Fixtures for engine and GUI tests alike."""

import threading

import pytest

from engine import compiled

# Before any test module imports numba (test_batched does, to skip without it): numba reads
# its cache folder once, at its import, and the compiled loops setup made are there.
compiled.use_cache_folder()


@pytest.fixture
def unready(monkeypatch):
    """Both loops unprepared, and preparing blocked until the test releases it."""
    monkeypatch.setattr(compiled, "_ready", set())
    monkeypatch.setattr(compiled, "_preparing", set())
    release = threading.Event()
    prepared = threading.Event()
    real_prepare = compiled.prepare

    def held_prepare(config, warm_up):
        def when_released():
            release.wait()
            warm_up()
            prepared.set()
        real_prepare(config, when_released)

    monkeypatch.setattr(compiled, "prepare", held_prepare)
    yield release, prepared
    release.set()


@pytest.fixture
def one_seed_a_chunk(monkeypatch):
    """Sweeps split into chunks of one seed each: many chunks, even of short runs."""
    from engine import sweep

    monkeypatch.setattr(sweep, "CHUNK_SECONDS", 1e-9)
    monkeypatch.setattr(sweep, "MIN_LANE_CHUNK", 1)
