"""engine/files.py: atomic writes that respect links, modes and non-regular files; capped,
non-blocking reads."""

import os
import stat

import pytest

from engine import files
from engine.files import (
    TEXT_LIMIT,
    FileError,
    check_suffix,
    read_bytes,
    read_head,
    read_text,
    writable_target,
    write_atomic,
    write_bytes_atomic,
    write_text_atomic,
)

permissions_apply = pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_text_and_bytes_and_streams(tmp_path):
    write_text_atomic(tmp_path / "a.txt", "é\n")
    write_bytes_atomic(tmp_path / "b.bin", b"\x00\xff")
    write_atomic(tmp_path / "c.bin", lambda stream: stream.write(b"zip"))
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "é\n"
    assert read_bytes(tmp_path / "b.bin") == b"\x00\xff"
    assert read_text(tmp_path / "c.bin") == "zip"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin", "c.bin"]


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert writable_target(link) == target
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"


def test_a_dangling_symlink_creates_the_file_it_points_to(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "later.csv")
    write_text_atomic(link, "x")
    assert link.is_symlink() and (tmp_path / "later.csv").read_text() == "x"


def test_a_device_is_never_a_write_target(tmp_path):
    with pytest.raises(FileError, match="cannot write /dev/null: it is not a regular file"):
        writable_target("/dev/null")
    link = tmp_path / "null.csv"
    link.symlink_to("/dev/null")
    with pytest.raises(FileError, match=f"{link}: /dev/null is not a regular file"):
        writable_target(link)


def test_a_directory_and_a_fifo_are_refused_as_targets(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileError, match="it is a directory"):
        write_text_atomic(tmp_path, "x")
    with pytest.raises(FileError, match="it is not a regular file"):
        write_text_atomic(fifo, "x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FileError, match=f"folder {tmp_path / 'no'} does not exist"):
        writable_target(tmp_path / "no" / "x.csv")


@permissions_apply
def test_a_read_only_folder_gives_an_error_and_keeps_the_old_file(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "x.csv"
    path.write_text("old")
    folder.chmod(0o555)
    try:
        with pytest.raises(FileError, match=f"folder {folder} is not writable"):
            write_text_atomic(path, "new")
    finally:
        folder.chmod(0o755)
    assert path.read_text() == "old"


def test_a_folder_the_user_may_not_write_is_refused_before_writing(tmp_path, monkeypatch):
    path = tmp_path / "x.csv"
    path.write_text("old")
    monkeypatch.setattr(files.os, "access", lambda p, mode: p != tmp_path)  # as for a user
    with pytest.raises(FileError, match=f"cannot write {path}: folder {tmp_path} is not "
                                        "writable"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old"


def test_a_read_only_file_is_refused(tmp_path):
    """Its write bits say so, which holds for root too."""
    path = tmp_path / "x.csv"
    path.write_text("old")
    path.chmod(0o444)
    with pytest.raises(FileError, match="is read-only"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_debris(tmp_path, monkeypatch):
    path = tmp_path / "x.csv"
    path.write_text("old")

    def refuse(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(FileError, match=f"cannot write {path}: no space left on device"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_a_writer_that_fails_leaves_the_old_file_and_its_error(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"old")

    def half_then_fail(stream):
        stream.write(b"half")
        raise KeyError("boom")

    with pytest.raises(KeyError):
        write_atomic(path, half_then_fail)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_the_mode_of_an_existing_file_is_kept(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("old")
    path.chmod(0o640)
    write_text_atomic(path, "new")
    assert mode_of(path) == 0o640


def test_a_new_file_gets_the_umasks_mode(tmp_path):
    previous = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "x.csv", "new")
        os.umask(0o027)
        write_text_atomic(tmp_path / "y.csv", "new")
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / "x.csv") == 0o644
    assert mode_of(tmp_path / "y.csv") == 0o640


def test_a_fifo_is_refused_for_reading_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no writer: opening it for reading would block for ever
    with pytest.raises(FileError, match=f"cannot read {fifo}: it is not a regular file"):
        read_bytes(fifo)


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    monkeypatch.setattr(files.os, "stat", lambda path: regular)  # the first check passes
    with pytest.raises(FileError, match="it is not a regular file"):
        read_bytes(fifo)


def test_reads_refuse_directories_devices_and_missing_files(tmp_path):
    with pytest.raises(FileError, match="it is a directory"):
        read_bytes(tmp_path)
    with pytest.raises(FileError, match="cannot read /dev/zero: it is not a regular file"):
        read_bytes("/dev/zero")
    with pytest.raises(FileError, match="no such file"):
        read_text(tmp_path / "absent.json")


def test_read_head_gives_the_first_bytes_of_a_file_of_any_size(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"PK\x03\x04" + bytes(TEXT_LIMIT + 10))
    assert read_head(path, 4) == b"PK\x03\x04"
    with pytest.raises(FileError, match="is a directory"):
        read_head(tmp_path, 4)


def test_reads_are_capped(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 2**20 + b"x")
    assert len(read_bytes(path, limit=2**20 + 1)) == 2**20 + 1
    with pytest.raises(FileError, match=f"cannot read {path}: it is larger than 1 MiB"):
        read_bytes(path, limit=2**20)


def test_text_must_be_utf8(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FileError, match="not a text file"):
        read_text(path)


def test_check_suffix_names_the_path_and_the_choices():
    assert check_suffix("Run.XORLAB", (".xorlab",), "a session") == ".xorlab"
    assert check_suffix("clip.gif", {".gif": "GIF", ".mp4": "MP4"}, "an animation") == ".gif"
    with pytest.raises(FileError, match=r"cannot write clip.avi: an animation is saved as "
                                        r"\.gif, \.mp4 \(not \.avi\)"):
        check_suffix("clip.avi", (".gif", ".mp4"), "an animation")
    with pytest.raises(FileError, match="the name has no suffix"):
        check_suffix("clip", (".gif",), "an animation")


def test_a_name_at_the_file_systems_limit_is_written_without_leftovers(tmp_path):
    # The temporary's ".NAME.1234abcd.tmp" would be too long for the folder: cut short.
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    path = tmp_path / ("a" * (limit - 5) + ".json")
    write_text_atomic(path, "{}")
    assert path.read_text() == "{}"
    assert os.listdir(tmp_path) == [path.name]


def test_a_name_beyond_the_limit_is_refused_before_any_work(tmp_path):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    with pytest.raises(FileError, match=f"longer than the {limit} bytes"):
        writable_target(tmp_path / ("a" * (limit + 1)))


@pytest.mark.parametrize("call", [writable_target, read_bytes, lambda path: check_suffix(
    path, (".csv",), "a table"), lambda path: write_text_atomic(path, "x")])
def test_an_empty_path_is_refused_with_a_clear_message(call):
    with pytest.raises(FileError, match="an empty path: give a file name"):
        call("")
