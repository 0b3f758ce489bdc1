"""Keeps a long-running live plot from aborting: with PySide6 6.12 on Python 3.11 every Qt method that
returns None (or a bool) drops one reference to it (3.12+ made these immortal), and painting makes thousands of
such calls a second, until CPython aborts with 'none_dealloc'. We give None a count that cannot run out."""

from __future__ import annotations

import ctypes
import sys

_applied = False


def keep_none_alive() -> None:
    """Raise the counts of None, True and False by 2**40 once per process (nothing to do on 3.12+)."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):  # methods returning bool leak the same way
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    _applied = True
