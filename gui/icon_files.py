"""Where XOR Lab's icon files are and what they are called: one place for the window and
About box (gui/about.py), the desktop entry (gui/desktop_entry.py, which runs before any
QApplication, so no Qt here) and tools/render_icons.py, which draws them."""

from pathlib import Path

#: The desktop file's name without ".desktop", the icon's name in the hicolor theme and the
#: window's application id: taskbars group the window under it.
NAME = "xor-lab"
#: resources/ sits beside the gui package in a source checkout and in the installed wheel
#: (pyproject's wheel target includes it as a top-level folder).
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
#: The PNG sizes, xor-lab-<size>.png (16 px drawn from xor-lab-small.svg).
ICON_SIZES = (16, 32, 48, 64, 128, 256)
