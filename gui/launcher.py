"""XOR Lab's commands: ``xor-lab`` (the window, or ``train …`` / ``sweep …`` / ``render …``) and
``xor-lab-train``. The installed scripts, the repository's main.py and the packaged app all
start here, so that the wheel needs no top-level module of its own."""

import sys

#: engine/cli.py's exit statuses, which a Ctrl-C may stop from loading.
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _render_figure(path, saved):
    """``train --export-figure``: the engine has no Qt, so the window is rendered here."""
    from gui.render_cli import render_saved

    render_saved(saved, path)


def command_line(prog: str, run) -> int:
    """``run()``'s exit status, for a command that must end in one line, never a traceback.

    The commands handle what needs a status or a line of their own (bad flags, Ctrl-C in
    training, SIGTERM, a closed stdout); this catches what comes outside them: Ctrl-C while
    numpy, numba or Qt load; a failed write of what is still buffered for stdout (flushed
    here, where it can be caught, rather than at exit); and errors only damaged input can
    cause, should a reader let one through.
    """
    # engine.cli loads numpy: imported where needed, after any Ctrl-C during loading
    try:
        status = run()
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # not a file's (those are FileErrors): stdout's, or the system's
        from engine.cli import EXIT_FAILED, output_failed
        from engine.files import os_reason

        if isinstance(error, BrokenPipeError):  # a print to a reader that went away
            return output_failed(prog, error)
        print(f"{prog}: error: {os_reason(error)}", file=sys.stderr)
        return EXIT_FAILED
    except (OverflowError, RecursionError) as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        sys.stdout.flush()
    except OSError as error:
        from engine.cli import output_failed

        return output_failed(prog, error)
    return status


def train(argv=None) -> int:
    """``main.py train …`` (and the installed ``xor-lab-train``, which calls this with no
    arguments, so that --help and errors name the command the user typed)."""
    installed = argv is None and sys.argv[0].endswith("xor-lab-train")
    prog = "xor-lab-train" if installed else "main.py train"  # engine.cli.PROG

    def run():
        from engine.cli import main as train_main

        return train_main(argv, render_figure=_render_figure, prog=prog)

    return command_line(prog, run)


def _sweep(args) -> int:
    from engine.sweep_cli import sweep_main

    return sweep_main(args)


def _render(args) -> int:
    from gui.render_cli import main as render_main

    return render_main(args)


#: engine/compiled.py compiles the numba kernel in a child: ``sys.executable -m
#: engine.compiled CONFIG``.
COMPILE_CHILD = ["-m", "engine.compiled"]


def _compile_child(config_json: str) -> int:
    """The packaged app's stand-in for ``python -m engine.compiled CONFIG``: its
    sys.executable is this program, not a Python that takes -m."""
    import runpy

    sys.argv = [sys.argv[0], config_json]
    runpy.run_module("engine.compiled", run_name="__main__", alter_sys=True)
    return 0


def main(argv=None) -> int:
    """``xor-lab [train|sweep|render] …``: the first argument picks the command; anything else
    opens the window. In the packaged app, also the kernel's compile child."""
    args = sys.argv[1:] if argv is None else argv
    if getattr(sys, "frozen", False) and args[:2] == COMPILE_CHILD and len(args) == 3:
        return _compile_child(args[2])
    if getattr(sys, "frozen", False):
        import multiprocessing

        # a sweep's worker process (started by "spawn"): it runs its chunks and exits here
        multiprocessing.freeze_support()
    if args and args[0] == "train":
        return train(args[1:])
    if args and args[0] == "sweep":
        return command_line("main.py sweep", lambda: _sweep(args[1:]))
    if args and args[0] == "render":
        return command_line("main.py render", lambda: _render(args[1:]))
    from gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":  # python -m gui.launcher (gui/desktop_entry.py's last resort)
    sys.exit(main())
