"""Render XOR Lab's icon to the PNG sizes in resources/icons (xor-lab-<size>.png).

    QT_QPA_PLATFORM=offscreen python tools/render_icons.py

xor-lab.svg is the icon; 16 px is drawn from xor-lab-small.svg, the same icon on whole
pixels with fewer strokes (the full drawing blurs at that size). Run it again after editing
either SVG.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gui.icon_files import ICON_SIZES, ICONS  # noqa: E402

#: Sizes up to this one are drawn from the small SVG.
SMALL = 16


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn into a transparent ``size``×``size`` image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    for size in ICON_SIZES:
        path = ICONS / f"xor-lab-{size}.png"
        svg = ICONS / ("xor-lab-small.svg" if size <= SMALL else "xor-lab.svg")
        if not render(svg, size).save(str(path)):
            raise OSError(f"could not write {path}")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
