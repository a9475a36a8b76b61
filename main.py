"""XOR Lab from a source checkout: `python main.py` opens the window (or a file given);
`main.py train …` trains headless; `main.py render SESSION --out PATH` draws a saved session
without a display. The commands live in gui/launcher.py, which the installed scripts call."""

import sys

from gui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
