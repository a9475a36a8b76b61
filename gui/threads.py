"""A worker object in a QThread of its own: the training worker's and the sweep's."""

from PySide6.QtCore import QObject, Qt, QThread


def thread_for(worker: QObject, parent: QObject, ended) -> QThread:
    """A QThread (not started) of ``parent`` that runs ``worker.run`` and whose event loop
    quits when ``worker`` emits ``ended`` (its last signal)."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: the thread's loop ends from the worker's thread itself, even while the GUI
    # thread is blocked in a wait() for it.
    ended.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    return thread
