"""`main.py train`: train headless and print the result (plain text or JSON)."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from engine.config import (
    FIELD_SPECS,
    PRESETS,
    ConfigError,
    FieldSpec,
    TrainingConfig,
    parse_hidden,
)
from engine.trainer import Trainer
from engine.weights_file import WeightsFileError, layers_to_json, load_weights, save_weights

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad command-line input: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _hidden_sizes(text: str) -> tuple[int, ...]:
    try:
        return parse_hidden(text)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(error.reason) from None


def _value_options(spec: FieldSpec) -> dict:
    """How argparse reads the value of a config field's flag."""
    if spec.choices is not None:
        return {"choices": spec.choices}
    kind = _hidden_sizes if spec.kind is tuple else spec.kind
    return {"type": kind, "metavar": spec.name.upper()}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py train",
        description="Train a small network on a logic gate and print the result.",
    )
    parser.add_argument("--preset", choices=sorted(PRESETS),
                        help="Start from a named configuration (tutorial: the tutorial's run).")
    for spec in FIELD_SPECS.values():
        # argparse expands %-formats in help; the specs' texts are plain prose.
        parser.add_argument(spec.flag, dest=spec.name, help=spec.help.replace("%", "%%"),
                            **_value_options(spec))
    parser.add_argument("--save-weights", metavar="PATH", help="Write the trained weights here.")
    parser.add_argument("--load-weights", metavar="PATH",
                        help="Start from this weights file (and its configuration, unless a "
                             "preset or a flag overrides it).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    return parser


def _config_from(args) -> tuple[TrainingConfig, list | None]:
    """The run's configuration and starting layers (None: drawn from the seed)."""
    layers = None
    config = PRESETS[args.preset] if args.preset else TrainingConfig()
    if args.load_weights:
        try:
            loaded_config, layers, _ = load_weights(args.load_weights)
        except WeightsFileError as error:
            raise UsageError(f"argument --load-weights: {error}") from None
        if not args.preset:
            config = loaded_config
    changes = {name: getattr(args, name) for name in FIELD_SPECS}
    changes = {name: value for name, value in changes.items() if value is not None}
    try:
        config = config.replace(**changes)
    except ConfigError as error:
        raise UsageError(f"argument {FIELD_SPECS[error.field].flag}: {error.reason}") from None
    if layers is not None and tuple(w.shape[1] for w, _ in layers[:-1]) != config.hidden:
        raise UsageError(
            f"argument --load-weights: the file's network has hidden layers "
            f"{[w.shape[1] for w, _ in layers[:-1]]}, the configuration asks for "
            f"{list(config.hidden)}")
    return config, layers


def _check_writable(path):
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise UsageError(f"argument --save-weights: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"argument --save-weights: folder {folder} is not writable")


def _report_text(config, trainer, seconds) -> str:
    lines = [
        f"status      {trainer.status.value}",
        f"iterations  {trainer.iteration:,}",
        f"error       {trainer.error:.6e}  (target {config.target_error:.0e}, {config.loss})",
        f"network     {config.gate}, hidden {list(config.hidden)}, {config.activation}, "
        f"lr {config.learning_rate:g}, seed {config.seed}, {config.bias_update} bias",
        f"time        {seconds:.3f} s",
        "",
        "  x1  x2  target  prediction",
    ]
    for (x1, x2), (target,), (prediction,) in zip(trainer.x, trainer.y, trainer.predictions):
        lines.append(f"  {x1:>2.0f}  {x2:>2.0f}  {target:>6.0f}  {prediction:.8f}")
    return "\n".join(lines)


def _report_json(config, trainer, seconds) -> str:
    return json.dumps({
        "status": trainer.status.value,
        "iterations": trainer.iteration,
        "error": trainer.error,
        "predictions": trainer.predictions.tolist(),
        "layers": layers_to_json(trainer.layers),
        "config": config.to_dict(),
        "train_seconds": seconds,
    })


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        config, layers = _config_from(args)
        if args.save_weights:
            _check_writable(args.save_weights)
    except UsageError as error:
        print(f"main.py train: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    trainer = Trainer(config, layers=layers)
    start = time.perf_counter()
    try:
        trainer.run()
    except KeyboardInterrupt:
        print(f"main.py train: interrupted at iteration {trainer.iteration:,}", file=sys.stderr)
        return EXIT_INTERRUPTED
    seconds = time.perf_counter() - start
    report = _report_json if args.json else _report_text
    print(report(config, trainer, seconds))
    if args.save_weights:
        try:
            save_weights(args.save_weights, config, trainer.layers, trainer.iteration)
        except OSError as error:
            print(f"main.py train: error: cannot write {args.save_weights}: "
                  f"{error.strerror or error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
