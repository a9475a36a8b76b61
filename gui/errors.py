"""Keep the event loop alive: a slot that raises says so in the status bar instead, and
reports the error (gui.crash)."""

import functools

from gui import crash


def guarded(slot):
    """Decorate a QMainWindow method used as a slot: exceptions become a status message."""

    @functools.wraps(slot)
    def wrapper(self, *args):
        try:
            return slot(self, *args)
        except Exception as error:  # noqa: BLE001 - the GUI must never crash on a bad value
            crash.report(error)
            self.statusBar().showMessage(f"Error: {error}", 10_000)
            return None

    return wrapper
