"""Garbage collection on the GUI thread only, while other threads run Python.

Python collects reference cycles in whichever thread happens to allocate. A cycle can hold a Python-owned
widget (a closed dialog, a plot window, a menu), and a collection started in a worker thread (training
allocates a lot) then deletes that widget outside the GUI thread, which Qt does not allow: the app froze
with the worker waiting for the interpreter lock inside the widget's destructor. While a guard is held,
automatic collection is off and a timer on the GUI thread collects when the interpreter would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QTimer

TICK_MS = 50

_holders = 0
_was_enabled = True
_timer: QTimer | None = None


def collect_due() -> int | None:
    """Collect the generation the interpreter's own thresholds call for now; the generation, or None."""
    c0, c1, c2 = gc.get_count()
    t0, t1, t2 = gc.get_threshold()
    if t0 <= 0 or c0 <= t0:
        return None
    generation = 2 if c2 > t2 else 1 if c1 > t1 else 0
    gc.collect(generation)
    return generation


def acquire() -> None:
    """Hold the guard (call on the GUI thread, e.g. before starting a worker thread)."""
    global _holders, _was_enabled, _timer
    if _holders == 0:
        _was_enabled = gc.isenabled()
        gc.collect()  # what is garbage already goes now, here
        gc.disable()
        if _timer is None:
            _timer = QTimer()
            _timer.setInterval(TICK_MS)
            _timer.timeout.connect(collect_due)
        _timer.start()
    _holders += 1


def release() -> None:
    """Give the guard back (on the GUI thread); the last holder turns automatic collection on again."""
    global _holders
    if _holders == 0:
        return
    _holders -= 1
    if _holders == 0:
        if _timer is not None:
            _timer.stop()
        if _was_enabled:
            gc.enable()
