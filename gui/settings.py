"""What the window remembers between runs (QSettings): the last folder used, recent files,
the last configuration, the view settings, the theme and zoom, the window's layout and the
scheduler the last sweep ran on.

Values that need a type (the configuration, the view settings, splitter sizes) are kept as
JSON text: an INI file hands every number back as a string. A stored value that no longer
validates (an older version's, or edited by hand) is ignored, never an error.
"""

import contextlib
import json
from dataclasses import asdict, fields, replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize

from engine.config import PRESETS, TrainingConfig
from engine.view_settings import ViewSettings
from gui.theme import LIGHT, THEMES, ZOOMS, Theme

ORGANISATION = APPLICATION = "XOR Lab"
MAX_RECENT = 8
#: The first window (no stored geometry) takes this share of the screen's available area,
#: within these bounds: the layout is made for no less than a 1024×768 projector, and
#: beyond the maximum the plots only grow emptier.
FIRST_SHARE = 0.85
FIRST_MIN = QSize(1024, 700)
FIRST_MAX = QSize(1600, 1000)


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


# The run and the window ------------------------------------------------------------------
def remembered_scheduler() -> str:
    """The scheduler address the last sweep was run on ('' for this computer)."""
    return _settings().value("sweep/scheduler", "", type=str) or ""


def remember_scheduler(address: str | None):
    _settings().setValue("sweep/scheduler", address or "")


def startup_config(preset: str | None, opening_file: bool) -> TrainingConfig:
    """The configuration the window opens with: ``preset`` if one was asked for, else the
    last one remembered (not when a file is opened: the file brings its own, and if it
    cannot be read the tutorial's network stays), else the tutorial's."""
    if preset is None and not opening_file:
        return remembered_config() or PRESETS["tutorial"]
    return PRESETS[preset or "tutorial"]


def remembered_config() -> TrainingConfig | None:
    """The configuration last used, or None if none is stored or it no longer validates."""
    try:
        return TrainingConfig.from_dict(_json("run/config"))
    except (TypeError, ValueError):  # ConfigError is a ValueError
        return None


def remembered_view() -> ViewSettings:
    """The view settings last used; each one that is missing or invalid is its default."""
    stored = _json("run/view")
    view = ViewSettings()
    if not isinstance(stored, dict):
        return view
    for field in fields(ViewSettings):
        if field.name not in stored:
            continue
        with contextlib.suppress(TypeError, ValueError):
            view = replace(view, **{field.name: stored[field.name]})
    return view


def remembered_theme() -> Theme:
    """The theme and zoom last used; the light theme at 100 % for what is missing or
    invalid."""
    stored = _json("view/appearance")
    if not isinstance(stored, dict):
        return LIGHT
    theme = THEMES.get(stored.get("theme"), LIGHT)
    zoom = stored.get("zoom")
    return theme.zoomed(zoom) if type(zoom) is int and zoom in ZOOMS else theme


def remembered_sizes(name: str, count: int) -> list[int] | None:
    """The sizes of the splitter ``name`` with ``count`` panes, if stored and sensible."""
    sizes = _json(f"window/splitters/{name}")
    if (isinstance(sizes, list) and len(sizes) == count
            and all(type(size) is int and size >= 0 for size in sizes) and sum(sizes) > 0):
        return sizes
    return None


def remembered_bytes(key: str) -> QByteArray | None:
    """``window/geometry`` or ``window/state`` as saved by Qt, if stored."""
    value = _settings().value(f"window/{key}")
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def remember_window(config: TrainingConfig, view: ViewSettings, theme: Theme,
                    geometry: QByteArray, state: QByteArray, sizes: dict[str, list[int]]):
    """Keep all that the next window opens with, in one write: each write syncs the file
    (about 10 ms here), so the window does this once at close, not at every slider step."""
    store = _settings()
    store.setValue("run/config", json.dumps(config.to_dict()))
    store.setValue("run/view", json.dumps(asdict(view)))
    store.setValue("view/appearance", json.dumps({"theme": theme.name, "zoom": theme.zoom}))
    store.setValue("window/geometry", geometry)
    store.setValue("window/state", state)
    for name, splitter_sizes in sizes.items():
        store.setValue(f"window/splitters/{name}", json.dumps(splitter_sizes))


def forget_all():
    """Help ▸ Restore defaults: every stored setting goes, recent files included."""
    _settings().clear()


def first_geometry(available: QRect, minimum: QSize | None = None) -> QRect:
    """The first window's geometry: a share of the screen's ``available`` area within
    FIRST_MIN…FIRST_MAX, no larger than the area unless the window cannot be smaller than
    ``minimum``; centred, but never above or left of the area (its title bar must stay
    within reach)."""
    size = QSize(round(available.width() * FIRST_SHARE), round(available.height() * FIRST_SHARE))
    size = (size.expandedTo(FIRST_MIN).boundedTo(FIRST_MAX).boundedTo(available.size())
            .expandedTo(minimum or QSize(0, 0)))
    return QRect(available.x() + max(0, (available.width() - size.width()) // 2),
                 available.y() + max(0, (available.height() - size.height()) // 2),
                 size.width(), size.height())


def _json(key: str):
    """The JSON value stored under ``key``; None if absent or not JSON."""
    text = _settings().value(key)
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text, parse_constant=lambda name: None)  # no NaN or Infinity
    except ValueError:
        return None
