"""Streaming CSV importer: header with axis names, optional timestamp/label/group columns, many recordings.

Handles what boards and loggers really print: CRLF, a BOM, terminal escape codes, chatter lines with no
numbers (skipped and counted), several recordings separated by blank lines, and a label column whose
changes cut a recording into one sample per contiguous run. The text is read line by line and decoded
in blocks into a spool, so a file of any size imports in bounded memory.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.formats.recording import Recording, Spool

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SEPARATORS = re.compile(r"[,;\t ]+")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|nan|inf|infinity)$", re.I)
_UNIT = re.compile(r"^(.*?)\s*[\[(]([^\])]*)[\])]\s*$")
_TIME_COLUMN = re.compile(
    r"^(time|timestamp|ts|t|millis|micros|elapsed|seconds_elapsed|time_elapsed|ms|us)"
    r"(?:[ _-]?(ms|us|µs|ns|s|sec|secs|seconds|millis|micros|nanos))?(?:\(\))?$"
)
_SCALES = {
    "ms": 1e-3, "millis": 1e-3, "us": 1e-6, "µs": 1e-6, "micros": 1e-6, "ns": 1e-9, "nanos": 1e-9,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "seconds": 1.0, "seconds_elapsed": 1.0, "time_elapsed": 1.0,
}
_LABEL_NAMES = {"label", "class", "category", "activity", "gesture"}
_GROUP_NAMES = {"group", "subject", "person", "session", "participant", "user", "subject_id", "user_id"}
_BATCH = 8192


@dataclass
class _Layout:
    """Which column is which, from the header."""

    columns: list[str]
    value_cols: list[int]
    axis_names: list[str]
    units: list[str]
    time_col: int | None
    time_scale: float | None  # seconds per timestamp unit, None = decide from the values
    label_col: int | None
    group_col: int | None
    separator: str | None  # None = runs of whitespace
    ignored: list[str] = field(default_factory=list)  # text columns that are neither label nor group

    def drop_text_columns(self, first_row: list[str]) -> None:
        """Columns whose first value is text (a date, a device name) are kept out of the signal."""
        text = [i for i in self.value_cols if not _is_number(first_row[i])]
        if not text or len(text) == len(self.value_cols):
            return
        self.ignored = [self.columns[i] for i in text]
        keep = [k for k, i in enumerate(self.value_cols) if i not in text]
        self.value_cols = [self.value_cols[k] for k in keep]
        self.axis_names = [self.axis_names[k] for k in keep]
        self.units = [self.units[k] for k in keep]


def _clean(line: str) -> str:
    """Drop terminal escapes, surrounding blanks and the trailing separator many sketches print."""
    return _ESCAPES.sub("", line).strip().rstrip(",;\t").rstrip()


def _split(line: str, sep: str | None) -> list[str]:
    if sep is None:
        return line.split()
    return [f.strip() for f in line.split(sep)]


def _guess_separator(line: str) -> str | None:
    for sep in (",", "\t", ";"):
        if sep in line:
            return sep
    return None


def _fast_parse(lines: list[str], sep: str | None, ncols: int) -> np.ndarray | None:
    """Parse a batch of clean numeric lines in one numpy call; None when any line needs a closer look."""
    joined = (sep or " ").join(lines)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            flat = np.fromstring(joined, dtype=np.float64, sep=sep or " ")
        except (ValueError, DeprecationWarning):
            return None
    if flat.size != len(lines) * ncols:
        return None
    return flat.reshape(len(lines), ncols)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _time_scale(name: str, unit: str) -> float | None:
    """Seconds per unit of a time column, from its [unit] or its name; None when only values can tell."""
    if unit.lower() in _SCALES:
        return _SCALES[unit.lower()]
    m = _TIME_COLUMN.match(name.lower())
    if m is None:
        return None
    base, suffix = m.group(1), m.group(2)
    if suffix:
        return _SCALES[suffix]
    return _SCALES.get(base)


def _scale_from_values(name: str, first: float, step: float) -> float:
    """Guess a time unit: epoch timestamps by magnitude, else Arduino-style integer millis, else seconds."""
    for threshold, scale in ((1e17, 1e-9), (1e14, 1e-6), (1e11, 1e-3), (1e8, 1.0)):
        if abs(first) >= threshold:
            return scale
    if name.lower() == "timestamp" or (step >= 1 and float(first).is_integer()):
        return 1e-3
    return 1.0


def _layout(header: list[str], sep: str | None) -> _Layout:
    names, units = [], []
    for raw in header:
        m = _UNIT.match(raw)
        names.append((m.group(1) if m else raw).strip().strip('"'))
        units.append(m.group(2).strip() if m else "")
    low = [n.lower() for n in names]
    time_cols = [i for i, n in enumerate(low) if _TIME_COLUMN.match(n)]
    if not time_cols and units and units[0].lower() in _SCALES:
        time_cols = [0]
    # several clocks (e.g. epoch time and seconds elapsed): the one with a known unit wins
    time_col = next((i for i in time_cols if _time_scale(names[i], units[i]) is not None), None)
    if time_col is None and time_cols:
        time_col = time_cols[0]
    label_col = next((i for i, n in enumerate(low) if n in _LABEL_NAMES), None)
    group_col = next((i for i, n in enumerate(low) if n in _GROUP_NAMES), None)
    special = {*time_cols, label_col, group_col}
    value_cols = [i for i in range(len(names)) if i not in special]
    if not value_cols:
        raise UserError("the header names no signal columns")
    scale = _time_scale(names[time_col], units[time_col]) if time_col is not None else None
    used: set[str] = set()
    axis_names = []
    for i in value_cols:
        name = names[i] or f"axis{i + 1}"
        while name in used:
            name += "_"
        used.add(name)
        axis_names.append(name)
    return _Layout(
        columns=names,
        value_cols=value_cols,
        axis_names=axis_names,
        units=[units[i] for i in value_cols],
        time_col=time_col,
        time_scale=scale,
        label_col=label_col,
        group_col=group_col,
        separator=sep,
    )


class _Segment:
    """A run of rows that becomes one sample."""

    def __init__(self, start: int, label: str | None, group: str | None) -> None:
        self.start = start
        self.frames = 0
        self.label = label
        self.group = group
        self.t_first: float | None = None
        self.t_last: float | None = None
        self.t_prev: float | None = None
        self.backwards = False


def read_csv(path: Path, rate_hz: float | None = None) -> tuple[list[Recording], dict[str, int]]:
    """Decode a CSV file into recordings; returns them with counts of skipped lines by reason."""
    try:
        fh = open(path, encoding="utf-8-sig", errors="replace", newline=None)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        return _Reader(path, rate_hz).run(fh)


class _Reader:
    def __init__(self, path: Path, rate_hz: float | None) -> None:
        self.path = path
        self.rate_hz = rate_hz
        self.layout: _Layout | None = None
        self.header_line: str | None = None
        self.spool: Spool | None = None
        self.segments: list[_Segment] = []
        self.current: _Segment | None = None
        self.skipped = {"noise": 0, "truncated": 0}
        self.batch_values: list[list[str]] = []
        self.batch_meta: list[tuple[int, str]] = []

    def run(self, lines: Iterator[str]) -> tuple[list[Recording], dict[str, int]]:
        pending_ragged: tuple[int, int] | None = None
        try:
            for lineno, raw in enumerate(lines, start=1):
                line = _clean(raw)
                if not line:
                    self._flush_batch()
                    self.current = None  # a blank line ends a recording
                    continue
                if self.layout is None:
                    self._take_header(line)
                    continue
                if line == self.header_line:
                    continue  # header repeated before the next recording
                sep = self.layout.separator
                count = line.count(sep) + 1 if sep is not None else len(line.split())
                if count != len(self.layout.columns):
                    fields = _split(line, sep)
                    if not any(_is_number(f) for f in fields):
                        self.skipped["noise"] += 1
                        continue
                    if pending_ragged is not None:
                        self._ragged(*pending_ragged)
                    pending_ragged = (lineno, len(fields))  # tolerated only as the very last line
                    continue
                if pending_ragged is not None:
                    self._ragged(*pending_ragged)
                self.batch_meta.append((lineno, line))
                if len(self.batch_meta) >= _BATCH:
                    self._flush_batch()
            self._flush_batch()
            if pending_ragged is not None:
                self.skipped["truncated"] += 1
            return self._finish()
        except BaseException:
            if self.spool is not None:
                self.spool.close()
            raise

    def _ragged(self, lineno: int, count: int) -> None:
        assert self.layout is not None
        raise UserError(
            f"{self.path.name}, line {lineno}: {count} values but the header has {len(self.layout.columns)} columns"
        )

    def _take_header(self, line: str) -> None:
        sep = _guess_separator(line)
        fields = _split(line, sep)
        numeric = [_is_number(f) for f in fields]
        if all(numeric):  # no header: every column is a signal
            names = [f"axis{i + 1}" for i in range(len(fields))]
            self.layout = _layout(names, sep)
            self.header_line = None
            self.batch_meta.append((1, line))
            return
        if len(fields) < 1 or not any(f for f in fields):
            self.skipped["noise"] += 1
            return
        self.layout = _layout(fields, sep)
        self.header_line = line

    def _flush_batch(self) -> None:
        if not self.batch_meta:
            return
        layout = self.layout
        assert layout is not None
        lines = self.batch_meta
        self.batch_meta = []
        if self.spool is None:  # first data row: now we know which columns hold text
            layout.drop_text_columns(_split(lines[0][1], layout.separator))
            self.spool = Spool(len(layout.value_cols))
        ncols = len(layout.columns)
        ignored = {layout.columns.index(name) for name in layout.ignored}
        text_cols = {c for c in (layout.label_col, layout.group_col) if c is not None} | ignored
        numeric_cols = [c for c in range(ncols) if c not in text_cols]
        table = None if text_cols else _fast_parse([ln for _, ln in lines], layout.separator, ncols)
        rows = [(n, _split(ln, layout.separator)) for n, ln in lines] if table is None or text_cols else []
        if table is None:
            try:
                table = np.array([[r[1][c] for c in numeric_cols] for r in rows], dtype=np.float64)
            except ValueError:
                table, rows = self._strict_rows(rows, numeric_cols)
                if not rows:
                    return
        values = table[:, [numeric_cols.index(c) for c in layout.value_cols]].astype(np.float32)
        times = table[:, numeric_cols.index(layout.time_col)] if layout.time_col is not None else None
        labels = [r[1][layout.label_col] for r in rows] if layout.label_col is not None else None
        groups = [r[1][layout.group_col] for r in rows] if layout.group_col is not None else None
        start = 0
        n = table.shape[0]
        while start < n:
            label = labels[start] if labels else None
            group = groups[start] if groups else None
            seg = self.current
            if seg is None or seg.label != label or seg.group != group:
                seg = _Segment(self.spool.frames, label, group)
                self.segments.append(seg)
                self.current = seg
            end = start + 1
            while end < n and (labels is None or labels[end] == label) and (groups is None or groups[end] == group):
                end += 1
            self.spool.append(values[start:end])
            seg.frames += end - start
            if times is not None:
                t = times[start:end]
                if seg.t_first is None:
                    seg.t_first = float(t[0])
                if (seg.t_prev is not None and t[0] <= seg.t_prev) or (len(t) > 1 and np.any(np.diff(t) <= 0)):
                    seg.backwards = True
                seg.t_prev = seg.t_last = float(t[-1])
            start = end

    def _strict_rows(
        self, rows: list[tuple[int, list[str]]], numeric_cols: list[int]
    ) -> tuple[np.ndarray, list[tuple[int, list[str]]]]:
        """Parse row by row: chatter with no numbers is skipped, text in a number column is an error."""
        assert self.layout is not None
        kept: list[tuple[int, list[str]]] = []
        values: list[list[float]] = []
        for lineno, fields in rows:
            if not any(_is_number(f) for f in fields):
                self.skipped["noise"] += 1
                continue
            row = []
            for c in numeric_cols:
                try:
                    row.append(float(fields[c]))
                except ValueError:
                    raise UserError(
                        f"{self.path.name}, line {lineno}: column {self.layout.columns[c]!r} holds "
                        f"{fields[c][:40]!r}, which is not a number"
                    ) from None
            kept.append((lineno, fields))
            values.append(row)
        return np.array(values, dtype=np.float64).reshape(len(kept), len(numeric_cols)), kept

    def _finish(self) -> tuple[list[Recording], dict[str, int]]:
        if self.layout is None:
            raise UserError(f"{self.path.name} is empty")
        segments = [s for s in self.segments if s.frames > 0]
        if not segments or self.spool is None:
            raise UserError(f"{self.path.name} has a header but no data rows")
        recordings = []
        for seg in segments:
            recordings.append(
                Recording(
                    spool=self.spool,
                    start=seg.start,
                    frames=seg.frames,
                    rate_hz=self.rate_hz or self._rate(seg),
                    axis_names=list(self.layout.axis_names),
                    units=list(self.layout.units),
                    label=seg.label or None,
                    group=seg.group or None,
                    name=self.path.name,
                    notes=[f"text column(s) left out of the signal: {', '.join(self.layout.ignored)}"]
                    if self.layout.ignored
                    else [],
                )
            )
        return recordings, dict(self.skipped)

    def _rate(self, seg: _Segment) -> float | None:
        layout = self.layout
        assert layout is not None
        if layout.time_col is None or seg.t_first is None or seg.t_last is None or seg.frames < 2:
            return None
        if seg.backwards:
            raise UserError(
                f"{self.path.name}: the {layout.columns[layout.time_col]!r} column does not increase; "
                "pass the rate with --rate"
            )
        span = seg.t_last - seg.t_first
        step = span / (seg.frames - 1)
        scale = layout.time_scale or _scale_from_values(layout.columns[layout.time_col], seg.t_first, step)
        return (seg.frames - 1) / (span * scale)
