"""``main.py render SESSION --out PATH``: a saved session's window or one panel as PNG, SVG or
PDF, without a display (Qt runs offscreen)."""

import argparse
import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from engine.files import check_suffix, writable_target, write_bytes_atomic
from engine.session_file import load_session
from gui.app import style_application
from gui.figures import FORMATS, check_scale, figure_bytes
from gui.file_menu import FIGURES

EXIT_USAGE = 2
#: The window's size when rendered: the size it opens at.
WINDOW_SIZE = (1600, 1000)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ValueError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py render",
                     description="Render a saved session (.xorlab) as a figure, headless.")
    parser.add_argument("session", help="the .xorlab session file")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="the figure to write: .png, .svg or .pdf")
    parser.add_argument("--panel", choices=tuple(FIGURES), default="window",
                        help="one panel, or the whole window (default)")
    parser.add_argument("--scale", type=float, default=2.0,
                        help="PNG pixels per screen pixel (default 2, for slides)")
    return parser


def render_saved(saved, path, panel: str = "window", scale: float = 2.0):
    """Write the window showing ``saved`` (or one of its panels) to ``path``."""
    from gui.main_window import MainWindow  # pyqtgraph and the panels: only when rendering

    suffix = check_suffix(path, FORMATS, "a figure")
    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never on a screen, and no display needed
        app = QApplication([sys.argv[0]])
        style_application(app)
    window = MainWindow(saved=saved, train=False)  # nothing to train: no kernel to load
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*WINDOW_SIZE)
        window.show()
        app.processEvents()  # lays the window out, so that every axis knows its size
        data = figure_bytes(window.figure_widget(panel), suffix, scale)
    finally:
        window.close()
    write_bytes_atomic(path, data)


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        check_suffix(args.out, FORMATS, "a figure")
        check_scale(args.scale)
        writable_target(args.out)
        saved = load_session(args.session)
    except ValueError as error:  # FileError and SessionFileError included
        print(f"main.py render: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        render_saved(saved, args.out, args.panel, args.scale)
    except ValueError as error:
        print(f"main.py render: error: {error}", file=sys.stderr)
        return 1
    print(f"{args.out}: {args.panel}, iteration {saved.state.iteration:,}")
    return 0
