"""Export: write a project's samples to a folder, one CSV or Edge Impulse JSON file per sample."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tinystudio.core.formats.exporter import EXPORT_FORMATS, export_samples
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project

__all__ = ["DEFAULT_FORMAT", "EXPORT_FORMATS", "export"]

DEFAULT_FORMAT = "csv"


def export(
    project: Project,
    out_dir: str | Path,
    fmt: str = DEFAULT_FORMAT,
    *,
    sample_ids: Sequence[int] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Write each sample (or each of ``sample_ids``) to its own file in ``out_dir``; the paths written."""
    return export_samples(project, out_dir, fmt, sample_ids=sample_ids, progress=progress, cancel=cancel)
