"""Import files into a project: pick the reader, settle label, group and rate, add all or nothing.

Every file is decoded before the project is touched, and the samples are then added in one transaction,
so a bad file in a batch leaves the project exactly as it was. A folder is the user's own: its hidden
entries (a Mac's ``._name.csv`` twins, notebook checkpoints) are left alone, and a ``.txt`` or ``.json``
file in it that is not a recording (a README, a settings file) is skipped and named in the report.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tinystudio.core.errors import UserError
from tinystudio.core.formats import ei_labels, nonfinite
from tinystudio.core.formats.csv_reader import CsvOptions, read_csv
from tinystudio.core.formats.edge_impulse import read_edge_impulse
from tinystudio.core.formats.recording import Recording
from tinystudio.core.formats.wav import read_wav
from tinystudio.core.labels import optional_label
from tinystudio.core.limits import sample_rate
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.split import DEFAULT_RATIOS, assign_splits
from tinystudio.core.store import Project

FORMATS = ("csv", "ei-json", "ei-cbor", "wav")
_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".json": "ei-json", ".cbor": "ei-cbor", ".wav": "wav"}
_OFTEN_NOT_RECORDINGS = {".txt", ".json"}
"""Kinds a folder commonly holds for other reasons (notes, settings): skipped there when they do not read."""
LABEL_SOURCES = ("auto", "filename", "folder", "none")


@dataclass
class ImportReport:
    """What an import added, and what it skipped along the way."""

    sample_ids: list[int] = field(default_factory=list)
    files: int = 0
    skipped_lines: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)
    splits: dict[str, int] = field(default_factory=dict)
    """Samples placed in each split by their Edge Impulse category (training/ or testing/, or info.labels)."""

    @property
    def dropped_nonfinite(self) -> int:
        """Rows left out because they held nan or inf (only when the import was asked to drop them)."""
        return self.skipped_lines.get(nonfinite.SKIP_KEY, 0)

    def summary(self) -> str:
        text = f"imported {len(self.sample_ids)} sample(s) from {self.files} file(s)"
        if self.dropped_nonfinite:
            text += f"; dropped {self.dropped_nonfinite} row(s) holding nan or inf"
        skipped = {k: v for k, v in self.skipped_lines.items() if v and k != nonfinite.SKIP_KEY}
        if skipped:
            text += "; skipped lines: " + ", ".join(f"{v} {k}" for k, v in sorted(skipped.items()))
        if self.duplicates:
            text += f"; {self.duplicates} already in the project (added again)"
        if self.splits:
            placed = ", ".join(f"{n} {sp}" for sp, n in self.splits.items())
            text += (f"; kept the Edge Impulse training/testing assignment as splits ({placed}), "
                     "marked as your own so a re-split keeps them")
        for note in self.notes:
            text += f"; {note}"
        return text


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise UserError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise UserError(
            f"{path.name}: unknown format {path.suffix or '(no extension)'!r}; "
            f"name it .csv, .json, .cbor or .wav, or pass --format ({', '.join(FORMATS)})"
        )
    return found


def printable_name(name: str) -> str:
    """A file name as text that can be stored and shown: bytes that are not UTF-8 (a name written under
    another encoding, arriving as surrogate escapes) become U+FFFD, as a file manager shows them."""
    return os.fsencode(name).decode("utf-8", "replace") if any("\udc80" <= c <= "\udcff" for c in name) else name


def label_from_name(path: Path) -> str | None:
    """Edge Impulse's convention: the label is the file name up to its first dot ('idle.01.csv')."""
    stem = printable_name(path.name).split(".", 1)[0].strip()
    return stem or None


def _named(path: Path, name: str | None) -> str | None:
    """A label taken from a file or folder name, checked as a typed one; the error names the file."""
    try:
        return optional_label(name)
    except UserError as exc:
        raise UserError(f"{path.name}: {exc}") from None


def parse_axes(text: str | None) -> list[str] | None:
    """Axis names typed as ``a,b,c`` (a name holding a comma can be quoted, as in CSV)."""
    if text is None or not text.strip():
        return None
    names = [n.strip() for n in next(csv.reader([text], skipinitialspace=True))]
    if not all(names):
        raise UserError(f"axis names must not be empty: {text!r}")
    if len(set(names)) != len(names):
        raise UserError(f"axis names must differ: {text!r}")
    return names


def read_file(
    path: Path, fmt: str | None = None, rate_hz: float | None = None, drop_nonfinite: bool = False,
    axes: Sequence[str] | None = None,
) -> tuple[list[Recording], dict[str, int]]:
    """Decode one file into recordings without touching any project; also returns skipped-line counts.

    ``axes`` names the columns of a CSV file without a header row (default axis1..axisN).
    """
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    kind = detect_format(path, fmt)
    try:
        if kind == "csv":
            return read_csv(path, CsvOptions(rate_hz, drop_nonfinite, axes))
        if kind == "wav":
            recordings, dropped = read_wav(path, drop_nonfinite)
        else:
            recordings, dropped = read_edge_impulse(path, binary=(kind == "ei-cbor"), drop_nonfinite=drop_nonfinite)
    except OSError as exc:  # the disk or the network share failed part way (EIO), the drive was pulled
        raise UserError(f"{printable_name(path.name)}: {exc.strerror or exc} while reading it") from None
    return recordings, ({nonfinite.SKIP_KEY: dropped} if dropped else {})


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders contribute their importable files, recursively, in name order, leaving out
    hidden files and folders (names starting with a dot)."""
    return [path for path, _found, _category in _gather(paths)]


def listed_files(paths: Sequence[str | os.PathLike[str]]) -> dict[Path, ei_labels.Listed]:
    """What the Edge Impulse info.labels of these folders says of their files."""
    out: dict[Path, ei_labels.Listed] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.update({p / rel: listed for rel, listed in ei_labels.read(p).items()})
    return out


def _category(name: str) -> str | None:
    return name.lower() if name.lower() in ei_labels.CATEGORIES else None


def _exported_from(folder: Path) -> str | None:
    """The category of a training/ or testing/ folder taken from an Edge Impulse export (its info.labels
    beside it): a folder of the user's that happens to be called 'testing' is not a split."""
    return _category(folder.name) if (folder.parent / ei_labels.NAME).is_file() else None


def _gather(paths: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, bool, str | None]]:
    """Each file with whether it was found in a folder (True) or named by the user (False), and the Edge
    Impulse category ('training', 'testing') of the folder it came from: a given folder's direct subfolder
    of that name, or, in an export (info.labels beside it), the folder of that name itself."""
    out: list[tuple[Path, bool, str | None]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            listed = ei_labels.read(p)
            found = (
                f for f in p.rglob("*")
                if f.suffix.lower() in _BY_SUFFIX and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.is_file()
            )
            for f in sorted(found):
                parts = f.relative_to(p).parts
                category = (_category(parts[0]) if len(parts) > 1 else None) or _exported_from(p)
                said = listed.get("/".join(parts))
                out.append((f, True, said.category if said is not None and said.category else category))
        else:
            out.append((p, False, _exported_from(p.absolute().parent)))
    return out


def import_files(
    project: Project,
    paths: Sequence[str | os.PathLike[str]],
    label: str | None = None,
    group: str | None = None,
    rate_hz: float | None = None,
    fmt: str | None = None,
    label_from: str = "auto",
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    drop_nonfinite: bool = False,
    axes: Sequence[str] | None = None,
) -> ImportReport:
    """Import files; the label comes from ``label``, else a label column, else the file or folder name.

    A value that is nan or inf refuses the whole import naming its file, line and column, unless
    ``drop_nonfinite`` (then those rows are left out and counted in the report). ``axes`` names the
    columns of CSV files that have no header row.
    """
    if label_from not in LABEL_SOURCES:
        raise UserError(f"unknown label source {label_from!r}: use one of {', '.join(LABEL_SOURCES)}")
    if rate_hz is not None:
        rate_hz = sample_rate("--rate", rate_hz)
    files = _gather(paths)
    if not files:
        raise UserError("no files to import")
    listed = listed_files(paths)
    report = ImportReport()
    decoded: list[tuple[Path, list[Recording]]] = []
    categories: dict[Path, str | None] = {}
    passed_over: list[str] = []
    try:
        for i, (path, in_folder, category) in enumerate(files):
            categories[path] = category
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(0.5 * i / len(files), f"reading {printable_name(path.name)}")
            try:
                recordings, skipped = read_file(path, fmt, rate_hz, drop_nonfinite, axes)
            except UserError as exc:
                if not (in_folder and fmt is None and path.suffix.lower() in _OFTEN_NOT_RECORDINGS):
                    raise
                passed_over.append(str(exc))  # the readers' messages name the file
                continue
            for key, count in skipped.items():
                report.skipped_lines[key] = report.skipped_lines.get(key, 0) + count
            for rec in recordings:
                said = listed.get(path)
                if said is not None:  # info.labels: labels a file name cannot hold ('v1.2', none at all)
                    if label is None and label_from == "auto" and rec.label is None and said.label is not None:
                        rec.label = said.label  # as a label column's cell: '' is 'unlabelled'
                    if group is None and rec.group is None:
                        rec.group = said.group
                _settle(rec, path, label, group, rate_hz, label_from)
                shown = printable_name(path.name)
                report.notes.extend(f"{shown}: {n}" for n in rec.notes if f"{shown}: {n}" not in report.notes)
            decoded.append((path, recordings))
        if passed_over and not any(recordings for _, recordings in decoded):
            raise UserError("no recordings to import: " + "; ".join(passed_over))
        known = project.hashes()
        placed: dict[str, list[int]] = {"training": [], "testing": []}
        with project.transaction():
            total = sum(len(r) for _, r in decoded)
            done = 0
            for path, recordings in decoded:
                for rec in recordings:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    progress(0.5 + 0.5 * done / max(total, 1), f"adding {printable_name(path.name)}")
                    sid = project.add_sample_chunks(
                        rec.blocks, rec.frames, len(rec.axis_names), rec.dtype, rec.rate_hz or 0.0,
                        rec.axis_names, rec.label, units=rec.units, group=rec.group, source="file",
                        name=rec.name,
                    )
                    if project.sample_info(sid).content_hash in known:
                        report.duplicates += 1
                    report.sample_ids.append(sid)
                    if (category := categories.get(path)) is not None:
                        placed[category].append(sid)
                    done += 1
            report.splits = _keep_categories(project, placed)
        report.files = len(files) - len(passed_over)
        if passed_over:
            report.notes.append(f"skipped {len(passed_over)} file(s) that are not recordings: {'; '.join(passed_over)}")
        progress(1.0, report.summary())
        return report
    finally:
        for _, recordings in decoded:
            for rec in recordings:
                rec.spool.close()


def _keep_categories(project: Project, placed: dict[str, list[int]]) -> dict[str, int]:
    """Put samples of Edge Impulse's testing category (its testing/ folder) in the test split and those of
    training in train or validation (by the default ratios, stratified as a split is), all marked as the
    user's own choice."""
    if placed["testing"]:
        project.set_split(placed["testing"], "test", manual=True)
    if placed["training"]:
        train, validation, _test = DEFAULT_RATIOS
        assign_splits(project, (train, validation, 0.0), only=set(placed["training"]), manual=True)
    ids = set(placed["training"]) | set(placed["testing"])
    counts: dict[str, int] = {}
    for info in project.samples():
        if info.id in ids:
            counts[info.split or ""] = counts.get(info.split or "", 0) + 1
    return {sp: counts[sp] for sp in ("train", "validation", "test") if counts.get(sp)}


def _settle(
    rec: Recording, path: Path, label: str | None, group: str | None, rate_hz: float | None, label_from: str
) -> None:
    rec.name = printable_name(rec.name)
    if label is not None:
        rec.label = optional_label(label)
    elif rec.label is None:
        if label_from in ("auto", "filename"):
            rec.label = _named(path, label_from_name(path))
        elif label_from == "folder":
            rec.label = _named(path, printable_name(path.parent.name))
    if rec.label == "":  # an empty cell in a label column: the sample has no label
        rec.label = None
    if group is not None:
        rec.group = group or None
    if rate_hz is not None:
        rec.rate_hz = rate_hz
    if rec.rate_hz is None:
        raise UserError(f"{path.name} has no timestamp column, so its sample rate is unknown: pass --rate HZ")
