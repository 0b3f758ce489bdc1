"""Run long core functions in a worker thread, turning progress callbacks into Qt signals.

Core functions take ``progress`` and ``cancel`` keyword arguments; the worker passes a callback that
emits a signal (delivered on the GUI thread) and a CancelToken that the UI's Cancel button sets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.progress import CancelToken
from tinystudio.gui import gc_guard

log = logging.getLogger("tinystudio.worker")


class Worker(QThread):
    """A thread running one function; emits progress, then exactly one of done / failed / cancelled."""

    progressed = Signal(float, str)
    done = Signal(object)
    failed = Signal(str)
    was_cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(parent)
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self.token = CancelToken()

    def cancel(self) -> None:
        self.token.cancel()

    def run(self) -> None:
        name = getattr(self._fn, "__qualname__", repr(self._fn))
        started = time.perf_counter()
        log.info("%s started", name)
        try:
            result = self._fn(*self._args, progress=self._progress, cancel=self.token, **self._kwargs)
        except Cancelled:
            log.info("%s cancelled after %.1f s", name, time.perf_counter() - started)
            self.was_cancelled.emit()
        except UserError as exc:
            log.warning("%s failed after %.1f s: %s", name, time.perf_counter() - started, exc)
            self.failed.emit(str(exc))
        except Exception as exc:  # an unexpected bug: show it instead of killing the app, keep it in the log
            log.exception("unexpected error in %s", name)
            self.failed.emit(f"unexpected error: {exc!r}")
        else:
            log.info("%s done in %.1f s", name, time.perf_counter() - started)
            self.done.emit(result)

    def _progress(self, fraction: float, message: str) -> None:
        self.progressed.emit(float(fraction), message)


_running: set[Worker] = set()


def run_in_thread(
    fn: Callable[..., Any],
    *args: Any,
    on_progress: Callable[[float, str], None] | None = None,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Worker:
    """Start ``fn(*args, progress=..., cancel=..., **kwargs)`` in a thread; callbacks run on the GUI thread."""
    worker = Worker(fn, *args, **kwargs)
    if on_progress:
        worker.progressed.connect(on_progress)
    if on_done:
        worker.done.connect(on_done)
    if on_error:
        worker.failed.connect(on_error)
    if on_cancelled:
        worker.was_cancelled.connect(on_cancelled)
    _running.add(worker)
    gc_guard.acquire()  # no collection in the worker: it could delete widgets off the GUI thread
    ended = _Ended(worker)  # lives on this (the GUI) thread, so its slot runs here when the thread ends
    worker.finished.connect(ended.release)
    worker.start()
    return worker


class _Ended(QObject):
    """Forgets a finished worker and gives its collection guard back, on the GUI thread."""

    def __init__(self, worker: Worker) -> None:
        super().__init__(worker)
        self._worker = worker

    @Slot()
    def release(self) -> None:
        if self._worker in _running:
            _running.discard(self._worker)
            gc_guard.release()
