"""XOR Lab: with no arguments opens the window; `main.py train …` trains headless."""

import sys


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "train":
        from engine.cli import main as train_main

        return train_main(args[1:])
    from gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
