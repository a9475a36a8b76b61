"""Guards the PySide6 pin: 6.12 drops a reference to True on every Signal.emit (DESIGN.md)."""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)


def test_emitting_signals_keeps_the_refcount_of_true_flat(qtbot):
    emitter = Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for index in range(3000):
        emitter.fired.emit(index)
    after = sys.getrefcount(True)
    assert len(received) == 3000
    assert abs(after - before) < 50, f"refcount of True went from {before} to {after}"
