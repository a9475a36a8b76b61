"""``xor-lab --smoke-test``: through main.py, when numba cannot compile, with a bad
--screenshot, and from the packaged app that packaging/build.sh builds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from engine import __version__
from engine.config import PRESETS
from gui import app as gui_app
from gui.render_cli import WINDOW_SIZE

ROOT = Path(__file__).resolve().parents[2]
OFFSCREEN = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
#: numba's "no locator" failure (see tests/engine/test_compiled.py), then the smoke test.
NUMBA_CANNOT_CACHE = """
import sys
import numba.core.caching as caching
def refuse(self, *args, **kwargs):
    raise RuntimeError('cannot cache function: no locator available for file')
caching.CacheImpl.__init__ = refuse
from gui.launcher import main
sys.exit(main(sys.argv[1:]))
"""


def run(command: list[str], cwd: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env or OFFSCREEN, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)


def assert_window_png(path: Path):
    """``path`` is a PNG of the whole window, drawn: a blank or unpainted window has a few
    colours; the plots, the heatmap and the text have thousands."""
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == WINDOW_SIZE
        colours = image.convert("RGB").getcolors(maxcolors=WINDOW_SIZE[0] * WINDOW_SIZE[1])
    assert len(colours) > 1000, len(colours)
    assert max(colours)[0] < 0.9 * WINDOW_SIZE[0] * WINDOW_SIZE[1]


def test_smoke_test_through_main_py_trains_and_writes_the_window(tmp_path):
    shot = tmp_path / "shot.png"
    result = run([sys.executable, str(ROOT / "main.py"), "--smoke-test", "--screenshot",
                  str(shot)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{shot}: the window after 1,000 updates, trained in ")
    assert result.stdout.rstrip().endswith("compiled")  # the loops setup compiled
    assert_window_png(shot)


def test_smoke_test_trains_in_numpy_when_numba_cannot_compile(tmp_path):
    shot = tmp_path / "shot.png"
    result = run([sys.executable, "-c", NUMBA_CANNOT_CACHE, "--smoke-test", "--screenshot",
                  str(shot)], ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("numpy"), result.stdout
    notices = [line for line in result.stderr.splitlines() if "compiled training" in line]
    assert len(notices) == 1 and "no locator" in notices[0] and "numpy" in notices[0]
    assert_window_png(shot)


@pytest.mark.parametrize(("name", "reason"), [
    ("missing/shot.png", "folder {folder}/missing does not exist"),
    ("shot.jpg", "a screenshot is saved as .png (not .jpg)"),
    ("folder.png", "it is a directory"),
])
def test_a_screenshot_that_cannot_be_written_stops_before_the_window(
        tmp_path, monkeypatch, capsys, name, reason):
    def no_application(*args):
        raise AssertionError("the smoke test opened a window for a bad --screenshot")

    monkeypatch.setattr(gui_app, "QApplication", no_application)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.png").mkdir()
    assert gui_app.main(["--smoke-test", "--screenshot", name]) == 2
    assert capsys.readouterr().err == (f"xor-lab --smoke-test: error: cannot write {name}: "
                                       f"{reason.format(folder=tmp_path.resolve())}\n")


@pytest.mark.parametrize("args", [["--screenshot", "a.png"], ["--smoke-test", "run.xorlab"],
                                  ["--smoke-test", "--install-desktop-entry"]])
def test_smoke_test_options_that_do_not_go_together_are_usage_errors(args, capsys):
    with pytest.raises(SystemExit) as stop:
        gui_app.parse_args(args)
    assert stop.value.code == 2
    assert "error:" in capsys.readouterr().err


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The one-folder app, built once for this module by packaging/build.sh."""
    folder = tmp_path_factory.mktemp("bundle")
    result = run(["bash", str(ROOT / "packaging" / "build.sh"), str(folder / "dist"),
                  str(folder / "work")], ROOT, env={**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "dist" / "xor-lab"


@pytest.mark.slow
def test_the_packaged_app_passes_its_smoke_test_and_trains_compiled(bundle, tmp_path):
    program = bundle / "xor-lab"
    internal = bundle / "_internal"
    assert (internal / "resources" / "icons" / "xor-lab.svg").is_file()
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    assert not (internal / "imageio_ffmpeg").exists()
    # The window compiles the kernel in a child, ``sys.executable -m engine.compiled
    # CONFIG``: here the program itself, into a cache folder of this test's own.
    env = {**OFFSCREEN, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    config = json.dumps(PRESETS["tutorial"].to_dict())
    child = run([str(program), "-m", "engine.compiled", config], tmp_path, env)
    assert child.returncode == 0, child.stderr
    assert list((tmp_path / "numba").rglob("*.nbi"))
    shot = tmp_path / "shot.png"
    result = run([str(program), "--smoke-test", "--screenshot", str(shot)], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("compiled"), result.stdout + result.stderr
    assert_window_png(shot)
    # numba cached beside nothing but the folder it was given (not the working folder).
    assert sorted(path.name for path in tmp_path.iterdir()) == ["numba", "shot.png"]
    version = run([str(program), "--version"], tmp_path, env)
    assert version.stdout == f"xor-lab {__version__}\n", version.stderr
    train = run([str(program), "train", "--max-iterations", "1000"], tmp_path, env)
    assert train.returncode == 0 and "iterations  1,000" in train.stdout, train.stderr
    # a sweep's worker processes load both compiled loops, the vector lanes' among them
    sweep = run([str(program), "sweep", "--seeds", "20", "--budget", "3000", "--json"],
                tmp_path, env)
    assert sweep.returncode == 0, sweep.stderr
    assert len(json.loads(sweep.stdout)["results"]) == 20
    assert "unavailable" not in sweep.stderr, sweep.stderr


VIEW_CANNOT_DRAW = """
import sys
import gui.truth_table as truth_table
def broken(self, frame):
    raise RuntimeError('the truth table cannot draw')
truth_table.TruthTable.show_frame = broken
from gui.launcher import main
sys.exit(main(sys.argv[1:]))
"""


def test_smoke_test_fails_when_a_view_cannot_draw(tmp_path):
    """A view that raises while drawing is a failed smoke test, not a pass with a status
    bar message nobody reads."""
    result = run([sys.executable, "-c", VIEW_CANNOT_DRAW, "--smoke-test", "--screenshot",
                  str(tmp_path / "shot.png")], ROOT)
    assert result.returncode == 1
    assert "failed: training or drawing failed: the truth table cannot draw" in result.stderr
    assert not (tmp_path / "shot.png").exists()
