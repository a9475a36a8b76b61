"""`main.py train` as a user runs it: a separate process, its output and exit status."""

import csv
import importlib.metadata
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine import __version__, cli, sweep_cli
from engine.config import FIELD_SPECS, PRESETS
from engine.layout import parameter_names
from engine.session_file import SavedSession, load_session, save_session
from engine.trainer import Trainer
from engine.view_settings import ViewSettings

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL_PREDICTIONS = [0.01505756, 0.98652214, 0.98652109, 0.01448912]


def train(*args, command="train"):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), command, *args],
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
    # the updates alone, the kernel's loading (or compiling) apart
    assert report["train_seconds"] > 0 and report["load_seconds"] > 0


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


def test_numbers_are_read_as_the_window_reads_them():
    """A decimal comma and grouped thousands, as a person types them in the side panel."""
    result = train("--lr", "0,5", "--max-iterations", "1,000", "--json")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)["config"]
    assert config["learning_rate"] == 0.5 and config["max_iterations"] == 1000


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
    (["--max-iterations", "4,2"], "--max-iterations"),
    (["--lr", "1,000"], "--lr"),
    (["--load-weights", "no/such/file.json"], "--load-weights"),
    (["--save-weights", "no/such/folder/w.json"], "--save-weights"),
    # 2**64: beyond numba's integers, and the documented bound
    (["--max-iterations", "18446744073709551616"], "--max-iterations"),
    (["--lr", "1e309"], "--lr"),
    (["--target-error", "2"], "--target-error"),
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


def test_version_is_engines_and_the_installed_packages():
    result = train("--version")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"xor-lab-train {__version__}\n"
    # pyproject.toml reads engine/__init__.py; a stale install means setup did not reinstall.
    assert importlib.metadata.version("xor-lab") == __version__


def test_help_and_errors_name_main_py_train():
    assert train("--help").stdout.startswith("usage: main.py train ")
    assert train("--lr", "-1").stderr.startswith("main.py train: error: argument --lr")


def test_the_installed_script_names_itself(capsys):
    for flag in ("--help", "--version"):
        with pytest.raises(SystemExit) as exited:
            cli.main([flag], prog="xor-lab-train")
        assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: xor-lab-train ")
    assert out.endswith(f"\nxor-lab-train {__version__}\n")
    assert cli.main(["--lr", "-1"], prog="xor-lab-train") == 2
    assert capsys.readouterr().err.startswith("xor-lab-train: error: argument --lr")


def test_xor_lab_train_as_installed_says_its_name():
    script = Path(sys.executable).with_name("xor-lab-train")
    if not script.exists():
        pytest.skip("xor-lab-train is not installed beside this Python")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: xor-lab-train ")


@pytest.fixture(scope="module")
def half_session(tmp_path_factory):
    """The tutorial after 20,000 updates, saved by `train --save-session`."""
    path = tmp_path_factory.mktemp("session") / "half.xorlab"
    result = train("--preset", "tutorial", "--max-iterations", "20000", "--save-session",
                   str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_a_loaded_session_goes_on_bit_for_bit(tmp_path, half_session, assert_same_state):
    resumed_path, straight_path = tmp_path / "resumed.xorlab", tmp_path / "straight.xorlab"
    resumed = train("--load-session", str(half_session), "--max-iterations", "40000",
                    "--save-session", str(resumed_path), "--json")
    straight = train("--preset", "tutorial", "--max-iterations", "40000", "--save-session",
                     str(straight_path), "--json")
    assert resumed.returncode == 0, resumed.stderr
    resumed_report, straight_report = json.loads(resumed.stdout), json.loads(straight.stdout)
    assert resumed_report["iterations"] == 40_000
    for key in ("status", "iterations", "error", "predictions", "layers", "config"):
        assert resumed_report[key] == straight_report[key], key
    assert_same_state(load_session(resumed_path).state, load_session(straight_path).state)


def test_a_loaded_session_keeps_its_view_settings(tmp_path):
    path = tmp_path / "viewed.xorlab"
    view = ViewSettings(speed=5.0, grid_every=7, smoothing=0.1, show_deltas=True)
    save_session(path, PRESETS["tutorial"], Trainer(PRESETS["tutorial"]).state(), view)
    again = tmp_path / "again.xorlab"
    result = train("--load-session", str(path), "--max-iterations", "10", "--save-session",
                   str(again))
    assert result.returncode == 0, result.stderr
    assert load_session(again).view == view


def test_export_history_writes_one_row_per_recorded_point(tmp_path):
    path = tmp_path / "history.csv"
    result = train("--preset", "tutorial", "--max-iterations", "5001", "--export-history",
                   str(path))
    assert result.returncode == 0, result.stderr
    with open(path, newline="") as stream:
        rows = list(csv.reader(stream))
    names = parameter_names((2, 2, 1))
    assert rows[0] == ["iteration", "error", *(f"dE/d{name}" for name in names), *names]
    # 0 … 4094 every 2 (the history halved once at 4,096), then 4,096 … 5,000, then 5,001
    assert [int(row[0]) for row in rows[1:]] == [*range(0, 5001, 4), 5001]


@pytest.mark.parametrize("args, flag, reason", [
    (["--export-figure", "fig.jpg"], "--export-figure",
     "cannot write fig.jpg: a figure is saved as .png, .svg, .pdf (not .jpg)"),
    (["--save-session", "run.json"], "--save-session", "a session is saved as .xorlab"),
    (["--export-history", "history"], "--export-history", "as .csv (the name has no suffix)"),
    (["--save-session", "{tmp}/folder.xorlab"], "--save-session", "is a directory"),
    (["--export-history", "{tmp}/no/such/h.csv"], "--export-history", "does not exist"),
    (["--save-weights", "{tmp}/folder.xorlab"], "--save-weights", "is a directory"),
    (["--load-session", "{session}", "--hidden", "3"], "--hidden", "would need a new"),
    (["--load-session", "{session}", "--seed", "1"], "--seed", "the session's is 42"),
    (["--load-session", "{session}", "--preset", "relu"], "--preset", "would need a new"),
    (["--load-session", "{session}", "--load-weights", "w.json"], "--load-weights",
     "not allowed with argument --load-session"),
    (["--load-session", "{tmp}/absent.xorlab"], "--load-session", "no such file"),
    # an empty name is refused, not taken for no flag
    (["--load-session", ""], "--load-session", "empty path"),
    (["--load-weights", ""], "--load-weights", "empty path"),
    (["--save-weights", ""], "--save-weights", "empty path"),
    (["--max-iterations", str(10**12 + 1)], "--max-iterations",
     "<= 1,000,000,000,000"),
    (["--load-weights", "{tmp}/deep.json"], "--load-weights", "nested too deep"),
    (["--load-weights", "{tmp}/huge.json"], "--load-weights", "too large for a weight"),
])
def test_bad_files_and_flags_exit_2_naming_the_flag(tmp_path, half_session, capsys, args, flag,
                                                    reason):
    (tmp_path / "folder.xorlab").mkdir()
    (tmp_path / "deep.json").write_text("[" * 100_000)
    (tmp_path / "huge.json").write_text(json.dumps({
        "format": "xor-lab-weights", "version": 1, "config": {},
        "layers": [{"w": [[10**400, 1], [1, 1]], "b": [[0, 0]]},
                   {"w": [[1], [1]], "b": [[0]]}]}))
    args = [arg.format(tmp=tmp_path, session=half_session) for arg in args]
    # in this process (the checks come before any training), with a renderer to pass to
    assert cli.main(args, render_figure=lambda *_: None) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert flag in lines[0] and reason in lines[0]
    assert out == ""


def test_export_figure_hands_the_final_state_to_the_renderer(tmp_path, capsys):
    calls = []
    path = tmp_path / "final.svg"
    code = cli.main(["--preset", "tutorial", "--max-iterations", "300", "--json",
                     "--export-figure", str(path)],
                    render_figure=lambda *call: calls.append(call))
    assert code == 0
    [(given, saved)] = calls
    assert given == str(path)
    assert isinstance(saved, SavedSession)
    assert saved.config == PRESETS["tutorial"].replace(max_iterations=300)
    assert saved.view == ViewSettings() and saved.state.iteration == 300
    assert json.loads(capsys.readouterr().out)["iterations"] == 300


def test_export_figure_without_the_gui_exits_2():
    result = subprocess.run([sys.executable, "-m", "engine.cli", "--export-figure", "x.png"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "--export-figure" in result.stderr and "GUI" in result.stderr


@pytest.mark.parametrize("failure, reason", [
    (OSError(28, "No space left on device"), "No space left on device"),
    (ValueError("the panel has no size yet"), "the panel has no size yet"),
])
def test_a_failed_write_after_training_reports_one_line_and_exits_1(tmp_path, capsys, failure,
                                                                    reason):
    path = tmp_path / "final.png"

    def render(*_):
        raise failure

    code = cli.main(["--preset", "tutorial", "--max-iterations", "10", "--export-history",
                     str(tmp_path / "h.csv"), "--export-figure", str(path)],
                    render_figure=render)
    out, err = capsys.readouterr()
    assert code == 1
    assert "status" in out  # the report came first
    assert err.strip().splitlines() == [f"main.py train: error: cannot write {path}: {reason}"]
    assert (tmp_path / "h.csv").exists()  # the other files are still written


def test_sweep_runs_equal_train_runs_with_the_budget_as_limit():
    result = train("--preset", "tutorial", "--seeds", "3", "--first-seed", "40", "--budget",
                   "12,000", "--vary", "lr=0,5;2", "--json", command="sweep")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress line when stderr is not a terminal
    report = json.loads(result.stdout)
    assert set(report) == {"results", "summary", "seconds"}
    rows = report["results"]
    assert [(row["learning_rate"], row["seed"]) for row in rows] == [
        (lr, seed) for lr in (0.5, 2.0) for seed in (40, 41, 42)]
    assert {row["status"] for row in rows} == {"converged", "max_iterations"}
    for row in rows:
        single = json.loads(train("--preset", "tutorial", "--seed", str(row["seed"]), "--lr",
                                  str(row["learning_rate"]), "--max-iterations", "12000",
                                  "--json").stdout)
        assert (row["iterations"], row["status"]) == (single["iterations"], single["status"])
        assert row["error"] == pytest.approx(single["error"], rel=1e-12)
    summary = report["summary"]
    assert summary["runs"] == 6
    assert summary["converged"] == sum(row["status"] == "converged" for row in rows)
    assert [group["learning_rate"] for group in summary["by_setting"]] == [0.5, 2.0]
    assert sum(group["runs"] for group in summary["by_setting"]) == 6


def test_sweep_csv_has_a_header_and_one_row_per_run(tmp_path, capsys):
    path = tmp_path / "sweep.csv"
    code = sweep_cli.sweep_main(["--seeds", "3", "--budget", "200", "--vary", "hidden=2,3",
                           "--vary", "gate=xor,and", "--csv", str(path)])
    assert code == 0, capsys.readouterr().err
    with open(path, newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["hidden", "gate", "seed", "status", "iterations", "error",
                       "prediction_00", "prediction_01", "prediction_10", "prediction_11"]
    assert [tuple(row[:3]) for row in rows[1:]] == [
        (hidden, gate, seed) for hidden in "23" for gate in ("xor", "and") for seed in "012"]
    assert all(row[3] in {"converged", "max_iterations"} for row in rows[1:])
    assert "12 runs" in capsys.readouterr().out  # the summary is printed as well


@pytest.mark.parametrize("args, flag, reason", [
    (["--seeds", "0"], "--seeds", "from 1 to 100,000"),
    (["--seeds", "-3"], "--seeds", "from 1 to 100,000"),
    (["--seeds", "100001"], "--seeds", "from 1 to 100,000"),
    (["--seeds", "abc"], "--seeds", "must be a number"),
    ([], "--seeds", "required"),
    (["--seeds", "2", "--budget", "0"], "--budget", ">= 1"),
    (["--seeds", "2", "--budget", "lots"], "--budget", "must be a number"),
    (["--seeds", "2", "--first-seed", "-1"], "--first-seed", "from 0 to"),
    (["--seeds", "2", "--vary", "speed=1,2"], "--vary", "'speed' is not a setting"),
    (["--seeds", "2", "--vary", "seed=1,2"], "--vary", "the seeds and the budget"),
    (["--seeds", "2", "--vary", "lr"], "--vary", "FIELD=V1,V2"),
    (["--seeds", "2", "--vary", "lr=0.5,x"], "--vary", "learning_rate: must be a number"),
    (["--seeds", "2", "--vary", "lr=0.5,-1"], "--vary", "learning_rate: must be a finite"),
    (["--seeds", "2", "--vary", "activation=relu,softsign"], "--vary", "must be one of"),
    (["--seeds", "2", "--vary", "lr=0.5,0.5"], "--vary", "different values"),
    (["--seeds", "2", "--vary", "lr=1", "--vary", "gate=and", "--vary", "loss=mse"],
     "--vary", "at most 2"),
    (["--seeds", "2", "--lr", "1", "--vary", "lr=1,2"], "--vary", "already set by --lr"),
    (["--seeds", "2", "--seed", "3"], "--seed", "unrecognized"),  # not taken for --seeds
    (["--seeds", "2", "--lr", "0"], "--lr", "> 0"),
    (["--seeds", "2", "--csv", "runs.txt"], "--csv", "saved as .csv"),
    (["--seeds", "2", "--csv", "{tmp}/no/such/runs.csv"], "--csv", "does not exist"),
    (["--seeds", "2", "--csv", "runs.csv", "--json"], "--json", "not allowed"),
    (["--seeds", "2", "--csv", ""], "--csv", "empty path"),
    (["--seeds", "2", "--budget", "18446744073709551616"], "--budget",
     "<= 1,000,000,000,000"),
    (["--seeds", "2", "--scheduler", "localhost"], "--scheduler", "tcp://HOST:PORT"),
    (["--seeds", "2", "--scheduler", "tcp://host:99999"], "--scheduler", "not a scheduler"),
])
def test_bad_sweep_flags_exit_2_with_one_line(tmp_path, capsys, args, flag, reason):
    args = [arg.format(tmp=tmp_path) for arg in args]
    assert sweep_cli.sweep_main(args) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("main.py sweep: error: ")
    assert flag in lines[0] and reason in lines[0]
    assert out == ""


def test_a_closed_pipe_ends_quietly_and_the_files_are_still_written(tmp_path):
    """`main.py train --json | head -c0`: the reader has gone before the report comes."""
    weights = tmp_path / "w.json"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "train", "--max-iterations", "100", "--json",
         "--save-weights", str(weights)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait() == 1
    assert err == ""
    assert weights.exists()


def test_a_full_disk_under_stdout_is_one_line_and_exit_1():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "train",
                                 "--max-iterations", "10"],
                                stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "main.py train: error: cannot write the output: no space left on device"]


def test_sigterm_in_training_stops_with_one_line_and_status_143(monkeypatch, capsys):
    before = signal.getsignal(signal.SIGTERM)

    def run(trainer):  # `kill PID` arriving mid-run
        signal.raise_signal(signal.SIGTERM)
        while True:
            trainer.step(1)

    monkeypatch.setattr(Trainer, "run", run)
    assert cli.main(["--max-iterations", "1000"]) == 143
    assert capsys.readouterr().err.splitlines() == ["main.py train: terminated at iteration 0"]
    assert signal.getsignal(signal.SIGTERM) is before  # only for the command's run


def test_ctrl_c_while_loading_is_one_line_and_status_130(tmp_path, monkeypatch, capsys):
    def load(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load_session", load)
    assert cli.main(["--load-session", str(tmp_path / "big.xorlab")]) == 130
    assert capsys.readouterr().err.splitlines() == ["main.py train: interrupted"]
