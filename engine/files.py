"""Atomic file writes, shared by every file XOR Lab saves."""

import os
import tempfile
from pathlib import Path


def write_text_atomic(path, text: str):
    """Write ``text`` to ``path`` so that a reader sees either the old file or the new one.

    The text goes to a temporary file in the same folder, is flushed to disk, then renamed
    over ``path``; on any failure the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
