"""`main.py sweep`: many seeds of one configuration, for up to two varied settings, on
every core (engine.sweep) or a Dask cluster (engine.sweep_cluster); summed up, as JSON, or
one CSV row per run. Its configuration flags, number reading and one-line errors are
train's (engine.cli)."""

import argparse
import json
import sys
import time

from engine.cli import (
    EXIT_FAILED,
    EXIT_USAGE,
    UsageError,
    _add_config_flags,
    _Parser,
    _reader,
    _with_flags,
    interrupted,
    print_output,
    sigterm_stops,
)
from engine.config import FIELD_SPECS, PRESETS, ConfigError, TrainingConfig, parse_number
from engine.files import FileError, check_suffix, writable_target, write_text_atomic
from engine.sweep import (
    NOT_VARIED,
    Sweep,
    csv_text,
    json_rows,
    run_sweep,
    seeds_from,
    setting_text,
    summarize,
)
from engine.sweep_cluster import ClusterError, scheduler_address

PROG = "main.py sweep"


def build_sweep_parser(prog: str = PROG) -> argparse.ArgumentParser:
    # no abbreviations: --seed must not be taken for --seeds
    parser = _Parser(prog=prog, allow_abbrev=False, description=(
        "Train many seeds of one configuration, for up to two varied settings, on every "
        "core, and sum up how often and how fast they converge."))
    _add_config_flags(parser, skip=NOT_VARIED)
    parser.add_argument("--seeds", required=True, metavar="N",
                        help="How many seeds to train (1 to 100,000).")
    parser.add_argument("--first-seed", default="0", metavar="S",
                        help="The first seed; the others follow it (default 0).")
    parser.add_argument("--budget", metavar="M",
                        help="Each run stops after M updates unless it stops sooner, as train "
                             "with --max-iterations M (default: the configuration's limit).")
    parser.add_argument("--vary", action="append", default=[], metavar="FIELD=V1,V2,…",
                        help="Run the sweep for each of these values of a setting (at most "
                             "two --vary); separate the values by ';' when one holds a comma, "
                             "e.g. --vary lr='0,5;2' or --vary hidden='2;4,3'.")
    parser.add_argument("--scheduler", type=_address, metavar="tcp://HOST:PORT",
                        help="Run the sweep on the Dask cluster with this scheduler (`dask "
                             "scheduler` prints its address; needs xor-lab[cluster] here "
                             "and on every worker). Default: every core of this computer.")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="Print one JSON object.")
    output.add_argument("--csv", metavar="PATH.csv", help="Write one row per run here.")
    return parser


def _address(text: str) -> str:
    try:
        return scheduler_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


_address.__name__ = "scheduler address"  # what argparse's own messages call the value


#: A setting's names as --vary takes them: the field ("learning_rate") or its flag ("lr").
_VARY_NAMES = {**{spec.flag[2:]: spec for spec in FIELD_SPECS.values()}, **FIELD_SPECS}


def _varied(texts, changes) -> tuple:
    """((field, values), …) from the --vary texts; the values read as their flags read."""
    varied = []
    for text in texts:
        name, equals, values = text.partition("=")
        spec = _VARY_NAMES.get(name.strip())
        if not equals:
            raise UsageError(f"argument --vary: write FIELD=V1,V2,… (got {text!r})")
        if spec is None or spec.name in NOT_VARIED:
            fields = sorted(set(FIELD_SPECS) - set(NOT_VARIED))
            raise UsageError(f"argument --vary: {name!r} is not a setting a sweep varies "
                             f"(one of {', '.join(fields)}; the seeds and the budget have "
                             "their own flags)")
        if spec.name in changes:
            raise UsageError(f"argument --vary: {spec.name} is already set by {spec.flag}")
        parts = values.split(";" if ";" in values else ",")
        if not all(part.strip() for part in parts):
            raise UsageError(f"argument --vary: {spec.name} has an empty value in {values!r}")
        try:
            varied.append((spec.name, tuple(_reader(spec)(part.strip()) if spec.choices is None
                                            else part.strip() for part in parts)))
        except argparse.ArgumentTypeError as error:
            raise UsageError(f"argument --vary: {spec.name}: {error}") from None
    return tuple(varied)


def _sweep_from(args) -> Sweep:
    config, changes = _with_flags(PRESETS[args.preset] if args.preset else TrainingConfig(),
                                  args)
    flags = {"seeds": "--seeds", "seed": "--first-seed", "max_iterations": "--budget"}
    try:
        count = parse_number("seeds", args.seeds, int)
        first = parse_number("seed", args.first_seed, int)
        budget = (parse_number("max_iterations", args.budget, int)
                  if args.budget is not None else config.max_iterations)
        return Sweep(config, seeds_from(first, count), budget, _varied(args.vary, changes))
    except ConfigError as error:  # any other field is a varied one's value
        flag = flags.get(error.field, "--vary")
        reason = error.reason if flag != "--vary" or error.field == "vary" else str(error)
        raise UsageError(f"argument {flag}: {reason}") from None


def _sweep_text(sweep, result, summary) -> str:
    def line(stats):
        if not stats["runs"]:
            return "no runs"
        median = stats["median_iterations_converged"]
        return (f"{stats['converged']:,} of {stats['runs']:,} converged "
                f"({stats['converged_fraction']:.1%})" +
                (f", median {median:,.0f} updates" if median is not None else ""))

    lines = [f"sweep       {sweep.runs:,} runs, seeds {sweep.seeds[0]}–{sweep.seeds[-1]}, "
             f"budget {sweep.budget:,} updates, {result.seconds:.1f} s",
             f"all         {line(summary)}"]
    for group in summary.get("by_setting", []):
        settings = ", ".join(f"{name} {setting_text(group[name])}"
                             for name in sweep.varied_names)
        lines.append(f"  {settings}: {line(group)}")
    return "\n".join(lines)


def _progress_printer(start):
    """Prints 'done/total runs, ETA' over one line of stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done, total):
        spent = time.perf_counter() - start
        eta = spent * (total - done) / done if done else float("nan")
        end = "\n" if done == total else ""
        print(f"\r{done:,}/{total:,} runs, ETA {eta:.0f} s  ", end=end, file=sys.stderr,
              flush=True)

    return show


def sweep_main(argv=None, prog: str = PROG) -> int:
    """Run ``main.py sweep`` with ``argv``: bad flags exit 2 with one line, before any
    training; Ctrl-C exits 130, SIGTERM 143; an output or --csv not written, 1."""
    with sigterm_stops():
        try:
            return _sweep_main(argv, prog)
        except KeyboardInterrupt as stop:
            return interrupted(prog, stop)


def _sweep_main(argv, prog) -> int:
    try:
        args = build_sweep_parser(prog).parse_args(argv)
        sweep = _sweep_from(args)
        # "is not None": an empty name is refused, not taken for no flag.
        if args.csv is not None:
            check_suffix(args.csv, (".csv",), "a sweep table")
            writable_target(args.csv)
    except FileError as error:
        print(f"{prog}: error: argument --csv: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = run_sweep(sweep, progress=_progress_printer(time.perf_counter()),
                           scheduler=args.scheduler)
    except ClusterError as error:
        print(f"{prog}: error: argument --scheduler: {error}", file=sys.stderr)
        return EXIT_USAGE
    summary = summarize(result.runs, sweep.varied_names)
    if args.json:
        printed = print_output(prog, json.dumps({"results": json_rows(result.runs),
                                                 "summary": summary,
                                                 "seconds": result.seconds}))
        return 0 if printed else EXIT_FAILED
    # The table is written even when the summary cannot be printed (`| head` has gone).
    printed = print_output(prog, _sweep_text(sweep, result, summary))
    if args.csv is not None:
        try:
            write_text_atomic(args.csv, csv_text(result.runs, sweep.varied_names))
        except FileError as error:  # names the path and the reason (an OSError's too)
            print(f"{prog}: error: {error}", file=sys.stderr)
            return EXIT_FAILED
    return 0 if printed else EXIT_FAILED
