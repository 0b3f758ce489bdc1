"""Export samples as CSV (timestamp in ms, axis[unit] headers) or Edge Impulse JSON, one file each (the JSON
files with Edge Impulse's info.labels beside them, which holds their labels, splits and groups).

Files are named ``<label>.<id>.<ext>`` so that importing the folder gives the same labels back, and the
values are written with enough digits that a re-import yields identical samples. CSV cells holding a
comma, a quote, a line break, an escape code or edge blanks are quoted as CSV readers expect.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.formats import ei_labels, export_folder
from tinystudio.core.formats.csv_layout import Cell, header_cell
from tinystudio.core.formats.edge_impulse import edge_impulse_document, write_edge_impulse
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project, SampleInfo

EXPORT_FORMATS = ("csv", "ei-json")
_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)
_NEEDS_QUOTES = re.compile(r'[",\r\n\x00-\x1f\x7f]|^\s|[\s;]$|^$')


def _file_label(label: str | None) -> str | None:
    return _UNSAFE.sub("_", label).strip("_") if label else None


def export_samples(
    project: Project,
    out_dir: str | Path,
    fmt: str,
    sample_ids: Sequence[int] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Write each sample to its own file in ``out_dir`` (created if needed); a file of the same name that no
    earlier export wrote is refused before anything is written (see export_folder.py)."""
    if fmt not in EXPORT_FORMATS:
        raise UserError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {out}: {exc.strerror}") from exc
    infos = project.samples() if sample_ids is None else [project.sample_info(i) for i in sample_ids]
    ext = "csv" if fmt == "csv" else "json"
    names = [f"{_file_label(info.label) or 'unlabelled'}.{info.id}.{ext}" for info in infos]
    if fmt == "csv":  # a header that cannot be written refuses the export before any file is
        for info in infos:
            _check_csv_names(info)
    listed = export_folder.written_before(out)
    labels_list = [ei_labels.NAME] if fmt == "ei-json" else []
    owner = export_folder.owner_key(project.path)
    export_folder.check_clashes(out, names, listed, owner)
    export_folder.check_clashes(out, labels_list, listed, None)  # one info.labels lists every project's files
    ours = dict.fromkeys([*names, *labels_list], owner)
    stale = export_folder.superseded(listed, owner, "." + ext, set(names),
                                     None if sample_ids is None else {i.id for i in infos}) if owner else []
    written: list[Path] = []
    try:
        # listed first, so an export that stops half-way can still replace what it wrote
        export_folder.record(out, {**listed, **ours})
        for i, (info, name) in enumerate(zip(infos, names, strict=True)):
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(i / max(len(infos), 1), f"exporting sample {info.id}")
            signal = project.load_signal(info.id)
            path = out / name
            try:
                if fmt == "csv":
                    _write_csv(path, info, signal)
                else:
                    doc = edge_impulse_document(signal, info.rate_hz, list(info.axis_names), list(info.units))
                    write_edge_impulse(path, doc)
            except OSError as exc:  # a full disk, a name too long, a folder that became read-only
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)  # no half-written sample left to import later
                raise UserError(f"cannot write {path} ({len(written)} of {len(infos)} sample(s) written): "
                                f"{exc.strerror or exc}") from None
            written.append(path)
        for name in stale:  # a relabelled or deleted sample's old file: imported again, it would come back
            (out / name).unlink(missing_ok=True)
            del listed[name]
        if fmt == "ei-json":
            _write_labels(out, set(listed), infos, names)
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            done = {p.name for p in written} | ({ei_labels.NAME} if (out / ei_labels.NAME).exists() else set())
            export_folder.record(out, {**listed, **{n: o for n, o in ours.items() if n in done}})
    progress(1.0, f"exported {len(written)} sample(s)")
    return written


def _write_labels(out: Path, listed: set[str], infos: Sequence[SampleInfo], names: Sequence[str]) -> None:
    """Edge Impulse's info.labels beside the files: their labels exactly (an acquisition file holds none,
    and a file name changes 'v1.2' or 'a/b' and cannot say 'unlabelled'), split and group. Entries of an
    earlier export into the folder for files this one did not rewrite are kept."""
    ours = {n: ei_labels.entry(n, i.label, i.split, i.group) for i, n in zip(infos, names, strict=True)}
    kept = [e for rel, e in _earlier_entries(out).items() if rel in listed and rel not in ours and (out / rel).exists()]
    ei_labels.write(out, kept + list(ours.values()))


def _earlier_entries(out: Path) -> dict[str, dict[str, object]]:
    listed = ei_labels.read(out)
    return {rel: ei_labels.entry(rel, s.label or None, _SPLIT_OF.get(s.category or ""), s.group)
            for rel, s in listed.items()}


_SPLIT_OF = {"training": "train", "testing": "test"}


def _check_csv_names(info: SampleInfo) -> None:
    """Axis names a CSV header gives back exactly: none empty (read back as 'axisN'), none twice (read back
    with a '_' added), each with a unit a header can hold."""
    names = list(info.axis_names)
    odd = next((n for n in names if not n or names.count(n) > 1), None)
    if odd is not None:
        what = "an axis without a name" if not odd else f"two axes named {odd!r}"
        raise UserError(f"sample {info.id} has {what}, which a CSV header cannot keep; "
                        "export as ei-json instead")
    for name, unit in zip(names, info.units, strict=True):
        header_text(name, unit)


def quote(text: str) -> str:
    """A CSV cell for ``text``, quoted (quotes doubled) when the plain form would not read back the same."""
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def header_text(name: str, unit: str) -> str:
    """The header cell of an axis that the CSV reader turns back into exactly ``name`` and ``unit``."""
    plain = f"{name}[{unit}]" if unit else name
    want = Cell(name, unit, "signal")
    if not _NEEDS_QUOTES.search(plain) and header_cell(plain) == want:
        return plain
    if header_cell(plain, quoted=True) == want:
        return '"' + plain.replace('"', '""') + '"'
    explicit = f"{name}[{unit}]"  # 't[]', 'Time[s]': an axis named like a clock, label or group
    read = header_cell(explicit, quoted=True)  # a clock-like one stays an axis beside the leading 'timestamp'
    if (read.name, read.unit) != (name, unit):  # a unit holding a square bracket has no header form
        raise UserError(f"axis {name!r} with unit {unit!r} cannot be named in a CSV header (a unit holds no "
                        "square brackets); export as ei-json, or rename the unit")
    return '"' + explicit.replace('"', '""') + '"'


def _write_csv(path: Path, info: SampleInfo, signal: np.ndarray) -> None:
    names = [header_text(n, u) for n, u in zip(info.axis_names, info.units, strict=True)]
    header = ",".join(["timestamp"] + names)
    tail = ""
    if info.label is None or info.label != _file_label(info.label):  # an empty cell: 'unlabelled'
        header += ",label"
        tail += "," + quote(info.label or "")
    if info.group:
        header += ",group"
        tail += "," + quote(info.group)
    step_ms = 1000.0 / info.rate_hz
    value_fmt = "%.9g" if signal.dtype.kind == "f" else "%d"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n")
        for start in range(0, signal.shape[0], 65536):
            block = signal[start : start + 65536]
            lines = []
            for j, row in enumerate(block):
                lines.append(",".join([repr((start + j) * step_ms)] + [value_fmt % v for v in row]) + tail)
            fh.write("\n".join(lines) + "\n")
