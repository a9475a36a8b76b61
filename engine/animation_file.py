"""Animation files: frames (RGB arrays) as an animated GIF (Pillow) or an MP4 (imageio-ffmpeg,
the optional ``video`` extra), written through the file layer, so atomically."""

import io
import tempfile
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


def mp4_missing() -> str | None:
    """Why MP4 cannot be written here (None: it can)."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as error:
        return f"MP4 needs the optional video extra: pip install 'xor-lab[video]' ({error})"
    return None


def _check(images) -> tuple[int, int]:
    if not images:
        raise ValueError("an animation needs at least one frame")
    shape = images[0].shape
    if any(image.shape != shape or image.dtype != np.uint8 for image in images):
        raise ValueError("every frame must be an RGB uint8 array of the same size")
    return shape[1], shape[0]


def gif_bytes(images, fps: int = FPS) -> bytes:
    """An endlessly looping GIF of ``images`` ((h, w, 3) uint8 each) at ``fps``."""
    from PIL import Image

    _check(images)
    # One palette for the whole clip, from a few frames spread over it (the heatmap's colours
    # deepen as the run learns): a palette made per frame took Pillow 8× as long and made
    # the background flicker between frames.
    picks = np.linspace(0, len(images) - 1, min(len(images), _PALETTE_SAMPLES)).astype(int)
    sample = Image.fromarray(np.concatenate([images[i][::2, ::2] for i in picks]), "RGB")
    palette = sample.quantize(colors=255, method=Image.Quantize.FASTOCTREE)
    frames = [Image.fromarray(image, "RGB").quantize(palette=palette,
                                                     dither=Image.Dither.NONE)
              for image in images]
    stream = io.BytesIO()
    frames[0].save(stream, format="GIF", save_all=True, append_images=frames[1:],
                   duration=round(1000 / fps), loop=0)
    return stream.getvalue()


def mp4_bytes(images, fps: int = FPS) -> bytes:
    """An H.264 MP4 of ``images`` at ``fps`` (needs imageio-ffmpeg: see ``mp4_missing``)."""
    missing = mp4_missing()
    if missing:
        raise ValueError(missing)
    import imageio_ffmpeg

    width, height = _check(images)
    with tempfile.TemporaryDirectory(prefix="xor-lab-") as folder:
        target = Path(folder) / "clip.mp4"
        writer = imageio_ffmpeg.write_frames(str(target), (width, height), fps=fps,
                                             codec="libx264", pix_fmt_out="yuv420p",
                                             macro_block_size=_MP4_BLOCK, quality=8,
                                             ffmpeg_log_level="error")
        writer.send(None)  # start ffmpeg
        for image in images:
            writer.send(np.ascontiguousarray(image))
        writer.close()
        return read_bytes(target)


def write_animation(path, images, fps: int = FPS):
    """Write ``images`` to ``path`` as GIF or MP4, by its suffix."""
    suffix = check_suffix(path, FORMATS, "an animation")
    data = gif_bytes(images, fps) if suffix == ".gif" else mp4_bytes(images, fps)
    write_bytes_atomic(path, data)
