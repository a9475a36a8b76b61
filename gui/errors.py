"""Keep the event loop alive: a slot that raises reports in the status bar instead."""

import functools
import sys
import traceback


def guarded(slot):
    """Decorate a QMainWindow method used as a slot: exceptions become a status message."""

    @functools.wraps(slot)
    def wrapper(self, *args):
        try:
            return slot(self, *args)
        except Exception as error:  # noqa: BLE001 - the GUI must never crash on a bad value
            traceback.print_exc(file=sys.stderr)
            self.statusBar().showMessage(f"Error: {error}", 10_000)
            return None

    return wrapper
