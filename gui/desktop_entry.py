"""``xor-lab --install-desktop-entry`` / ``--uninstall-desktop-entry``: XOR Lab in the user's
application menu, its icon in the hicolor theme and ``.xorlab`` files known as its sessions.

Everything goes under the user's data folder ($XDG_DATA_HOME, else ~/.local/share), written
atomically through the engine's file layer; uninstalling removes exactly those files. No Qt:
this runs before any QApplication exists.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from engine.files import FileError, os_reason, read_bytes, writable_target, write_bytes_atomic
from gui.icon_files import ICON_SIZES, ICONS, NAME

#: The source checkout's entry point, used when no installed launcher sits beside Python.
MAIN_PY = Path(__file__).resolve().parent.parent / "main.py"
#: The installed package's entry point (what the scripts call), for ``python -m``.
LAUNCHER_MODULE = "gui.launcher"
MIME_TYPE = "application/x-xorlab-session"

#: A session is a zip whose first member is manifest.json (engine/session_file.py), so its
#: name sits right after the 30-byte local header. Matching it as well as "PK\3\4" (as
#: EPUB and OpenDocument do) keeps every other extensionless zip an application/zip; 70
#: outranks zip's own 60.
MIME_XML = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>XOR Lab session</comment>
    <sub-class-of type="application/zip"/>
    <icon name="{NAME}"/>
    <glob pattern="*.xorlab"/>
    <magic priority="70">
      <match type="string" value="PK\\003\\004" offset="0">
        <match type="string" value="manifest.json" offset="30"/>
      </match>
    </magic>
  </mime-type>
</mime-info>
"""

#: Characters that make the Desktop Entry spec quote an Exec argument ("Reserved").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
#: Characters escaped with a backslash inside a quoted Exec argument.
_QUOTED_ESCAPES = re.compile(r'(["`$\\])')
#: Timeout for a database refresh: they take well under a second; a hung one must not
#: hang the install.
REFRESH_SECONDS = 60

Say = Callable[[str], None]


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative (the XDG Base
    Directory spec says to ignore a relative one)."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"


def desktop_path(home: Path) -> Path:
    return home / "applications" / f"{NAME}.desktop"


def mime_path(home: Path) -> Path:
    return home / "mime" / "packages" / f"{NAME}.xml"


def icon_paths(home: Path) -> dict[Path, Path]:
    """Installed icon → its source in resources/icons, every PNG size and the SVG."""
    hicolor = home / "icons" / "hicolor"
    paths = {hicolor / f"{size}x{size}" / "apps" / f"{NAME}.png": ICONS / f"{NAME}-{size}.png"
             for size in ICON_SIZES}
    paths[hicolor / "scalable" / "apps" / f"{NAME}.svg"] = ICONS / f"{NAME}.svg"
    return paths


def installed_paths(home: Path) -> list[Path]:
    """Every file ``install`` writes, the desktop file first (``uninstall``'s order: the menu
    entry goes before what it points to)."""
    return [desktop_path(home), mime_path(home), *icon_paths(home)]


def launcher() -> list[str]:
    """The command that starts XOR Lab: the ``xor-lab`` script beside this Python (a virtual
    environment, pipx, uv; the packaged app is that program itself), else this Python
    running the source checkout's main.py, else (an installed copy whose scripts went
    elsewhere, such as pip's --user or a system Python's /usr/local/bin) this Python
    running the installed package. Not resolved: a virtual environment's python is a
    symlink that must stay one to find its packages."""
    python = Path(sys.executable).absolute()
    script = python.with_name(NAME)
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    if MAIN_PY.is_file():
        return [str(python), str(MAIN_PY)]
    return [str(python), "-m", LAUNCHER_MODULE]


def string_value(text: str) -> str:
    """``text`` as a Desktop Entry string value (its \\\\, \\n, \\t, \\r escapes)."""
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def exec_argument(argument: str) -> str:
    """One Exec argument, before the string escapes: '%' doubled, and in double quotes with
    '"', '`', '$' and '\\' backslashed when it holds a reserved character."""
    argument = argument.replace("%", "%%")
    if _RESERVED.isdisjoint(argument):
        return argument
    return '"' + _QUOTED_ESCAPES.sub(r"\\\1", argument) + '"'


def desktop_entry(command: list[str]) -> str:
    """The .desktop file for ``command``, which opens a file given after it (%f)."""
    exec_line = " ".join(exec_argument(argument) for argument in command) + " %f"
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=XOR Lab",
        "GenericName=Neural Network Trainer",
        "Comment=Watch a small neural network learn XOR by backpropagation, live",
        f"Exec={string_value(exec_line)}",
        # The menu hides the entry once the launcher is gone (a deleted environment).
        f"TryExec={string_value(command[0])}",
        f"Icon={NAME}",
        "Terminal=false",
        "Categories=Education;Science;",
        "Keywords=neural network;backpropagation;XOR;machine learning;gradient descent;",
        f"MimeType={MIME_TYPE};",
        # Qt ends the launch feedback when the first window shows (X11 and Wayland).
        "StartupNotify=true",
        # gui.app.DESKTOP_FILE_NAME: the window's Wayland app id and X11 instance name.
        f"StartupWMClass={NAME}",
        "",
    ])


def _make_folder(folder: Path):
    """``folder`` and its missing parents; FileError naming the first that cannot be made."""
    for part in [*reversed(folder.parents), folder]:
        if part.is_dir():
            continue
        try:
            part.mkdir()
        except FileExistsError:
            raise FileError(f"cannot create folder {part}: something that is not a folder "
                            "is in the way") from None
        except OSError as error:
            raise FileError(f"cannot create folder {part}: {os_reason(error)}") from None


def install(home: Path | None = None, say: Say = print):
    """Write the desktop file, the icons and the MIME definition, then refresh the
    databases that index them. FileError (path and reason) on the first failure."""
    home = data_home() if home is None else home
    text = desktop_entry(launcher())
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise FileError(f"cannot write {desktop_path(home)}: the launcher's path is not "
                        "UTF-8, which a desktop file must be") from None
    contents = {path: read_bytes(source) for path, source in icon_paths(home).items()}
    contents[mime_path(home)] = MIME_XML.encode("utf-8")
    contents[desktop_path(home)] = data  # last: the entry appears once its icon exists
    for path in contents:  # every target checked first: a bad one stops nothing half-done
        _make_folder(path.parent)
        writable_target(path)
    for path, data in contents.items():
        write_bytes_atomic(path, data)
        say(f"wrote {path}")
    _refresh(home, say)


def uninstall(home: Path | None = None, say: Say = print):
    """Remove exactly the files ``install`` writes (a symlink is removed, not followed),
    then refresh the databases. FileError on a path that cannot be removed."""
    home = data_home() if home is None else home
    removed = 0
    for path in installed_paths(home):
        try:
            if path.is_dir() and not path.is_symlink():
                raise FileError(f"cannot remove {path}: it is a folder, not XOR Lab's file")
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):  # not there: nothing to remove
            continue
        except OSError as error:
            raise FileError(f"cannot remove {path}: {os_reason(error)}") from None
        removed += 1
        say(f"removed {path}")
    if removed:
        _refresh(home, say)
    else:
        say(f"nothing to remove: XOR Lab's desktop entry is not installed in {home}")


def _refresh(home: Path, say: Say):
    """Rebuild the indexes of the folders written: the menu's MIME cache, the MIME database
    and, only where one already exists, the icon cache. A missing or failing tool is
    reported, never an error: the files are in place and are found without it, later."""
    _run(["update-desktop-database", "-q", str(home / "applications")], say)
    _run(["update-mime-database", str(home / "mime")], say)
    hicolor = home / "icons" / "hicolor"
    # A cache made here would hide icons other programs add to hicolor later without
    # rebuilding it, so none is created; the folder's new time marks any cache as stale.
    with contextlib.suppress(OSError):
        os.utime(hicolor)
    if (hicolor / "icon-theme.cache").is_file():
        _run(["gtk-update-icon-cache", "-q", "-t", str(hicolor)], say)
    else:
        say(f"skipped gtk-update-icon-cache (no icon cache in {hicolor} to refresh)")


def _run(command: list[str], say: Say):
    name = command[0]
    executable = shutil.which(name)
    if executable is None:
        say(f"skipped {name} (not installed)")
        return
    try:
        result = subprocess.run([executable, *command[1:]], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, errors="replace",
                                timeout=REFRESH_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        say(f"{name} failed ({error}); the files are in place")
        return
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip()).splitlines()
        reason = f"exit status {result.returncode}" + (f": {detail[-1]}" if detail else "")
        say(f"{name} failed ({reason}); the files are in place")
    else:
        say(f"ran {' '.join(command)}")


def command(action: Callable[..., None]) -> int:
    """``install`` or ``uninstall`` as a command: what was done on stdout, exit 0; on a
    failure one line naming the path and the reason on stderr, exit 1."""
    try:
        action()
    except FileError as error:
        print(f"xor-lab: {error}", file=sys.stderr)
        return 1
    return 0
