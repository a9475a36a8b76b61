"""`main.py train`: train headless and print the result (plain text or JSON). Its flags
and error handling serve `main.py sweep` too (engine.sweep_cli)."""

import argparse
import contextlib
import errno
import json
import os
import signal
import sys
import time

from engine import __version__
from engine.config import (
    FIELD_SPECS,
    PRESETS,
    RESTART_FIELDS,
    ConfigError,
    FieldSpec,
    TrainingConfig,
    parse_hidden,
    parse_number,
)
from engine.files import FileError, check_suffix, os_reason, writable_target
from engine.session_file import SESSION_SUFFIX, SavedSession, load_session, save_session
from engine.tables import write_history
from engine.trainer import Trainer
from engine.view_settings import ViewSettings
from engine.weights_file import layers_to_json, load_weights, save_weights

#: Exit statuses (README: "Exit statuses"): bad input before any training; a file (or the
#: output) not written after it; Ctrl-C; SIGTERM (128 + its number, as a shell reports a
#: process it killed).
EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM
#: How ``main.py train`` names itself; the installed ``xor-lab-train`` passes its own name.
PROG = "main.py train"
#: The flags that write a file, with the suffixes its name must end in and what it holds
#: (None: any name).
OUTPUTS = {
    "--save-weights": None,
    "--save-session": ((SESSION_SUFFIX,), "a session"),
    "--export-history": ((".csv",), "a history"),
    "--export-figure": ((".png", ".svg", ".pdf"), "a figure"),
}


class UsageError(Exception):
    """Bad command-line input: printed as one line, exit status 2."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is (``sigterm_stops``). A KeyboardInterrupt, so that
    whatever cleans up after a Ctrl-C (a sweep's worker pool, a kernel's compile child) cleans
    up after it too."""


def _terminate(signum, frame):
    raise Terminated


@contextlib.contextmanager
def sigterm_stops():
    """Within the block, SIGTERM raises Terminated in the main thread (whose handler is put
    back after it), so that ``kill`` ends a run with one line, as Ctrl-C does."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupted(prog: str, stop: KeyboardInterrupt, where: str = "") -> int:
    """One line for a Ctrl-C or a SIGTERM that stopped ``prog``; the status for each."""
    if isinstance(stop, Terminated):
        print(f"{prog}: terminated{where}", file=sys.stderr)
        return EXIT_TERMINATED
    print(f"{prog}: interrupted{where}", file=sys.stderr)
    return EXIT_INTERRUPTED


def output_failed(prog: str, error: OSError) -> int:
    """After a write to stdout failed: its reader went away (a closed pipe, ``| head``) or
    its disk is full. As Python's documentation advises for SIGPIPE, stdout is pointed at
    devnull, so that the flush at exit cannot fail again with a traceback. A closed pipe is
    not worth a line (the reader stopped reading on purpose); anything else is. Returns
    EXIT_FAILED."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout has no descriptor: it was replaced in-process
        pass
    if error.errno != errno.EPIPE:
        print(f"{prog}: error: cannot write the output: {os_reason(error)}", file=sys.stderr)
    return EXIT_FAILED


def print_output(prog: str, text: str) -> bool:
    """Print ``text`` on stdout now (not at exit); False, with ``output_failed``'s clean-up,
    when it cannot be written."""
    try:
        print(text, flush=True)
    except OSError as error:
        output_failed(prog, error)
        return False
    return True


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _reader(spec: FieldSpec):
    """The field's value from a flag's text, read as the window reads its field ("0,02" and
    "5,000,000" included); argparse names the flag when it cannot be read."""
    def read(text: str):
        try:
            if spec.kind is tuple:
                return parse_hidden(text)
            return parse_number(spec.name, text, spec.kind)
        except ConfigError as error:
            raise argparse.ArgumentTypeError(error.reason) from None

    read.__name__ = spec.name  # what argparse's own messages call the value
    return read


def _value_options(spec: FieldSpec) -> dict:
    """How argparse reads the value of a config field's flag."""
    if spec.choices is not None:
        return {"choices": spec.choices}
    return {"type": _reader(spec), "metavar": spec.name.upper()}


def _add_config_flags(parser, skip=()):
    """--preset and a flag for each config field (but those in ``skip``)."""
    parser.add_argument("--preset", choices=sorted(PRESETS),
                        help="Start from a named configuration (tutorial: the tutorial's run).")
    for spec in FIELD_SPECS.values():
        if spec.name in skip:
            continue
        # argparse expands %-formats in help; the specs' texts are plain prose.
        parser.add_argument(spec.flag, dest=spec.name, help=spec.help.replace("%", "%%"),
                            **_value_options(spec))


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description="Train a small network on a logic gate and print the result.",
    )
    parser.add_argument("--version", action="version", version=f"xor-lab-train {__version__}")
    _add_config_flags(parser)
    parser.add_argument("--save-weights", metavar="PATH", help="Write the trained weights here.")
    parser.add_argument("--save-session", metavar="PATH.xorlab",
                        help="Write the whole run (history included) as a session file that "
                             "--load-session or the window continues exactly.")
    parser.add_argument("--export-history", metavar="PATH.csv",
                        help="Write the recorded error, gradients and parameters as CSV.")
    parser.add_argument("--export-figure", metavar="PATH",
                        help="Draw the window's panels for the final state as a .png, .svg "
                             "or .pdf file.")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--load-weights", metavar="PATH",
                       help="Start from this weights file (and its configuration, unless a "
                            "preset or a flag overrides it).")
    start.add_argument("--load-session", metavar="PATH.xorlab",
                       help="Continue this session file where it stopped (its configuration, "
                            "unless a flag overrides it; --max-iterations counts every update "
                            "since iteration 0).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    return parser


def _with_flags(config, args) -> tuple[TrainingConfig, dict]:
    """``config`` with the config flags given applied, and those flags' values."""
    changes = {name: getattr(args, name, None) for name in FIELD_SPECS}
    changes = {name: value for name, value in changes.items() if value is not None}
    try:
        return config.replace(**changes), changes
    except ConfigError as error:
        raise UsageError(f"argument {FIELD_SPECS[error.field].flag}: {error.reason}") from None


def _config_from(args) -> tuple[TrainingConfig, list | None, SavedSession | None]:
    """The run's configuration, and where it starts: layers from a weights file, a saved
    session, or (both None) the seed."""
    layers = saved = None
    config = PRESETS[args.preset] if args.preset else TrainingConfig()
    # "is not None": an empty name is refused by the loader, not taken for no flag.
    if args.load_weights is not None:
        try:
            loaded_config, layers, _ = load_weights(args.load_weights)
        except FileError as error:
            raise UsageError(f"argument --load-weights: {error}") from None
        if not args.preset:
            config = loaded_config
    if args.load_session is not None:
        try:
            saved = load_session(args.load_session)
        except FileError as error:
            raise UsageError(f"argument --load-session: {error}") from None
        if not args.preset:
            config = saved.config
    config, changes = _with_flags(config, args)
    if layers is not None and tuple(w.shape[1] for w, _ in layers[:-1]) != config.hidden:
        raise UsageError(
            f"argument --load-weights: the file's network has hidden layers "
            f"{[w.shape[1] for w, _ in layers[:-1]]}, the configuration asks for "
            f"{list(config.hidden)}")
    if saved is not None and saved.config.needs_restart(config):
        name = next(name for name in RESTART_FIELDS
                    if getattr(config, name) != getattr(saved.config, name))
        flag = FIELD_SPECS[name].flag if name in changes else "--preset"
        raise UsageError(
            f"argument {flag}: a loaded session goes on with its own network, and changing "
            f"the {FIELD_SPECS[name].label.lower()} would need a new one (the session's is "
            f"{saved.config.to_dict()[name]})")
    return config, layers, saved


def _check_outputs(args, render_figure):
    """Refuse, before any training, a file name or a target that cannot be written."""
    if args.export_figure is not None and render_figure is None:
        raise UsageError("argument --export-figure: needs the GUI libraries: run it as "
                         "main.py train")
    for flag, naming in OUTPUTS.items():
        path = getattr(args, flag[2:].replace("-", "_"))
        if path is None:
            continue
        try:
            if naming:
                check_suffix(path, *naming)
            writable_target(path)
        except FileError as error:
            raise UsageError(f"argument {flag}: {error}") from None


def _write_outputs(args, config, trainer, view, render_figure, prog) -> bool:
    """Write every file asked for; print one line per failure. Returns whether all were
    written."""
    # The state copies the whole history: once, and only when a file needs it.
    saved = (SavedSession(config, view, trainer.state())
             if args.save_session or args.export_figure else None)
    writes = [
        (args.save_weights, lambda path: save_weights(path, config, trainer.layers,
                                                      trainer.iteration)),
        (args.save_session, lambda path: save_session(path, config, saved.state, view)),
        (args.export_history, lambda path: write_history(path, trainer)),
        (args.export_figure, lambda path: render_figure(path, saved)),
    ]
    written = True
    for path, write in writes:
        if path is None:
            continue
        try:
            write(path)
        except FileError as error:  # names the path already
            message = str(error)
        except (OSError, ValueError) as error:
            message = f"cannot write {path}: {getattr(error, 'strerror', None) or error}"
        else:
            continue
        print(f"{prog}: error: {message}", file=sys.stderr)
        written = False
    return written


def _report_text(config, trainer, seconds, load_seconds) -> str:
    lines = [
        f"status      {trainer.status.value}",
        f"iterations  {trainer.iteration:,}",
        f"error       {trainer.error:.6e}  (target {config.target_error:.0e}, {config.loss})",
        f"network     {config.gate}, hidden {list(config.hidden)}, {config.activation}, "
        f"lr {config.learning_rate:g}, seed {config.seed}, {config.bias_update} bias",
        f"time        {seconds:.3f} s (+ {load_seconds:.3f} s loading the kernel)",
        "",
        "  x1  x2  target  prediction",
    ]
    for (x1, x2), (target,), (prediction,) in zip(trainer.x, trainer.y, trainer.predictions):
        lines.append(f"  {x1:>2.0f}  {x2:>2.0f}  {target:>6.0f}  {prediction:.8f}")
    return "\n".join(lines)


def _report_json(config, trainer, seconds, load_seconds) -> str:
    return json.dumps({
        "status": trainer.status.value,
        "iterations": trainer.iteration,
        "error": trainer.error,
        "predictions": trainer.predictions.tolist(),
        "layers": layers_to_json(trainer.layers),
        "config": config.to_dict(),
        "train_seconds": seconds,
        "load_seconds": load_seconds,
    })


def main(argv=None, render_figure=None, prog: str = PROG) -> int:
    """Run ``main.py train`` with ``argv``. ``render_figure(path, saved_session)`` draws
    --export-figure's file: it needs Qt, which the engine never imports, so the caller that
    has the GUI passes it in. ``prog`` names the command in --help, usage and error lines.
    --help and --version print and exit with status 0, as argparse does. Exit statuses:
    EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_TERMINATED."""
    with sigterm_stops():
        try:
            args = build_parser(prog).parse_args(argv)
            config, layers, saved = _config_from(args)
            _check_outputs(args, render_figure)
            return _train(args, config, layers, saved, render_figure, prog)
        except UsageError as error:
            print(f"{prog}: error: {error}", file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt as stop:  # loading a file, or writing one after the run
            return interrupted(prog, stop)


def _train(args, config, layers, saved, render_figure, prog) -> int:
    """Train, print the report and write the files asked for; the exit status."""
    if saved is None:
        trainer, view = Trainer(config, layers=layers), ViewSettings()
    else:
        trainer, view = Trainer.restore(saved.config, saved.state), saved.view
        trainer.reconfigure(config)
    start = time.perf_counter()
    try:
        if not trainer.finished:  # the kernel loaded (or compiled) apart from the updates
            Trainer(config, history_capacity=4).step(1)
        loaded = time.perf_counter()
        trainer.run()
    except KeyboardInterrupt as stop:
        return interrupted(prog, stop, f" at iteration {trainer.iteration:,}")
    seconds = time.perf_counter() - loaded
    report = _report_json if args.json else _report_text
    # The files are written even when the report cannot be (`| head` has gone): the run is.
    printed = print_output(prog, report(config, trainer, seconds, loaded - start))
    written = _write_outputs(args, config, trainer, view, render_figure, prog)
    return 0 if written and printed else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
