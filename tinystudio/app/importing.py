"""Import: recordings from CSV, Edge Impulse JSON/CBOR or WAV files (or folders of them) into a project."""

from __future__ import annotations

import os
from collections.abc import Sequence

from tinystudio.core.formats import FORMATS, ImportReport
from tinystudio.core.formats import import_files as _import_files
from tinystudio.core.formats.importer import LABEL_SOURCES
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project

__all__ = ["FILE_FILTER", "FORMATS", "LABEL_SOURCES", "ImportReport", "import_files"]

FILE_FILTER = "Recordings (*.csv *.txt *.json *.cbor *.wav);;All files (*)"
"""The file kinds an import accepts, as a file dialog's filter."""


def import_files(
    project: Project,
    paths: Sequence[str | os.PathLike[str]],
    *,
    label: str | None = None,
    group: str | None = None,
    rate_hz: float | None = None,
    fmt: str | None = None,
    label_from: str = "auto",
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Add every recording in ``paths``; all or nothing (an error leaves the project unchanged)."""
    return _import_files(project, paths, label=label, group=group, rate_hz=rate_hz, fmt=fmt,
                         label_from=label_from, progress=progress, cancel=cancel)
