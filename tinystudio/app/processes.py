"""The child processes a use case starts (emulator, host board, compiler): what a front end calls when
it must end at once, so that nothing it started keeps running (see core/children.py)."""

from __future__ import annotations

from tinystudio.core.children import stop_all


def stop_children() -> None:
    """Kill every child process still running (for SIGTERM, SIGHUP and exit)."""
    stop_all()
