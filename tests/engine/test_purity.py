"""The engine runs without Qt: importing it loads none, and a session trains without it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> str:
    """stdout of ``code`` in a new interpreter, from the project's root."""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_importing_the_engine_loads_no_qt():
    code = (
        "import sys, engine, engine.cli, engine.grid, engine.session, engine.weights_file\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    assert run_python(code) == ""


def test_a_session_trains_and_draws_frames_with_qt_absent():
    code = (
        "import sys\n"
        "for name in ('PySide6', 'shiboken6', 'pyqtgraph'):\n"
        "    sys.modules[name] = None  # any import of them now fails\n"
        "from engine.config import PRESETS\n"
        "from engine.session import TrainingSession\n"
        "session = TrainingSession(PRESETS['tutorial'])\n"
        "session.step(100)\n"
        "print(session.frame().snapshot.iteration)\n"
    )
    assert run_python(code) == "100"
