"""xor-lab --install-desktop-entry / --uninstall-desktop-entry: the .desktop file, the icons
and the MIME definition under $XDG_DATA_HOME, and the databases refreshed after them."""

import configparser
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from engine.config import PRESETS
from engine.session import TrainingSession
from gui import about, desktop_entry
from gui import app as gui_app

ROOT = Path(__file__).resolve().parents[2]
#: Looked up before the tests empty PATH (the CI machine may not have it).
VALIDATOR = shutil.which("desktop-file-validate")
REAL_PATH = os.environ.get("PATH", "")
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
#: The Desktop Entry spec's escapes in string values.
STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
REFRESH_TOOLS = ("update-desktop-database", "update-mime-database", "gtk-update-icon-cache")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """$XDG_DATA_HOME in tmp_path, and a PATH whose database tools only log their arguments
    (to ``tools.log`` beside it)."""
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in REFRESH_TOOLS:
        _tool(tools, name, f'printf "%s\\n" "{name} $*" >> "{tmp_path / "tools.log"}"')
    monkeypatch.setenv("PATH", str(tools))
    return data


def _tool(folder: Path, name: str, body: str):
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)


def _ran(home: Path) -> list[str]:
    log = home.parent / "tools.log"
    return log.read_text().splitlines() if log.exists() else []


def _installed(home: Path) -> list[Path]:
    return desktop_entry.installed_paths(home)


def _read_desktop(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def _parse_exec(value: str) -> list[str]:
    """An Exec value back to its arguments, by the Desktop Entry spec: string escapes, then
    double quotes with backslash escapes, then %% (field codes left as they are)."""
    text = re.sub(r"\\(.)", lambda escape: STRING_ESCAPES[escape.group(1)], value)
    arguments, current, quoted, index = [], "", False, 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\":
            index += 1
            current += text[index]
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
        index += 1
    assert not quoted, value
    return [argument.replace("%%", "%") for argument in [*arguments, current]]


def _fake_python(tmp_path: Path, folder: str, launcher: bool) -> Path:
    """A sys.executable in ``folder``, with an executable xor-lab script beside it or not."""
    bin_dir = tmp_path / folder
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text("")
    if launcher:
        _tool(bin_dir, "xor-lab", "exit 0")
    return python


def test_install_writes_the_desktop_file_every_icon_and_the_mime_definition(home, capsys):
    assert desktop_entry.command(desktop_entry.install) == 0
    out = capsys.readouterr().out
    for path in _installed(home):
        assert path.is_file(), path
        assert f"wrote {path}\n" in out
    hicolor = home / "icons" / "hicolor"
    for size in about.ICON_SIZES:
        png = hicolor / f"{size}x{size}" / "apps" / "xor-lab.png"
        assert png.read_bytes() == (about.ICONS / f"xor-lab-{size}.png").read_bytes()
    svg = hicolor / "scalable" / "apps" / "xor-lab.svg"
    assert svg.read_bytes() == (about.ICONS / "xor-lab.svg").read_bytes()
    mime = ElementTree.parse(home / "mime" / "packages" / "xor-lab.xml").getroot()
    kind = mime.find("m:mime-type", MIME_NS)
    assert kind.get("type") == "application/x-xorlab-session"
    assert kind.find("m:comment", MIME_NS).text == "XOR Lab session"
    assert kind.find("m:sub-class-of", MIME_NS).get("type") == "application/zip"
    assert kind.find("m:glob", MIME_NS).get("pattern") == "*.xorlab"
    # New files are 0644 under the usual umask, like any other program's.
    assert (home / "applications" / "xor-lab.desktop").stat().st_mode & 0o777 == \
        0o666 & ~_umask()


def test_the_desktop_file_has_the_keys_a_menu_needs(home):
    desktop_entry.install(home, say=lambda line: None)
    entry = _read_desktop(home / "applications" / "xor-lab.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "XOR Lab"
    assert entry["GenericName"] and entry["Comment"] and entry["Keywords"]
    assert entry["Icon"] == "xor-lab"
    assert entry["Terminal"] == "false"
    assert {"Education", "Science"} <= set(entry["Categories"].split(";"))
    assert entry["Categories"].endswith(";")
    assert entry["MimeType"] == "application/x-xorlab-session;"
    # Taskbars match the running window to this entry by the name Qt is given.
    assert entry["StartupWMClass"] == gui_app.DESKTOP_FILE_NAME
    assert _parse_exec(entry["Exec"])[-1] == "%f"


def test_desktop_file_validate_accepts_the_file(home):
    if VALIDATOR is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    desktop_entry.install(home, say=lambda line: None)
    result = subprocess.run([VALIDATOR, str(home / "applications" / "xor-lab.desktop")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # Hints (two main categories) are fine; errors and warnings are not.
    assert "error:" not in result.stdout and "warning:" not in result.stdout, result.stdout


def test_exec_runs_the_installed_launcher_beside_python(home, tmp_path, monkeypatch):
    python = _fake_python(tmp_path, "venv/bin", launcher=True)
    monkeypatch.setattr(sys, "executable", str(python))
    desktop_entry.install(home, say=lambda line: None)
    entry = _read_desktop(home / "applications" / "xor-lab.desktop")
    launcher = str(python.with_name("xor-lab"))
    assert entry["Exec"] == f"{launcher} %f"
    assert entry["TryExec"] == launcher


def test_without_a_launcher_exec_runs_main_py_with_this_python(home, tmp_path, monkeypatch):
    python = _fake_python(tmp_path, "checkout/.venv/bin", launcher=False)
    monkeypatch.setattr(sys, "executable", str(python))
    desktop_entry.install(home, say=lambda line: None)
    entry = _read_desktop(home / "applications" / "xor-lab.desktop")
    assert _parse_exec(entry["Exec"]) == [str(python), str(ROOT / "main.py"), "%f"]
    assert (ROOT / "main.py").is_file()


@pytest.mark.parametrize(("argument", "quoted"), [
    ("/usr/bin/xor-lab", "/usr/bin/xor-lab"),
    ("/home/ann/my apps/xor-lab", '"/home/ann/my apps/xor-lab"'),
    ('/opt/$HOME"`x`\\y', '"/opt/\\$HOME\\"\\`x\\`\\\\y"'),
    ("/opt/100%/xor-lab", "/opt/100%%/xor-lab"),
    ("/opt/a=b,c+d@e/xor-lab", "/opt/a=b,c+d@e/xor-lab"),
])
def test_exec_arguments_are_quoted_by_the_desktop_entry_rules(argument, quoted):
    assert desktop_entry.exec_argument(argument) == quoted
    value = desktop_entry.string_value(quoted + " %f")
    assert _parse_exec(value) == [argument, "%f"]


def test_a_launcher_path_with_reserved_characters_validates_and_round_trips(
        home, tmp_path, monkeypatch):
    python = _fake_python(tmp_path, "my env/$x 'q' \\ 100%/bin", launcher=True)
    monkeypatch.setattr(sys, "executable", str(python))
    desktop_entry.install(home, say=lambda line: None)
    path = home / "applications" / "xor-lab.desktop"
    entry = _read_desktop(path)
    launcher = str(python.with_name("xor-lab"))
    assert _parse_exec(entry["Exec"]) == [launcher, "%f"]
    if VALIDATOR is not None:
        result = subprocess.run([VALIDATOR, str(path)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_uninstall_removes_exactly_the_installed_files(home, tmp_path, capsys):
    others = [home / "applications" / "other.desktop",
              home / "icons" / "hicolor" / "48x48" / "apps" / "other.png",
              home / "icons" / "hicolor" / "scalable" / "apps" / "xor-lab-symbolic.svg",
              home / "mime" / "packages" / "other.xml"]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("someone else's")
    assert desktop_entry.command(desktop_entry.install) == 0
    # A link where one of ours was: the link goes, what it points to stays.
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"not ours")
    linked = home / "icons" / "hicolor" / "16x16" / "apps" / "xor-lab.png"
    linked.unlink()
    linked.symlink_to(outside)
    capsys.readouterr()

    assert desktop_entry.command(desktop_entry.uninstall) == 0
    out = capsys.readouterr().out
    for path in _installed(home):
        assert not path.exists() and not path.is_symlink(), path
        assert f"removed {path}\n" in out
    assert all(path.read_text() == "someone else's" for path in others)
    assert outside.read_bytes() == b"not ours"
    assert (home / "icons" / "hicolor" / "16x16" / "apps").is_dir()  # folders stay

    assert desktop_entry.command(desktop_entry.uninstall) == 0
    assert capsys.readouterr().out == (
        f"nothing to remove: XOR Lab's desktop entry is not installed in {home}\n")


def test_installing_twice_replaces_the_files_in_place(home, capsys):
    assert desktop_entry.command(desktop_entry.install) == 0
    desktop = home / "applications" / "xor-lab.desktop"
    first = desktop.read_bytes()
    desktop.chmod(0o640)  # the user's choice is kept
    assert desktop_entry.command(desktop_entry.install) == 0
    assert desktop.read_bytes() == first
    assert desktop.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in desktop.parent.iterdir()) == ["xor-lab.desktop"]


def test_a_file_where_a_folder_must_be_stops_the_install_before_any_write(home, capsys):
    home.mkdir()
    (home / "icons").write_text("not a folder")
    assert desktop_entry.command(desktop_entry.install) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"xor-lab: cannot create folder {home / 'icons'}: something that "
                            "is not a folder is in the way\n")
    assert not any(path.exists() for path in _installed(home))
    assert _ran(home) == []


@pytest.mark.parametrize("blocker", ["folder", "read-only"])
def test_a_target_that_cannot_be_replaced_is_named_with_the_reason(home, capsys, blocker):
    desktop = home / "applications" / "xor-lab.desktop"
    desktop.parent.mkdir(parents=True)
    if blocker == "folder":
        desktop.mkdir()
        reason = "it is a directory"
    else:
        desktop.write_text("[Desktop Entry]\n")
        desktop.chmod(0o444)
        reason = "it is read-only"
    assert desktop_entry.command(desktop_entry.install) == 1
    captured = capsys.readouterr()
    assert captured.err == f"xor-lab: cannot write {desktop}: {reason}\n"
    assert captured.out == ""
    assert not (home / "mime" / "packages" / "xor-lab.xml").exists()  # checked, not written


def test_uninstall_refuses_a_folder_in_place_of_its_file(home, capsys):
    desktop = home / "applications" / "xor-lab.desktop"
    desktop.mkdir(parents=True)
    assert desktop_entry.command(desktop_entry.uninstall) == 1
    assert capsys.readouterr().err == (
        f"xor-lab: cannot remove {desktop}: it is a folder, not XOR Lab's file\n")
    assert desktop.is_dir()


def test_the_databases_are_refreshed_after_install_and_uninstall(home, capsys):
    desktop_entry.install(home)
    applications, mime = home / "applications", home / "mime"
    assert _ran(home) == [f"update-desktop-database -q {applications}",
                          f"update-mime-database {mime}"]
    assert "skipped gtk-update-icon-cache (no icon cache in" in capsys.readouterr().out
    # An icon cache the user already has is refreshed; none is made.
    hicolor = home / "icons" / "hicolor"
    (hicolor / "icon-theme.cache").write_bytes(b"")
    desktop_entry.uninstall(home, say=lambda line: None)
    assert _ran(home)[2:] == [f"update-desktop-database -q {applications}",
                              f"update-mime-database {mime}",
                              f"gtk-update-icon-cache -q -t {hicolor}"]


def test_a_missing_or_failing_database_tool_is_reported_not_fatal(home, tmp_path, monkeypatch,
                                                                    capsys):
    tools = tmp_path / "failing"
    tools.mkdir()
    _tool(tools, "update-mime-database", 'echo "it broke" >&2; exit 3')
    monkeypatch.setenv("PATH", str(tools))
    assert desktop_entry.command(desktop_entry.install) == 0
    out = capsys.readouterr().out
    assert "skipped update-desktop-database (not installed)\n" in out
    assert ("update-mime-database failed (exit status 3: it broke); the files are in place\n"
            in out)
    assert all(path.is_file() for path in _installed(home))


def test_the_real_databases_know_the_session_type_then_forget_it(home, monkeypatch):
    monkeypatch.setenv("PATH", REAL_PATH)
    for tool in ("update-desktop-database", "update-mime-database"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    desktop_entry.install(home, say=lambda line: None)
    assert "application/x-xorlab-session=xor-lab.desktop;" in \
        (home / "applications" / "mimeinfo.cache").read_text()
    assert "application/x-xorlab-session:*.xorlab" in (home / "mime" / "globs2").read_text()
    desktop_entry.uninstall(home, say=lambda line: None)
    assert "xorlab" not in (home / "mime" / "globs2").read_text()
    assert "xor-lab" not in (home / "applications" / "mimeinfo.cache").read_text()


def test_the_magic_matches_a_saved_session(tmp_path):
    """The MIME magic relies on session files starting with their manifest."""
    session = TrainingSession(PRESETS["tutorial"])
    session.save(tmp_path / "run.xorlab")
    data = (tmp_path / "run.xorlab").read_bytes()
    root = ElementTree.fromstring(desktop_entry.MIME_XML)
    matches = root.findall(".//m:match", MIME_NS)
    assert len(matches) == 2
    for match in matches:
        value = match.get("value").encode("latin-1").decode("unicode_escape").encode("latin-1")
        offset = int(match.get("offset"))
        assert data[offset:offset + len(value)] == value, match.attrib


def test_the_data_folder_follows_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert desktop_entry.data_home() == tmp_path
    monkeypatch.setenv("HOME", str(tmp_path / "ann"))
    for ignored in ("", "relative/share"):  # the XDG spec: unset, empty or relative
        monkeypatch.setenv("XDG_DATA_HOME", ignored)
        assert desktop_entry.data_home() == tmp_path / "ann" / ".local" / "share"


def test_the_icons_are_those_of_the_window():
    assert desktop_entry.ICONS == about.ICONS
    assert desktop_entry.ICON_SIZES == about.ICON_SIZES


def test_the_module_needs_no_qt():
    code = ("import sys, gui.desktop_entry; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'PySide6', 'shiboken6', 'pyqtgraph'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout == "[]\n"


def test_main_installs_and_uninstalls_without_a_qapplication(home, monkeypatch, capsys):
    def no_application(*args):
        raise AssertionError("a desktop entry option created a QApplication")

    monkeypatch.setattr(gui_app, "QApplication", no_application)
    assert gui_app.main(["--install-desktop-entry"]) == 0
    assert all(path.is_file() for path in _installed(home))
    assert gui_app.main(["--uninstall-desktop-entry"]) == 0
    assert not any(path.exists() for path in _installed(home))
    (home / "applications").rmdir()
    (home / "applications").write_text("in the way")
    assert gui_app.main(["--install-desktop-entry"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("args", [["--install-desktop-entry", "--uninstall-desktop-entry"],
                                  ["--install-desktop-entry", "run.xorlab"]])
def test_the_desktop_entry_options_take_nothing_else(args, capsys):
    with pytest.raises(SystemExit) as stop:
        gui_app.parse_args(args)
    assert stop.value.code == 2


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
