"""What the window remembers between runs (QSettings): the last folder used, recent files."""

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = APPLICATION = "XOR Lab"
MAX_RECENT = 8


def _settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def last_folder() -> str:
    """The folder of the last file opened or saved, if it still exists; else the home."""
    folder = _settings().value("files/last_folder", "", type=str)
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def recent_files() -> list[str]:
    """Files opened or saved, newest first, those that still exist."""
    files = _settings().value("files/recent", [], type=list) or []
    return [name for name in files if isinstance(name, str) and Path(name).is_file()]


def remember_folder(path):
    """``path`` was opened or saved: its folder is where the next file dialog starts."""
    _settings().setValue("files/last_folder", str(Path(path).absolute().parent))


def remember_file(path):
    """``path`` was opened or saved: first in the recent files, its folder the last used."""
    path = str(Path(path).absolute())
    remember_folder(path)
    files = [path] + [name for name in recent_files() if name != path]
    _settings().setValue("files/recent", files[:MAX_RECENT])


def forget_file(path):
    """Drop ``path`` from the recent files (it could not be opened)."""
    path = str(Path(path).absolute())
    _settings().setValue("files/recent", [name for name in recent_files() if name != path])
