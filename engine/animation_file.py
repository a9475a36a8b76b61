"""Animation files: frames (RGB arrays) as an animated GIF (Pillow) or an MP4 (imageio-ffmpeg,
the optional ``video`` extra), written through the file layer, so atomically.

Frames are kept compressed until they are encoded (FrameStore), and encoding reads them one
at a time and can be cancelled between frames (a window closing mid-encoding).
"""

import io
import tempfile
import zlib
from pathlib import Path

import numpy as np

from engine.files import check_suffix, read_bytes, write_bytes_atomic
from engine.recording import FPS

#: Suffix → what a file dialog calls it.
FORMATS = {".gif": "Animated GIF", ".mp4": "MP4 video"}
#: Frames a GIF's one palette is made from.
_PALETTE_SAMPLES = 6
#: H.264 in yuv420p needs even sides; imageio-ffmpeg pads to multiples of this.
_MP4_BLOCK = 16


class Cancelled(Exception):
    """Encoding stopped because ``cancelled()`` said so; nothing was written."""


class FrameStore:
    """RGB frames of one size, each kept zlib-compressed: a clip's plots are mostly flat
    colour, so 300 frames of 1280×896 take tens of MB instead of 1 GB."""

    def __init__(self):
        self._frames = []
        self.shape = None

    def append(self, image: np.ndarray):
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError("a frame must be an RGB uint8 array (h, w, 3)")
        if self.shape is not None and image.shape != self.shape:
            raise ValueError(f"every frame must be of the same size ({self.shape[1]}×"
                             f"{self.shape[0]}, not {image.shape[1]}×{image.shape[0]})")
        self.shape = image.shape
        self._frames.append(zlib.compress(np.ascontiguousarray(image).tobytes(), 1))

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, index: int) -> np.ndarray:
        data = zlib.decompress(self._frames[index])
        return np.frombuffer(data, np.uint8).reshape(self.shape)


def store_of(images) -> FrameStore:
    """``images`` as a FrameStore (checked), unless they are one already."""
    if isinstance(images, FrameStore):
        store = images
    else:
        store = FrameStore()
        for image in images:
            store.append(np.asarray(image))
    if not len(store):
        raise ValueError("an animation needs at least one frame")
    return store


def mp4_missing() -> str | None:
    """Why MP4 cannot be written here (None: it can)."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as error:
        return f"MP4 needs the optional video extra: pip install 'xor-lab[video]' ({error})"
    return None


def _frames(store: FrameStore, cancelled):
    for index in range(len(store)):
        if cancelled():
            raise Cancelled("the animation was cancelled")
        yield store[index]


def gif_bytes(images, fps: int = FPS, cancelled=lambda: False) -> bytes:
    """An endlessly looping GIF of ``images`` ((h, w, 3) uint8 each) at ``fps``."""
    from PIL import Image

    store = store_of(images)
    # One palette for the whole clip, from a few frames spread over it (the heatmap's colours
    # deepen as the run learns): a palette made per frame took Pillow 8× as long and made
    # the background flicker between frames.
    picks = np.linspace(0, len(store) - 1, min(len(store), _PALETTE_SAMPLES)).astype(int)
    sample = Image.fromarray(np.concatenate([store[i][::2, ::2] for i in picks]), "RGB")
    palette = sample.quantize(colors=255, method=Image.Quantize.FASTOCTREE)
    frames = (Image.fromarray(image, "RGB").quantize(palette=palette, dither=Image.Dither.NONE)
              for image in _frames(store, cancelled))
    stream = io.BytesIO()
    next(frames).save(stream, format="GIF", save_all=True, append_images=frames,
                      duration=round(1000 / fps), loop=0)
    return stream.getvalue()


def mp4_bytes(images, fps: int = FPS, cancelled=lambda: False) -> bytes:
    """An H.264 MP4 of ``images`` at ``fps`` (needs imageio-ffmpeg: see ``mp4_missing``)."""
    missing = mp4_missing()
    if missing:
        raise ValueError(missing)
    import imageio_ffmpeg

    store = store_of(images)
    height, width = store.shape[:2]
    with tempfile.TemporaryDirectory(prefix="xor-lab-") as folder:
        target = Path(folder) / "clip.mp4"
        writer = imageio_ffmpeg.write_frames(str(target), (width, height), fps=fps,
                                             codec="libx264", pix_fmt_out="yuv420p",
                                             macro_block_size=_MP4_BLOCK, quality=8,
                                             ffmpeg_log_level="error")
        writer.send(None)  # start ffmpeg
        try:
            for image in _frames(store, cancelled):
                writer.send(image)
        finally:
            writer.close()
        return read_bytes(target, limit=2**31)


def write_animation(path, images, fps: int = FPS, cancelled=lambda: False):
    """Write ``images`` to ``path`` as GIF or MP4, by its suffix; Cancelled (and nothing
    written) once ``cancelled()`` is true."""
    suffix = check_suffix(path, FORMATS, "an animation")
    encode = gif_bytes if suffix == ".gif" else mp4_bytes
    write_bytes_atomic(path, encode(images, fps, cancelled))
