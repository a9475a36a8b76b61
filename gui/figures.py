"""Figures: a panel or the whole window as PNG (at a scale), SVG or PDF, in memory.

Every format goes through QWidget.render onto the format's own paint device, so what is
exported is exactly what is on screen (axis labels, legends, the colour bar) and SVG and PDF
stay vector: curves are paths, only the heatmap is an image. pyqtgraph's own SVG exporter
is not used: it breaks on PySide6 ≥ 6.11 (pyqtgraph issue 3485). Writing the bytes is the
engine's file layer's job, so that a write is atomic.
"""

from contextlib import contextmanager

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPoint, QRect, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

#: Suffix → what a file dialog calls it.
FORMATS = {
    ".png": "PNG image",
    ".svg": "SVG vector drawing",
    ".pdf": "PDF document",
}
#: PNG scale for slides: twice the on-screen size.
DEFAULT_SCALE = 2.0
SCALES = (0.25, 8.0)
#: Points per inch: SVG and PDF pages are as many points as the widget has pixels, so that
#: fonts keep their on-screen proportions.
POINTS_PER_INCH = 72


class FigureError(ValueError):
    """A figure cannot be made (unknown format, bad scale, widget not drawable)."""


def _paint(widget: QWidget, device):
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Unbound: pyqtgraph's views override render() with QGraphicsView's signature.
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()


@contextmanager
def _whole_curves(widget: QWidget):
    """Curves drawn as one path each while a vector file is made: for speed on screen,
    pyqtgraph draws a thick curve as hundreds of separate two-point lines, which an SVG or
    PDF would keep as hundreds of pieces."""
    views = [widget, *widget.findChildren(pg.GraphicsView)]
    curves = [item for view in views if isinstance(view, pg.GraphicsView)
              for item in view.scene().items() if isinstance(item, pg.PlotCurveItem)]
    modes = [curve.opts["segmentedLineMode"] for curve in curves]
    for curve in curves:
        curve.opts["segmentedLineMode"] = "off"
    try:
        yield
    finally:
        for curve, mode in zip(curves, modes):
            curve.opts["segmentedLineMode"] = mode


def check_scale(scale: float) -> float:
    """``scale`` if a PNG can be made at it, else FigureError naming the limits."""
    low, high = SCALES
    if not low <= scale <= high:
        raise FigureError(f"the scale must be from {low:g} to {high:g} (got {scale:g})")
    return scale


def render_image(widget: QWidget, scale: float = DEFAULT_SCALE) -> QImage:
    """The widget as an image ``scale`` times its on-screen size (redrawn, not resampled)."""
    check_scale(scale)
    size = widget.size()
    if size.isEmpty():
        raise FigureError("the panel has no size yet (is the window shown?)")
    image = QImage(round(size.width() * scale), round(size.height() * scale),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    _paint(widget, image)
    return image


def figure_bytes(widget: QWidget, suffix: str, scale: float = DEFAULT_SCALE) -> bytes:
    """The widget as a whole PNG, SVG or PDF file (``scale`` is for PNG only); check a
    path's suffix first with ``engine.files.check_suffix(path, FORMATS, "a figure")``."""
    return draw_figure(widget, suffix, scale)()


def draw_figure(widget: QWidget, suffix: str, scale: float = DEFAULT_SCALE):
    """Draw the widget now (in the GUI thread, as widgets must be) and return a call that
    makes the file's bytes, safe to run in another thread: compressing a 2× PNG of the
    window takes 0.4 s (1.5 s at 4×), six times as long as drawing it."""
    if suffix not in FORMATS:
        raise FigureError(f"no figure format {suffix!r}")
    if suffix == ".png":
        image = render_image(widget, scale)
        return lambda: _png_bytes(image)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if suffix == ".svg":
        width, height = widget.width(), widget.height()
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setResolution(POINTS_PER_INCH)
        generator.setSize(widget.size())
        generator.setViewBox(QRect(0, 0, width, height))
        generator.setTitle(widget.window().windowTitle() or "XOR Lab")
        with _whole_curves(widget):
            _paint(widget, generator)
    else:
        writer = QPdfWriter(buffer)
        writer.setResolution(POINTS_PER_INCH)
        writer.setPageSize(QPageSize(QSizeF(widget.width(), widget.height()),
                                     QPageSize.Unit.Point))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        writer.setTitle(widget.window().windowTitle() or "XOR Lab")
        with _whole_curves(widget):
            _paint(widget, writer)
        del writer  # finishes the document
    buffer.close()
    data = bytes(buffer.data())
    return lambda: data


def _png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # Qt lets go of the interpreter meanwhile
    buffer.close()
    return bytes(buffer.data())


def copy_image(widget: QWidget, scale: float = DEFAULT_SCALE):
    """Put the widget on the clipboard as an image, for pasting into slides."""
    QGuiApplication.clipboard().setImage(render_image(widget, scale))

