"""Export samples as CSV (timestamp in ms, axis[unit] headers) or Edge Impulse JSON, one file each.

Files are named ``<label>.<id>.<ext>`` so that importing the folder gives the same labels back, and the
values are written with enough digits that a re-import yields identical samples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.formats.edge_impulse import edge_impulse_document, write_edge_impulse
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project, SampleInfo

EXPORT_FORMATS = ("csv", "ei-json")
_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)


def _file_label(label: str | None) -> str:
    return _UNSAFE.sub("_", label).strip("_") if label else "unlabelled"


def export_samples(
    project: Project,
    out_dir: str | Path,
    fmt: str,
    sample_ids: Sequence[int] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Write each sample to its own file in ``out_dir`` (created if needed)."""
    if fmt not in EXPORT_FORMATS:
        raise UserError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {out}: {exc.strerror}") from exc
    infos = project.samples() if sample_ids is None else [project.sample_info(i) for i in sample_ids]
    written = []
    for i, info in enumerate(infos):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(i / max(len(infos), 1), f"exporting sample {info.id}")
        signal = project.load_signal(info.id)
        if fmt == "csv":
            path = out / f"{_file_label(info.label)}.{info.id}.csv"
            _write_csv(path, info, signal)
        else:
            path = out / f"{_file_label(info.label)}.{info.id}.json"
            doc = edge_impulse_document(signal, info.rate_hz, list(info.axis_names), list(info.units))
            write_edge_impulse(path, doc)
        written.append(path)
    progress(1.0, f"exported {len(written)} sample(s)")
    return written


def _write_csv(path: Path, info: SampleInfo, signal: np.ndarray) -> None:
    names = [f"{n}[{u}]" if u else n for n, u in zip(info.axis_names, info.units, strict=True)]
    header = ",".join(["timestamp"] + names)
    if info.label and "," not in info.label and "\n" not in info.label and info.label != _file_label(info.label):
        header += ",label"
    has_label = header.endswith(",label")
    if info.group:
        header += ",group"
    step_ms = 1000.0 / info.rate_hz
    value_fmt = "%.9g" if signal.dtype.kind == "f" else "%d"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + "\n")
        for start in range(0, signal.shape[0], 65536):
            block = signal[start : start + 65536]
            lines = []
            for j, row in enumerate(block):
                cells = [repr((start + j) * step_ms)] + [value_fmt % v for v in row]
                if has_label:
                    cells.append(info.label or "")
                if info.group:
                    cells.append(info.group)
                lines.append(",".join(cells))
            fh.write("\n".join(lines) + "\n")
