"""Which modules may import which, read from the sources with ``ast`` (no Qt needed).

Every ``import`` and ``from … import`` counts, inside functions too, so that a lazy import
cannot slip past. tests/engine/test_purity.py checks the same boundary at run time.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (folder or file, modules its files must not import, why)
RULES = [
    ("engine/", ("PySide6", "shiboken6", "pyqtgraph", "gui"),
     "the engine never imports Qt or the GUI"),
    *((views, ("gui.worker", "gui.main_window", "gui.controller"),
       "views and controls are fed plain values; only the controller talks to the worker")
      for views in ("gui/panels/", "gui/status.py", "gui/config_panel.py", "gui/controls.py",
                    "gui/theme.py", "gui/redraw.py", "gui/figures.py", "gui/recorder.py",
                    "gui/settings.py", "gui/about.py", "gui/shortcut_sheet.py",
                    "gui/desktop_entry.py")),
]


def _package(path: str) -> list[str]:
    """The package a source file's relative imports start from: gui/panels/x.py → gui.panels."""
    return path.removesuffix(".py").split("/")[:-1]


def imported_modules(source: str, path: str):
    """(line, candidates) for every name ``source`` imports, relative imports resolved.

    ``from a import b`` gives (a, a.b): b may be a module of package a or a name in module a.
    """
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, (alias.name,)
        elif isinstance(node, ast.ImportFrom):
            package = _package(path)
            parts = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                yield node.lineno, (module, f"{module}.{alias.name}".lstrip("."))


def _forbidden(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in forbidden)


def violations(source: str, path: str) -> list[str]:
    """'path:line: imports X (why)' for every import that ``path``'s folder forbids."""
    found = set()
    for folder, forbidden, why in RULES:
        if not path.startswith(folder):
            continue
        for line, candidates in imported_modules(source, path):
            bad = [module for module in candidates if _forbidden(module, forbidden)]
            if bad:
                found.add((line, bad[0], why))
    return [f"{path}:{line}: imports {module} ({why})" for line, module, why in sorted(found)]


def _sources(place: str) -> list[str]:
    """The source files of a folder, or the file itself."""
    found = [ROOT / place] if place.endswith(".py") else (ROOT / place).rglob("*.py")
    return sorted(p.relative_to(ROOT).as_posix() for p in found if p.is_file())


@pytest.mark.parametrize("folder", [folder for folder, _, _ in RULES])
def test_the_sources_follow_the_import_rules(folder):
    paths = _sources(folder)
    assert paths, f"no sources found under {folder}"
    found = [v for path in paths for v in violations((ROOT / path).read_text("utf-8"), path)]
    assert not found, "\n".join(found)


def test_the_checker_reports_a_lazy_qt_import_in_the_engine():
    source = "import numpy\n\ndef show():\n    from PySide6.QtWidgets import QLabel\n"
    assert violations(source, "engine/kernel.py") == [
        "engine/kernel.py:4: imports PySide6.QtWidgets (the engine never imports Qt or the GUI)",
    ]


def test_the_checker_reports_every_spelling_of_a_forbidden_import():
    source = (
        "import pyqtgraph as pg\n"
        "from gui import theme\n"
        "import gui.panels.common\n"
    )
    assert [v.split(" (")[0] for v in violations(source, "engine/plot.py")] == [
        "engine/plot.py:1: imports pyqtgraph",
        "engine/plot.py:2: imports gui",
        "engine/plot.py:3: imports gui.panels.common",
    ]
    panel = (
        "from gui import theme, worker\n"
        "from .. import main_window\n"
        "import gui.controller as controller\n"
        "from gui.panels.common import PanelWidget\n"
        "from . import common\n"
    )
    assert [v.split(" (")[0] for v in violations(panel, "gui/panels/x_panel.py")] == [
        "gui/panels/x_panel.py:1: imports gui.worker",
        "gui/panels/x_panel.py:2: imports gui.main_window",
        "gui/panels/x_panel.py:3: imports gui.controller",
    ]


def test_names_that_only_start_like_a_forbidden_module_are_allowed():
    source = "import guidance\nfrom engine.gui_text import LABELS\nimport numpy\n"
    assert violations(source, "engine/x.py") == []
    assert violations("from gui.workers_help import x\n", "gui/panels/x.py") == []
