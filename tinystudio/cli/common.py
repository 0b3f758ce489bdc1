"""Helpers shared by subcommands: opening the project argument and printing progress."""

from __future__ import annotations

import sys
from pathlib import Path

from tinystudio.core.store import Project


def open_project(path: str) -> Project:
    """Open the PROJECT argument (a UserError with one clear line if it is not a project)."""
    return Project.open(Path(path))


def print_progress(fraction: float, message: str) -> None:
    """A progress callback for terminals: one updating line on a TTY, nothing otherwise."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r[{fraction * 100:5.1f}%] {message[:70]:<70}")
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()
