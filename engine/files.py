"""Every file XOR Lab reads or writes goes through here.

Writes are atomic: a temporary file in the target's folder, flushed to disk, then renamed over
the target, so a reader sees the old file or the new one, never half of one. A rename replaces
whatever the target is, so the target is checked first: a symlink is followed (the file it
points to is written and the link stays a link), and anything but a regular file (a folder, a
FIFO, a device such as /dev/null, which root could otherwise turn into a plain file) is
refused, as are an empty path and a name longer than the file system takes. Reads refuse
anything but a regular file (opening a FIFO would block for ever) and anything larger than
a cap. Every failure is a FileError naming the path and the reason.
"""

import os
import secrets
import stat
from pathlib import Path

#: Default cap on what ``read_bytes`` and ``read_text`` accept.
TEXT_LIMIT = 16 * 2**20
#: The longest file name, in bytes, where the file system does not say (POSIX's NAME_MAX).
DEFAULT_NAME_MAX = 255
#: What ``_create_temporary`` adds to a name: ".", ".", 8 hex digits and ".tmp".
_TEMPORARY_EXTRA = len("..12345678.tmp")


class FileError(ValueError):
    """A file cannot be read or written; the message names the path and the reason."""


def _size_text(size: int) -> str:
    return f"{size / 2**20:g} MiB"


def os_reason(error: OSError) -> str:
    """An OSError in plain words: 'no space left on device' rather than '[Errno 28] …'."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def _kind(mode: int) -> str | None:
    """Why a file of ``mode`` cannot be read or replaced, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return "is a directory" if stat.S_ISDIR(mode) else "is not a regular file"


def check_suffix(path, suffixes, what: str) -> str:
    """The lower-case suffix of ``path`` if it is one of ``suffixes`` (a dict's keys do),
    else FileError: 'cannot write x.avi: an animation is saved as .gif, .mp4 (not .avi)'."""
    _refuse_empty(path, "write")
    suffix = Path(path).suffix.lower()
    if suffix not in suffixes:
        given = f"not {suffix}" if suffix else "the name has no suffix"
        raise FileError(f"cannot write {path}: {what} is saved as {', '.join(suffixes)} "
                        f"({given})")
    return suffix


def _refuse_empty(path, verb: str):
    # os.stat("") fails as a missing file, and realpath("") is the current folder.
    if os.fspath(path) in ("", b""):
        raise FileError(f"cannot {verb} an empty path: give a file name")


def name_max(folder) -> int:
    """The longest file name, in bytes, that ``folder``'s file system takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no such folder, or no pathconf (Windows)
        return DEFAULT_NAME_MAX


def writable_target(path) -> Path:
    """The file a write to ``path`` must replace: ``path`` with its symlinks resolved.

    Raises FileError when the path is empty, the name is longer than the file system takes,
    or the file is not a regular file, is read-only, or its folder is missing or not
    writable. Call it before long work, so that a bad target is reported at once.
    """
    _refuse_empty(path, "write")
    target = Path(os.path.realpath(path))
    limit = name_max(target.parent)
    if len(os.fsencode(target.name)) > limit:
        raise FileError(f"cannot write {path}: the name is longer than the {limit} bytes "
                        "the file system takes")
    # Name the resolved file in the reason only when it is not what the user typed.
    shown = "it" if target == Path(os.path.abspath(path)) else str(target)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise FileError(f"cannot write {path}: {os_reason(error)}") from None
    if mode is not None:
        if _kind(mode):
            raise FileError(f"cannot write {path}: {shown} {_kind(mode)}")
        # The write bits too: root may write anything, but a file its owner made read-only
        # is meant to stay as it is.
        if not os.access(target, os.W_OK) or not mode & 0o222:
            raise FileError(f"cannot write {path}: {shown} is read-only")
    folder = target.parent
    if not folder.is_dir():
        raise FileError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FileError(f"cannot write {path}: folder {folder} is not writable")
    return target


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new empty file beside ``target``, open for writing.

    Opened with mode 0o666 so that the umask applies as for any new file (mkstemp's 0o600
    would hide a new session from the user's group); O_EXCL makes the name ours alone. A
    target name near the file system's limit is cut short in the temporary's name, so that
    a name ``writable_target`` accepted can always be written.
    """
    room = name_max(target.parent) - _TEMPORARY_EXTRA
    # Cut as bytes; a character split in two decodes to surrogate escapes, which encode back
    # to the same bytes.
    stem = os.fsdecode(os.fsencode(target.name)[:room])
    while True:
        temporary = target.with_name(f".{stem}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue


def write_atomic(path, writer):
    """Replace the file at ``path`` with what ``writer(stream)`` writes to a binary stream.

    The existing file's permission bits are kept. On any failure the temporary file is
    removed and the old file is left as it was; an OSError becomes a FileError.
    """
    target = writable_target(path)
    temporary = None
    try:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = None  # a new file: the umask decides, as for any other program's
        handle, temporary = _create_temporary(target)
        with os.fdopen(handle, "wb") as stream:
            writer(stream)
            stream.flush()
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise FileError(f"cannot write {path}: {os_reason(error)}") from None
        raise


def write_bytes_atomic(path, data: bytes):
    """``write_atomic`` of ``data``."""
    write_atomic(path, lambda stream: stream.write(data))


def write_text_atomic(path, text: str):
    """``write_atomic`` of ``text`` as UTF-8."""
    write_bytes_atomic(path, text.encode("utf-8"))


def read_bytes(path, limit: int = TEXT_LIMIT) -> bytes:
    """The contents of the regular file at ``path``, at most ``limit`` bytes long.

    FileError for a missing, unreadable, non-regular or larger file. The file is opened
    non-blocking and checked again once open, so that a FIFO put in its place after the
    first check cannot block the caller.
    """
    return _read(path, limit, whole=True)


def read_head(path, size: int) -> bytes:
    """The first ``size`` bytes (or fewer) of the regular file at ``path``: enough to tell
    what kind of file it is. FileError as ``read_bytes``."""
    return _read(path, size, whole=False)


def _read(path, limit: int, whole: bool) -> bytes:
    def refuse(reason):
        return FileError(f"cannot read {path}: {reason}")

    _refuse_empty(path, "read")
    try:
        info = os.stat(path)
        if _kind(info.st_mode):
            raise refuse(f"it {_kind(info.st_mode)}")
        if whole and info.st_size > limit:
            raise refuse(f"it is larger than {_size_text(limit)}")
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if _kind(mode):
                raise refuse(f"it {_kind(mode)}")
            data = stream.read(limit + 1 if whole else limit)  # +1: it may have grown
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as error:
        raise refuse(os_reason(error)) from None
    if len(data) > limit:
        raise refuse(f"it is larger than {_size_text(limit)}")
    return data


def read_text(path, limit: int = TEXT_LIMIT) -> str:
    """``read_bytes`` decoded as UTF-8 (FileError if it is not text)."""
    try:
        return read_bytes(path, limit).decode("utf-8")
    except UnicodeDecodeError:
        raise FileError(f"cannot read {path}: it is not a text file (not UTF-8)") from None
