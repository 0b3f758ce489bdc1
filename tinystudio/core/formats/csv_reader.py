"""Streaming CSV importer: header with axis names, optional timestamp/label/group columns, many recordings.

Handles what boards, loggers and terminals really write: CRLF, a BOM, terminal escape codes, a
``Script started on`` line and other chatter with no numbers (skipped and counted), no header row at all
(axes are then named ``axis1``..``axisN``, or as the caller names them), several recordings separated by
blank lines or by lines of dashes (``-,-,-``, ``---``), quoted fields, and a label column whose changes
cut a recording into one sample per contiguous run. The text is read line by line and decoded in blocks
into a spool, so a file of any size imports in bounded memory.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinystudio.core import limits
from tinystudio.core.errors import UserError
from tinystudio.core.formats import nonfinite
from tinystudio.core.formats.clock_text import clock_seconds
from tinystudio.core.formats.csv_layout import Layout, adopt_clock, layout, named_layout, scale_from_values
from tinystudio.core.formats.csv_text import Records, clean, guess_separator, is_separator_line, split
from tinystudio.core.formats.recording import Recording, Spool

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|nan|inf|infinity)$", re.I)
_BATCH = 8192
_MAX_CANDIDATES = 64


@dataclass(frozen=True)
class CsvOptions:
    """What the caller decided: the rate, whether non-finite rows are dropped, names for header-less columns."""

    rate_hz: float | None = None
    drop_nonfinite: bool = False
    axes: Sequence[str] | None = None


@dataclass
class _Candidate:
    """A text line seen before the first data row: the header, if the data rows have its columns."""

    line: str
    fields: list[str]
    quoted: list[bool] | None
    sep: str | None


PAUSE_STEPS = 5.0
"""A timestamp step this many times the typical one is a pause in the recording, not part of its rate."""


def _first_column(lines: list[tuple[int, str, list[str] | None]], sep: str | None) -> np.ndarray:
    """Column 0 of a batch of rows as numbers (nan where a cell is not one)."""
    out = []
    for _n, line, fields in lines:
        cell = (fields if fields is not None else split(line, sep) or [""])[0]
        try:
            out.append(float(cell))
        except ValueError:
            out.append(float("nan"))
    return np.array(out, dtype=np.float64)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _decimal_commas(line: str) -> bool:
    """A row of a spreadsheet saved the European way: values between ';' with ',' as the decimal mark
    ('0;1,5;-2,25'), which read with ',' as the separator would split every value in two."""
    parts = line.split(";")
    marked = [p for p in parts if "," in p]
    return len(parts) >= 2 and bool(marked) and all(p.count(",") == 1 and _is_number(p.replace(",", "."))
                                                    for p in marked)


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


class _Segment:
    """A run of rows that becomes one sample."""

    def __init__(self, start: int, label: str | None, group: str | None) -> None:
        self.start = start
        self.frames = 0
        self.timed = 0  # rows with a finite timestamp, dropped ones included: the clock still ticked
        self.label = label
        self.group = group
        self.t_first: float | None = None
        self.t_last: float | None = None
        self.t_prev: float | None = None
        self.backwards = False
        self.steps: list[np.ndarray] = []  # differences between successive timestamps, to find pauses


def read_csv(path: Path, options: CsvOptions | None = None) -> tuple[list[Recording], dict[str, int]]:
    """Decode a CSV file into recordings; returns them with counts of skipped lines by reason."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(512)
        fh = open(path, encoding=text_encoding(head), errors="replace", newline="")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        return _Reader(path, options or CsvOptions()).run(Records(fh))


def text_encoding(head: bytes) -> str:
    """UTF-8 (with or without its mark) unless the file starts as UTF-16 text does: Excel's "Unicode text"
    and Windows tools write UTF-16, which read as UTF-8 turned every line into a sample of its own."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the mark says which byte order
    pairs = head[: len(head) // 2 * 2]
    if len(pairs) >= 8 and b"\x00" in pairs:
        even, odd = pairs[0::2], pairs[1::2]
        if odd.count(0) == len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) == len(even) and odd.count(0) == 0:
            return "utf-16-be"
    return "utf-8-sig"


# a batch row: line number, clean text, and its fields when it was read the quoted way
_Row = tuple[int, str, list[str] | None]


class _Reader:
    def __init__(self, path: Path, options: CsvOptions) -> None:
        self.path = path
        self.options = options
        self.layout: Layout | None = None
        self.header_line: str | None = None
        self.candidates: list[_Candidate] = []
        # until a second data row confirms the first: the candidates and noise count to go back to
        self.first_row: tuple[list[_Candidate], int] | None = None
        self.spool: Spool | None = None
        self.segments: list[_Segment] = []
        self.current: _Segment | None = None
        self.skipped = {"noise": 0, "truncated": 0, nonfinite.SKIP_KEY: 0}
        self.notes: list[str] = []
        self.unnamed = False  # no header row and no names given: column 0 may be a clock
        self.clock_origin: int | None = None  # the day a clock written as dates starts on
        self.batch_meta: list[_Row] = []
        self.decimal_comma = False
        self.rounded = (0, 0.0)  # values float32 could not hold exactly: how many, the largest change

    def run(self, records: Records) -> tuple[list[Recording], dict[str, int]]:
        pending_ragged: tuple[int, int] | None = None
        try:
            for lineno, raw in records:
                fields: list[str] | None = None
                quoted: list[bool] | None = None
                if '"' in raw:
                    sep = self.layout.separator if self.layout is not None else guess_separator(raw)
                    record = records.quoted(raw, sep)
                    if record is not None:
                        line, fields, quoted = record[0].strip(), record[1], record[2]
                    else:
                        line = clean(raw)
                else:
                    line = clean(raw)
                if fields is None and self.layout is None and not self.decimal_comma and _decimal_commas(line):
                    self.decimal_comma = True
                    self.notes.append("',' read as the decimal mark (values separated by ';')")
                if fields is None and self.decimal_comma:
                    line = line.replace(",", ".")
                if not line or (fields is None and is_separator_line(line)):
                    self._flush_batch()
                    self.current = None  # a blank or dashed line ends a recording
                    continue
                if self.layout is None:
                    self._before_data(lineno, line, fields, quoted)
                    continue
                if line == self.header_line:
                    continue  # header repeated before the next recording
                sep = self.layout.separator
                if fields is not None:
                    count = len(fields)
                else:
                    count = line.count(sep) + 1 if sep is not None else len(line.split())
                if count != len(self.layout.columns):
                    shown = fields if fields is not None else split(line, sep)
                    if not any(_is_number(f) for f in shown):
                        self.skipped["noise"] += 1
                        continue
                    if (self.first_row is not None and self.header_line is None and self.spool is None
                            and len(self.batch_meta) == 1 and len(shown) > len(self.layout.columns)):
                        self._first_row_was_cut(lineno, line, fields, quoted)
                        continue
                    if pending_ragged is not None:
                        self._ragged(*pending_ragged)
                    pending_ragged = (lineno, len(shown))  # tolerated only as the very last line
                    continue
                if pending_ragged is not None:
                    self._ragged(*pending_ragged)
                self.batch_meta.append((lineno, line, fields))
                self.first_row = None
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

    def _before_data(self, lineno: int, line: str, fields: list[str] | None, quoted: list[bool] | None) -> None:
        """Lines before the first data row: the header is the latest text line whose columns match it."""
        sep = guess_separator(line)
        if fields is None:
            fields = split(line, sep)
        numeric = [_is_number(f) for f in fields]
        header = next(
            (c for c in reversed(self.candidates)
             if len(c.fields) == len(fields) and c.sep == sep and not all(_is_number(f) for f in c.fields)),
            None,
        )
        # a row with text cells (a label column) is data under a matching header; in prose split on blanks
        # ('baudrate is : 115200') most words are not numbers
        mixed = any(numeric) and (sep is not None or 2 * sum(numeric) >= len(numeric))
        if not (all(numeric) or (mixed and header is not None)):
            self.candidates.append(_Candidate(line, fields, quoted, sep))
            if len(self.candidates) > _MAX_CANDIDATES:
                del self.candidates[0]
                self.skipped["noise"] += 1
            return
        if self.options.axes is not None and header is None and len(self.options.axes) != len(fields) \
                and not self.skipped["truncated"]:
            self.skipped["truncated"] += 1  # the first reading, cut short by the serial link
            return
        # every text line before the data but the header is chatter: a 'Script started' line, a boot banner
        self.skipped["noise"] += len(self.candidates) - (header is not None)
        if header is not None:
            self.layout = layout(header.fields, sep, header.quoted)
            self.header_line = header.line
            if self.options.axes is not None:
                self.notes.append("names given for the axes are not used: the file has a header row")
        else:
            self.layout = self._headerless(len(fields), sep)
        self.first_row = (self.candidates, self.skipped["noise"])
        self.candidates = []
        self.batch_meta.append((lineno, line, fields if quoted is not None else None))

    def _first_row_was_cut(
        self, lineno: int, line: str, fields: list[str] | None, quoted: list[bool] | None
    ) -> None:
        """The first data row disagrees with the second: a line the serial link cut short, as a log's first
        line often is. It is skipped and the layout is decided again from the second row."""
        assert self.first_row is not None
        self.candidates, self.skipped["noise"] = self.first_row
        self.first_row = None
        self.batch_meta = []
        self.layout = None
        self.header_line = None
        self.skipped["truncated"] += 1
        self._before_data(lineno, line, fields, quoted)
        self.first_row = None  # the decision is final now

    def _headerless(self, columns: int, sep: str | None) -> Layout:
        names = self.options.axes
        if names is None:
            self.unnamed = True
            return named_layout([f"axis{i + 1}" for i in range(columns)], sep)
        if len(names) != columns:
            raise UserError(f"{self.path.name} has {columns} columns but {len(names)} axis names were given")
        return named_layout(list(names), sep)

    def _flush_batch(self) -> None:
        if not self.batch_meta:
            return
        lay = self.layout
        assert lay is not None
        lines = self.batch_meta
        self.batch_meta = []
        if self.spool is None:  # first data row: now we know which columns hold text
            first = lines[0][2] if lines[0][2] is not None else split(lines[0][1], lay.separator)
            lay.drop_text_columns(first, _is_number)
            if self.unnamed and lay.time_col is None and lay.value_cols and lay.value_cols[0] == 0:
                note = adopt_clock(lay, _first_column(lines, lay.separator))
                if note:
                    self.notes.append(note)
            if lay.time_col is not None and not _is_number(first[lay.time_col]) \
                    and clock_seconds(first[lay.time_col]) is not None:
                lay.time_text, lay.time_scale = True, 1.0
            self.spool = Spool(len(lay.value_cols))
        ncols = len(lay.columns)
        ignored = {lay.columns.index(name) for name in lay.ignored}
        text_cols = {c for c in (lay.label_col, lay.group_col) if c is not None} | ignored
        numeric_cols = [c for c in range(ncols) if c not in text_cols]
        any_quoted = any(f is not None for _, _, f in lines)
        table = None
        if not text_cols and not any_quoted and not lay.time_text:
            table = _fast_parse([ln for _, ln, _ in lines], lay.separator, ncols)
        rows: list[tuple[int, list[str]]] = []
        if table is None:
            rows = [(n, f if f is not None else split(ln, lay.separator)) for n, ln, f in lines]
            if lay.time_text:
                rows = [(n, self._clock_as_number(n, f)) for n, f in rows]
            try:
                table = np.array([[r[1][c] for c in numeric_cols] for r in rows], dtype=np.float64)
            except ValueError:
                table, rows = self._strict_rows(rows, numeric_cols)
                if not rows:
                    return
        linenos = [r[0] for r in rows] if rows else [n for n, _, _ in lines]
        source = table[:, [numeric_cols.index(c) for c in lay.value_cols]]
        values = nonfinite.to_float32(source)
        count, change = nonfinite.rounded(source, values)
        if count:
            self.rounded = (self.rounded[0] + count, max(self.rounded[1], change))
        times = table[:, numeric_cols.index(lay.time_col)] if lay.time_col is not None else None
        keep = self._finite_rows(values, times, linenos, rows or None, lines)
        labels = [r[1][lay.label_col] for r in rows] if lay.label_col is not None else None
        groups = [r[1][lay.group_col] for r in rows] if lay.group_col is not None else None
        self._add_rows(values, times, keep, labels, groups)

    def _clock_as_number(self, lineno: int, fields: list[str]) -> list[str]:
        """The row with its clock (a date or a time of day) as seconds; a row without one is an error."""
        lay = self.layout
        assert lay is not None and lay.time_col is not None
        if lay.time_col >= len(fields):
            return fields
        clock = clock_seconds(fields[lay.time_col])
        if clock is None:
            raise UserError(
                f"{self.path.name}, line {lineno}: column {lay.columns[lay.time_col]!r} holds "
                f"{fields[lay.time_col][:40]!r}, which is not a date or time like the rows before it"
            )
        if self.clock_origin is None:
            self.clock_origin = clock[0]
        seconds = (clock[0] - self.clock_origin) * 86400 + clock[1]  # from the first row's day
        return [*fields[: lay.time_col], repr(seconds), *fields[lay.time_col + 1 :]]

    def _finite_rows(
        self, values: np.ndarray, times: np.ndarray | None, linenos: list[int],
        rows: list[tuple[int, list[str]]] | None, lines: list[_Row],
    ) -> np.ndarray | None:
        """Rows to keep (None = all): a non-finite value is refused, or its row dropped when asked."""
        bad = nonfinite.bad_rows(values)
        if times is not None:
            bad |= ~np.isfinite(times)
        if not bad.any():
            return None
        if self.options.drop_nonfinite:
            self.skipped[nonfinite.SKIP_KEY] += int(bad.sum())
            return ~bad
        lay = self.layout
        assert lay is not None
        i = int(np.argmax(bad))
        if times is not None and not np.isfinite(times[i]):
            col = lay.time_col
        else:
            col = lay.value_cols[int(np.argmax(~np.isfinite(values[i])))]
        assert col is not None
        fields = rows[i][1] if rows is not None else split(lines[i][1], lay.separator)
        raise nonfinite.refusal(f"{self.path.name}, line {linenos[i]}", lay.columns[col], fields[col])

    def _add_rows(
        self, values: np.ndarray, times: np.ndarray | None, keep: np.ndarray | None,
        labels: list[str] | None, groups: list[str] | None,
    ) -> None:
        assert self.spool is not None
        start = 0
        n = values.shape[0]
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
            block = values[start:end] if keep is None else values[start:end][keep[start:end]]
            self.spool.append(block)
            seg.frames += block.shape[0]
            if times is not None:
                t = times[start:end]
                t = t[np.isfinite(t)]
                if len(t):
                    if seg.t_first is None:
                        seg.t_first = float(t[0])
                    if (seg.t_prev is not None and t[0] <= seg.t_prev) or (len(t) > 1 and np.any(np.diff(t) <= 0)):
                        seg.backwards = True
                    seg.steps.append(np.diff(t, prepend=seg.t_prev) if seg.t_prev is not None else np.diff(t))
                    seg.t_prev = seg.t_last = float(t[-1])
                    seg.timed += len(t)
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
            if self.candidates:
                raise UserError(f"{self.path.name} has a header but no data rows")
            raise UserError(f"{self.path.name} is empty")
        segments = [s for s in self.segments if s.frames > 0]
        if not segments or self.spool is None:
            if self.skipped[nonfinite.SKIP_KEY]:
                raise UserError(f"{self.path.name}: every data row holds a non-finite value")
            raise UserError(f"{self.path.name} has a header but no data rows")
        rates = self._rates(segments)  # may add a note
        if self.rounded[0]:
            self.notes.append(nonfinite.rounding_note(*self.rounded))
        notes = list(self.notes)
        if self.layout.ignored:
            notes.append(f"text column(s) left out of the signal: {', '.join(self.layout.ignored)}")
        recordings = []
        for seg, rate in zip(segments, rates, strict=True):
            recordings.append(
                Recording(
                    spool=self.spool,
                    start=seg.start,
                    frames=seg.frames,
                    rate_hz=rate,
                    axis_names=list(self.layout.axis_names),
                    units=list(self.layout.units),
                    label=seg.label,  # '' from an empty label cell: explicitly unlabelled
                    group=seg.group or None,
                    name=self.path.name,
                    notes=list(notes),
                )
            )
        return recordings, {k: v for k, v in self.skipped.items() if v or k != nonfinite.SKIP_KEY}

    def _rates(self, segments: list[_Segment]) -> list[float | None]:
        """Each segment's rate; a segment of one timed row (a label on a single row, as at a transition)
        takes the rate of the rest of the file, whose clock it shares, instead of refusing the file."""
        if self.options.rate_hz:
            return [self.options.rate_hz] * len(segments)
        single = [seg.timed < 2 and seg.t_first is not None for seg in segments]
        rates = [None if one else self._rate(seg) for seg, one in zip(segments, single, strict=True)]
        known = [r for r in rates if r]
        if any(single):
            if not known:
                self._rate(segments[single.index(True)])  # one line naming the problem
            shared = float(np.median(known))
            rates = [shared if one else r for r, one in zip(rates, single, strict=True)]
            self.notes.append(f"{sum(single)} stretch(es) of a single row took the rate of the rest of the file")
        return rates

    def _rate(self, seg: _Segment) -> float | None:
        lay = self.layout
        assert lay is not None
        if lay.time_col is None or seg.t_first is None or seg.t_last is None:
            return None
        if seg.timed < 2 and not self.options.rate_hz:
            raise UserError(f"{self.path.name}: one timed row cannot give a sample rate from its "
                            f"{lay.columns[lay.time_col]!r} column: record longer, or pass --rate HZ")
        if seg.backwards:
            raise UserError(
                f"{self.path.name}: the {lay.columns[lay.time_col]!r} column does not increase; "
                "pass the rate with --rate"
            )
        name = lay.columns[lay.time_col]
        steps = np.concatenate(seg.steps)
        typical = float(np.median(steps))
        pauses = steps > PAUSE_STEPS * typical
        if pauses.any():  # counted into the span, a pause made 100 Hz read as 0.004 Hz, or 96.8 Hz
            scale = lay.time_scale or scale_from_values(name, seg.t_first, typical)
            longest = float(steps.max()) * scale
            self.notes.append(
                f"the {name!r} column jumps {int(pauses.sum())} time(s), by up to {longest:.4g} s (a pause, or "
                "readings lost): the rate is taken from the steps between the jumps"
            )
            steps = steps[~pauses]
            rate = len(steps) / (float(steps.sum()) * scale)
        else:
            span = seg.t_last - seg.t_first
            scale = lay.time_scale or scale_from_values(name, seg.t_first, span / (seg.timed - 1))
            rate = (seg.timed - 1) / (span * scale)
        guessed_ms = lay.time_scale is None and scale == 1e-3 and name.lower() != "timestamp"
        if guessed_ms and abs(seg.t_first) < 1e11 and rate >= 1.0:
            # whole numbers in a column named only 'time' or 't': Arduino's millis(), or a slow logger's
            # seconds; read as milliseconds, so say so with the way out (1 Hz read as 1000 Hz otherwise)
            note = (f"the {name!r} column has no unit and was read as milliseconds ({rate:.4g} Hz); if it counts "
                    f"seconds, pass --rate {rate / 1000:.4g} or name the column '{name}_s'")
            if note not in self.notes:
                self.notes.append(note)
        return limits.sample_rate(f"{self.path.name}: the rate from the {name!r} column", rate)
