"""tools/setup.sh's choice of system packages, sourced with fake dpkg-query and apt-cache on
PATH: nothing is installed and nothing touches the network."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP = ROOT / "tools" / "setup.sh"

# Both read the package name from their last argument, as setup.sh passes it.
FAKE_DPKG_QUERY = """#!/bin/sh
for name; do :; done
case " $FAKE_INSTALLED " in
  *" $name "*) printf 'install ok installed' ;;
  *) echo "dpkg-query: no packages found matching $name" >&2; exit 1 ;;
esac
"""
FAKE_APT_CACHE = """#!/bin/sh
for name; do :; done
case " $FAKE_AVAILABLE " in
  *" $name "*) printf '%s:\\n  Installed: (none)\\n  Candidate: 1.0\\n' "$name"; exit 0 ;;
esac
case " $FAKE_VIRTUAL " in
  *" $name "*) printf '%s:\\n  Installed: (none)\\n  Candidate: (none)\\n' "$name" ;;
esac
"""


@pytest.fixture
def setup_sh(tmp_path):
    """Runs shell code after sourcing setup.sh, with the fakes first on PATH."""
    for name, text in (("dpkg-query", FAKE_DPKG_QUERY), ("apt-cache", FAKE_APT_CACHE)):
        (tmp_path / name).write_text(text)
        (tmp_path / name).chmod(0o755)

    def run(code, installed=(), available=(), virtual=()):
        env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}",
               "PYTHON": sys.executable, "FAKE_INSTALLED": " ".join(installed),
               "FAKE_AVAILABLE": " ".join(available), "FAKE_VIRTUAL": " ".join(virtual)}
        result = subprocess.run(["bash", "-c", f'source "$1"; {code}', "bash", str(SETUP)],
                                capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    return run


def test_setup_script_parses():
    subprocess.run(["bash", "-n", str(SETUP)], check=True)


def test_a_package_installed_under_its_t64_name_is_not_missing(setup_sh):
    wanted = setup_sh("echo $QT_PACKAGES")
    assert "libglib2.0-0" in wanted
    renamed = [name + "t64" if name == "libglib2.0-0" else name for name in wanted]
    assert setup_sh("missing_packages", installed=renamed) == []
    assert setup_sh("missing_packages", installed=wanted) == []
    missing = setup_sh("missing_packages", installed=wanted[2:])
    assert missing == wanted[:2]


@pytest.mark.parametrize("available, virtual, name", [
    (["libglib2.0-0t64"], ["libglib2.0-0"], "libglib2.0-0t64"),  # Debian 13, Ubuntu 24.04
    (["libglib2.0-0"], [], "libglib2.0-0"),  # Debian 12, Ubuntu 22.04
    ([], [], "libglib2.0-0"),  # apt knows nothing yet: the name as written
])
def test_apt_name_is_the_one_apt_can_install(setup_sh, available, virtual, name):
    assert setup_sh("apt_name libglib2.0-0", available=available, virtual=virtual) == [name]


def test_apt_names_renames_only_what_was_renamed(setup_sh):
    names = setup_sh('apt_names "libglib2.0-0 libxcb-cursor0"',
                     available=["libglib2.0-0t64", "libxcb-cursor0"], virtual=["libglib2.0-0"])
    assert names == ["libglib2.0-0t64", "libxcb-cursor0"]


def test_the_venv_package_is_named_for_the_python_used(setup_sh):
    assert setup_sh("venv_package") == [f"python3.{sys.version_info.minor}-venv"]
