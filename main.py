"""XOR Lab: with no arguments (or a file to open) the window; `main.py train …` trains
headless; `main.py render SESSION --out PATH` draws a saved session without a display."""

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


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "train":
        return train(args[1:])
    if args and args[0] == "render":
        from gui.render_cli import main as render_main

        return render_main(args[1:])
    from gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
