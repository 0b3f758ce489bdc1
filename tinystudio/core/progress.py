"""Progress reporting and cancellation for long work, shared by the GUI workers and the CLI.

Long operations are plain functions that take a ``Progress`` callback and a ``CancelToken``, so the
same code runs in a Qt worker thread (callbacks become signals) and in the terminal (printed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from tinystudio.core.errors import Cancelled

Progress = Callable[[float, str], None]
"""Called with a fraction in [0, 1] and a short human-readable status."""


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that ignores everything."""


class CancelToken:
    """A thread-safe flag the user side sets and the working side polls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Stop the work at a safe point by raising ``Cancelled``."""
        if self._event.is_set():
            raise Cancelled("cancelled by the user")
