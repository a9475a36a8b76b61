"""`main.py train` as a user runs it: a separate process, its output and exit status."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.config import FIELD_SPECS

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL_PREDICTIONS = [0.01505756, 0.98652214, 0.98652109, 0.01448912]


def train(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "train", *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_tutorial_preset_json_reports_the_tutorials_run():
    result = train("--preset", "tutorial", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "converged"
    assert report["iterations"] == 390_111
    assert report["error"] < 1e-4
    assert [row[0] for row in report["predictions"]] == pytest.approx(TUTORIAL_PREDICTIONS,
                                                                      abs=1e-8)
    assert [len(layer["w"]) for layer in report["layers"]] == [2, 2]
    assert report["config"]["bias_update"] == "summed"
    assert report["train_seconds"] > 0


def test_plain_output_shows_status_iterations_error_and_the_table():
    result = train("--preset", "tutorial", "--max-iterations", "500")
    assert result.returncode == 0
    assert "max_iterations" in result.stdout
    assert "500" in result.stdout
    rows = [line.split() for line in result.stdout.splitlines()[-4:]]
    assert [row[:3] for row in rows] == [["0", "0", "0"], ["0", "1", "1"], ["1", "0", "1"],
                                         ["1", "1", "0"]]


def test_explicit_flags_override_the_preset():
    result = train("--preset", "tutorial", "--hidden", "4,3", "--lr", "0.5", "--gate", "and",
                   "--activation", "tanh", "--max-iterations", "20", "--json")
    config = json.loads(result.stdout)["config"]
    assert config["hidden"] == [4, 3] and config["learning_rate"] == 0.5
    assert config["gate"] == "and" and config["activation"] == "tanh"
    assert config["seed"] == 42 and config["bias_update"] == "summed"


@pytest.mark.parametrize("args, flag", [
    (["--lr", "-1"], "--lr"),
    (["--lr", "nan"], "--lr"),
    (["--hidden", "0"], "--hidden"),
    (["--hidden", "2,x"], "--hidden"),
    (["--activation", "softsign"], "--activation"),
    (["--seed", "-4"], "--seed"),
    (["--seed", "4294967296"], "--seed"),
    (["--hidden", "2,2,2,2,2"], "--hidden"),
    (["--target-error", "0"], "--target-error"),
    (["--max-iterations", "many"], "--max-iterations"),
    (["--load-weights", "no/such/file.json"], "--load-weights"),
    (["--save-weights", "no/such/folder/w.json"], "--save-weights"),
])
def test_bad_flags_exit_2_with_one_line_naming_the_flag(args, flag):
    result = train(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert flag in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_weights_saved_by_one_run_seed_the_next(tmp_path):
    path = tmp_path / "w.json"
    first = train("--preset", "tutorial", "--max-iterations", "300", "--save-weights",
                  str(path), "--json")
    assert first.returncode == 0, first.stderr
    resumed = train("--load-weights", str(path), "--max-iterations", "300", "--json")
    straight = train("--preset", "tutorial", "--max-iterations", "600", "--json")
    assert json.loads(resumed.stdout)["layers"] == json.loads(straight.stdout)["layers"]


def test_loaded_weights_must_fit_the_requested_shape(tmp_path):
    path = tmp_path / "w.json"
    train("--preset", "tutorial", "--max-iterations", "1", "--save-weights", str(path))
    result = train("--load-weights", str(path), "--hidden", "3")
    assert result.returncode == 2
    assert "--load-weights" in result.stderr and "[3]" in result.stderr


def test_help_lists_every_field_with_its_flag_and_help():
    result = train("--help")
    assert result.returncode == 0, result.stderr
    # argparse rewraps the text (and may break after a hyphen): compare without whitespace.
    text = "".join(result.stdout.split())
    for spec in FIELD_SPECS.values():
        assert spec.flag in result.stdout
        assert "".join(spec.help.split()) in text, spec.name
