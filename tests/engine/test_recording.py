"""Recording (frames every K iterations, at most MAX_FRAMES) and animation files."""

import io
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from engine.animation_file import (
    Cancelled,
    FrameStore,
    gif_bytes,
    mp4_bytes,
    mp4_missing,
    write_animation,
)
from engine.files import FileError
from engine.recording import FPS, MAX_FRAMES, MAX_SECONDS, Recording


def moment(iteration):
    return SimpleNamespace(iteration=iteration)


def record(start, stop, recording=None):
    """Capture every wanted iteration from ``start`` to ``stop`` as a session does."""
    recording = recording or Recording(start)
    iteration = start
    while True:
        if recording.wants(iteration):
            recording.capture(moment(iteration))
        if iteration == stop:
            break
        iteration = min(stop, iteration + recording.until_next(iteration))
    return recording.finish(moment(stop))


def iterations(moments):
    return [m.iteration for m in moments]


def test_a_short_run_is_captured_at_every_iteration():
    assert iterations(record(100, 150)) == list(range(100, 151))


def test_a_long_run_is_thinned_evenly_and_ends_on_its_last_iteration():
    frames = iterations(record(0, 390_111))
    assert len(frames) <= MAX_FRAMES == FPS * MAX_SECONDS
    steps = np.diff(frames[:-1])
    assert len(set(steps)) == 1  # one K for the whole clip
    every = int(steps[0])
    assert every & (every - 1) == 0 and frames[0] == 0  # a power of two, from the start
    assert frames[-1] == 390_111 and frames[-2] == 390_111 // every * every


def test_the_frame_count_follows_from_the_run_length():
    # K doubles whenever the 298 evenly spaced captures are full: 1000 updates need K = 4.
    assert iterations(record(0, 1000)) == list(range(0, 1001, 4))


def test_captures_must_be_an_even_count():
    with pytest.raises(ValueError, match="even number"):
        Recording(0, captures=3)


def frames_of(count, size=(48, 64)):
    rng = np.random.RandomState(0)
    return [rng.randint(0, 255, size=(*size, 3)).astype(np.uint8) for _ in range(count)]


def test_a_gif_holds_every_frame_at_twenty_per_second():
    data = gif_bytes(frames_of(7))
    gif = Image.open(io.BytesIO(data))
    assert gif.n_frames == 7 and gif.size == (64, 48)
    assert gif.info["duration"] == 1000 // FPS and gif.info["loop"] == 0


@pytest.mark.skipif(mp4_missing() is not None, reason="imageio-ffmpeg is not installed")
def test_an_mp4_is_an_iso_media_file():
    data = mp4_bytes(frames_of(5, size=(64, 96)))
    assert data[4:8] == b"ftyp"


def test_mp4_without_the_video_extra_says_how_to_get_it(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_ffmpeg(name, *args, **kwargs):
        if name == "imageio_ffmpeg":
            raise ImportError("No module named 'imageio_ffmpeg'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ffmpeg)
    assert "xor-lab[video]" in mp4_missing()
    with pytest.raises(ValueError, match="video extra"):
        mp4_bytes(frames_of(2))


def test_write_animation_refuses_other_formats_and_writes_atomically(tmp_path):
    with pytest.raises(FileError, match=".gif, .mp4"):
        write_animation(tmp_path / "clip.avi", frames_of(2))
    target = tmp_path / "clip.gif"
    write_animation(target, frames_of(3))
    assert Image.open(target).n_frames == 3
    assert [p.name for p in tmp_path.iterdir()] == ["clip.gif"]


def test_frames_of_different_sizes_are_refused():
    with pytest.raises(ValueError, match="same size"):
        gif_bytes(frames_of(1) + frames_of(1, size=(10, 10)))


def test_a_frame_store_gives_back_every_frame_exactly():
    frames = frames_of(4)
    store = FrameStore()
    for frame in frames:
        store.append(frame)
    assert len(store) == 4 and all(np.array_equal(store[i], frames[i]) for i in range(4))
    with pytest.raises(ValueError, match="same size"):
        store.append(frames_of(1, size=(10, 10))[0])


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_a_cancelled_encoding_writes_nothing(tmp_path, suffix):
    if suffix == ".mp4" and mp4_missing():
        pytest.skip("imageio-ffmpeg is not installed")
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 2  # after two frames

    with pytest.raises(Cancelled):
        write_animation(tmp_path / f"clip{suffix}", frames_of(6, size=(32, 32)),
                        cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []
