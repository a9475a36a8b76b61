"""What users install: the wheel (the packages and the icons, no top-level module, scripts
that point into the packages) and the desktop entry's command for an installed copy."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from engine import __version__
from gui import about, desktop_entry

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable  # before a test replaces it


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel pip builds from the checkout (offline: hatchling comes with the tests)."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([PYTHON, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(folder), str(ROOT)],
                   check=True, capture_output=True)
    (path,) = folder.glob("xor_lab-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_the_wheel_holds_the_packages_and_the_icons_only(wheel):
    names = wheel.namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"engine", "gui", "resources", f"xor_lab-{__version__}.dist-info"}
    assert "main.py" not in names
    assert "gui/launcher.py" in names and "engine/kernel.py" in names
    resources = {name for name in names if name.startswith("resources/")}
    assert all(name.startswith("resources/icons/") for name in resources), resources
    # Every file gui.about and gui.desktop_entry load, where they look (beside gui/).
    icons = {f"resources/icons/xor-lab-{size}.png" for size in about.ICON_SIZES}
    assert icons | {"resources/icons/xor-lab.svg"} <= resources
    assert about.ICON_SIZES == desktop_entry.ICON_SIZES


def test_the_scripts_point_into_the_packages(wheel):
    entry_points = wheel.read(f"xor_lab-{__version__}.dist-info/entry_points.txt").decode()
    assert "xor-lab-train = gui.launcher:train" in entry_points
    assert "xor-lab = gui.launcher:main" in entry_points


def test_an_installed_copy_without_scripts_beside_python_is_started_as_a_module(
        tmp_path, monkeypatch):
    """pip's --user or a system Python put the scripts elsewhere, and there is no main.py:
    the desktop entry runs the installed package, which starts like the script."""
    python = tmp_path / "bin" / "python3"
    python.parent.mkdir()
    python.write_text("")
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setattr(desktop_entry, "MAIN_PY", tmp_path / "site-packages" / "main.py")
    assert desktop_entry.launcher() == [str(python), "-m", "gui.launcher"]
    result = subprocess.run([PYTHON, "-m", "gui.launcher", "--version"], cwd=tmp_path,
                            capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"xor-lab {__version__}\n"
