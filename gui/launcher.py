"""XOR Lab's commands: ``xor-lab`` (the window, or ``train …`` / ``sweep …`` / ``render …``) and
``xor-lab-train``. The installed scripts, the repository's main.py and the packaged app all
start here, so that the wheel needs no top-level module of its own."""

import sys


def _render_figure(path, saved):
    """``train --export-figure``: the engine has no Qt, so the window is rendered here."""
    from gui.render_cli import render_saved

    render_saved(saved, path)


def train(argv=None) -> int:
    """``main.py train …`` (and the installed ``xor-lab-train``, which calls this with no
    arguments, so that --help and errors name the command the user typed)."""
    from engine.cli import PROG
    from engine.cli import main as train_main

    installed = argv is None and sys.argv[0].endswith("xor-lab-train")
    return train_main(argv, render_figure=_render_figure,
                      prog="xor-lab-train" if installed else PROG)


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
        from engine.sweep_cli import sweep_main

        return sweep_main(args[1:])
    if args and args[0] == "render":
        from gui.render_cli import main as render_main

        return render_main(args[1:])
    from gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":  # python -m gui.launcher (gui/desktop_entry.py's last resort)
    sys.exit(main())
