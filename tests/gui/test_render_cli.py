"""``main.py render`` and ``main.py train --export-figure``: figures without a display."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
import zipfile
from functools import partial
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

import main
from engine.config import PRESETS
from engine.session import TrainingSession
from engine.session_file import load_session
from gui import render_cli
from gui.app import style_application
from gui.main_window import MainWindow
from gui.render_cli import WINDOW_SIZE

ROOT = Path(__file__).resolve().parents[2]


def saved_session(tmp_path, updates=2000) -> Path:
    session = TrainingSession(PRESETS["tutorial"])
    session.step(updates)
    path = tmp_path / "run.xorlab"
    session.save(path)
    return path


def test_render_writes_one_panel_at_the_chosen_scale(qtbot, qapp, tmp_path, capsys,
                                                     request):
    # styled as `main.py render` styles the application it starts (an unstyled one lays out
    # its first window with the default font's metrics)
    request.addfinalizer(partial(qapp.setFont, qapp.font()))
    style_application(qapp)
    session = saved_session(tmp_path)
    out = tmp_path / "decision.png"
    assert render_cli.main([str(session), "--out", str(out), "--panel", "decision",
                            "--scale", "1.5"]) == 0
    assert "iteration 2,000" in capsys.readouterr().out
    # The panel as it is in a window of that size, one and a half times as large.
    window = MainWindow(saved=load_session(session), train=False)
    qtbot.addWidget(window)
    window.resize(*WINDOW_SIZE)
    window.show()
    QApplication.processEvents()
    plot = window.figure_widget("decision")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (round(plot.width() * 1.5),
                                               round(plot.height() * 1.5))
    assert window.latest_snapshot().iteration == 2000


def test_render_refuses_bad_input_with_one_line(qapp, tmp_path, capsys):
    session = saved_session(tmp_path)
    assert render_cli.main([str(session), "--out", str(tmp_path / "x.jpg")]) == 2
    assert render_cli.main([str(tmp_path / "nope.xorlab"), "--out", str(tmp_path / "x.png")]) == 2
    (tmp_path / "folder.png").mkdir()
    assert render_cli.main([str(session), "--out", str(tmp_path / "folder.png"),
                            "--panel", "error"]) == 2
    assert render_cli.main([str(session), "--out", str(tmp_path / "x.png"),
                            "--panel", "weights"]) == 2
    assert render_cli.main([str(session), "--out", str(tmp_path / "x.png"),
                            "--scale", "100"]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 5 and all(line.startswith("main.py render: error: ") for line in errors)
    assert "scale must be from 0.25 to 8" in errors[4]
    assert not (tmp_path / "x.png").exists()
    assert ".png, .svg, .pdf" in errors[0] and "nope.xorlab" in errors[1]
    assert "is a directory" in errors[2] and "weights" in errors[3]


def test_train_exports_the_window_as_svg(qapp, tmp_path, capsys):
    out = tmp_path / "window.svg"
    assert main.main(["train", "--max-iterations", "500", "--export-figure", str(out)]) == 0
    root = ElementTree.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert "Decision regions" in "".join(root.itertext())


def test_render_needs_no_display(tmp_path):
    """A fresh process with neither DISPLAY nor QT_QPA_PLATFORM set."""
    session = saved_session(tmp_path)
    out = tmp_path / "window.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM",
                                                             "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "render", str(session),
                             "--out", str(out)], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_a_session_nested_beyond_recursion_is_one_line_and_exit_2(tmp_path, capsys):
    """Through the launcher, as `main.py render` runs it."""
    session = tmp_path / "deep.xorlab"
    with zipfile.ZipFile(session, "w") as archive:
        archive.writestr("manifest.json", "[" * 100_000)
    assert main.main(["render", str(session), "--out", str(tmp_path / "x.png")]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 1 and "nested too deep" in errors[0]


def test_a_closed_output_after_rendering_is_exit_1_without_a_line(tmp_path, monkeypatch):
    """`main.py render … | true`: the figure is written, the closing line goes nowhere."""
    session = saved_session(tmp_path, updates=10)
    out = tmp_path / "decision.png"

    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("builtins.print", closed)
    assert main.main(["render", str(session), "--out", str(out), "--panel", "decision"]) == 1
    assert out.exists()
