"""Line-stream parsing for capture from any sketch: one reading per line, numbers split by comma, tab or
spaces, or Arduino Serial Plotter ``name:value`` pairs. Detects the column layout (axis count, names, a
device timestamp column), parses whole chunks of lines at once with numpy, and counts what it skips."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from tinystudio.device.rate import RateEstimator

MAX_LINE = 16384
"""Longer lines are garbage (wrong baud, binary output): skipped and counted as malformed."""

LOCK_LINES = 3
"""Consecutive lines with the same shape needed before the layout is trusted."""

LOCK_SPAN_S = 0.25
"""Arrival-time span the layout detection waits for (to judge a timestamp column), unless lines pile up."""

LOCK_MAX_LINES = 5000
"""Lock without the time span once this many agreeing lines arrived (data sent in a burst)."""

CR_LINES = 3
"""Carriage returns, without any line feed, that show a device ending its lines with CR alone."""

RELAYOUT_LINES = 50
"""Consecutive lines of one new shape after which the layout is re-detected (when allowed)."""

_SEPARATORS = bytes.maketrans(b",\t;\r", b"    ")
_NAME_RE = re.compile(rb"([A-Za-z_][A-Za-z0-9_.\-]*)\s*:")
_SPLIT_RE = re.compile(rb"[,\t; ]+")
_IDENT_RE = re.compile(rb"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[np.frombuffer(b"0123456789.+-eE \n", dtype=np.uint8)] = True

_TS_NAMES = {
    "t": None, "time": None, "ts": None, "timestamp": None, "stamp": None,
    "ms": 1e3, "millis": 1e3, "t_ms": 1e3, "time_ms": 1e3, "timestamp_ms": 1e3,
    "us": 1e6, "micros": 1e6, "t_us": 1e6, "time_us": 1e6, "timestamp_us": 1e6,
}  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """The shape of every valid line: how many numbers, their names, and which one is a device clock."""

    columns: int
    names: tuple[str, ...] | None = None
    header: tuple[str, ...] | None = None
    timestamp: int | None = None
    ts_unit: float | None = None  # ticks per second of the timestamp column (1e3 millis, 1e6 micros)

    @property
    def axes(self) -> int:
        """Number of signal axes (the timestamp column is not an axis)."""
        return self.columns - (1 if self.timestamp is not None else 0)

    @property
    def axis_names(self) -> list[str]:
        """Names from Serial Plotter pairs or a header line, else axis1..axisN."""
        names = self.names or self.header
        if names is None:
            names = tuple(f"axis{i + 1}" for i in range(self.columns))
        return [n for i, n in enumerate(names) if i != self.timestamp]

    def signature(self) -> tuple[int, tuple[str, ...] | None]:
        return (self.columns, self.names)


@dataclass
class StreamStats:
    """Counters shown to the user: good lines, skipped ones by reason, and lines the device lost."""

    lines: int = 0
    malformed: int = 0
    wrong_count: int = 0
    nonfinite: int = 0
    too_long: int = 0
    bytes: int = 0

    @property
    def skipped(self) -> int:
        return self.malformed + self.wrong_count + self.nonfinite + self.too_long


@dataclass
class Batch:
    """Rows parsed from one chunk: signal values (n, axes) without the timestamp column."""

    values: np.ndarray
    layout_changed: bool = False
    notes: list[str] = field(default_factory=list)
    previous: np.ndarray | None = None  # rows in the old layout that came before a layout change


def parse_line(line: bytes) -> tuple[tuple[str, ...] | None, list[float]] | str | None:
    """Parse one line into (names or None, values); a str says why it is malformed; None for blank."""
    s = line.strip()
    if not s:
        return None
    if b":" in s:
        names: list[str] = []
        values: list[float] = []
        for tok in _SPLIT_RE.split(s):
            if not tok:
                continue
            name, sep, val = tok.partition(b":")
            if not sep or not _IDENT_RE.match(name.strip()):
                return "malformed"
            try:
                values.append(float(val))
            except ValueError:
                return "malformed"
            names.append(name.strip().decode("ascii"))
        if not values:
            return "malformed"
        return tuple(names), values
    try:
        vals = [float(t) for t in _SPLIT_RE.split(s) if t]
    except ValueError:
        return "malformed"
    return None, vals


def _header_names(line: bytes) -> tuple[str, ...] | None:
    toks = [t for t in _SPLIT_RE.split(line.strip()) if t]
    if toks and all(_IDENT_RE.match(t) for t in toks):
        return tuple(t.decode("ascii") for t in toks)
    return None


class LineStream:
    """Turns raw serial bytes into rows. Feed chunks with their arrival time; read ``layout`` and ``rate``.

    The first line after opening is discarded (it is usually cut in half). Until the layout is known,
    lines are held back; once it is, every valid line is returned exactly once, in order.
    """

    def __init__(self, allow_relayout: bool = True) -> None:
        self.stats = StreamStats()
        self.layout: Layout | None = None
        self.rate = RateEstimator()
        self.allow_relayout = allow_relayout
        self._pending = b""
        self._lf_seen = False
        self._cr_lines = False  # lines end with CR alone (sensor modules such as Atlas Scientific's EZO)
        self._first = True
        self._skipping_long = False
        self._candidates: list[tuple[tuple[int, tuple[str, ...] | None], list[float], float]] = []
        self._header: tuple[str, ...] | None = None
        self._other_sig: tuple[int, tuple[str, ...] | None] | None = None
        self._other_run: list[tuple[list[float], float]] = []
        self.notes: list[str] = []

    # -- bytes to complete lines ---------------------------------------------------------------

    def feed(self, data: bytes, now: float) -> Batch:
        """Consume a chunk of bytes that arrived at ``now`` (monotonic seconds)."""
        self.stats.bytes += len(data)
        buf = self._pending + data
        if not self._lf_seen:
            if b"\n" in buf:
                self._lf_seen = True
            elif buf.count(b"\r") >= CR_LINES:  # lines ended by a carriage return alone
                self._cr_lines, self._lf_seen = True, True
        if self._cr_lines:
            buf = buf.replace(b"\r", b"\n")
        if self._first or self._skipping_long:
            cut = buf.find(b"\n")
            if cut < 0:
                self._pending = b"" if len(buf) > MAX_LINE else buf
                if len(buf) > MAX_LINE and not self._first and not self._skipping_long:
                    self.stats.too_long += 1
                return self._empty()
            if self._skipping_long:
                self.stats.too_long += 1
            self._first = False
            self._skipping_long = False
            buf = buf[cut + 1 :]
        end = buf.rfind(b"\n")
        if end < 0:
            self._pending = buf
            if len(buf) > MAX_LINE:
                self._pending = b""
                self._skipping_long = True
            return self._empty()
        block, self._pending = buf[: end + 1], buf[end + 1 :]
        if len(self._pending) > MAX_LINE:
            self._pending = b""
            self._skipping_long = True
        return self._lines(block, now)

    def _empty(self) -> Batch:
        return Batch(np.empty((0, self.layout.axes if self.layout else 0)))

    # -- complete lines to rows ----------------------------------------------------------------

    def _lines(self, block: bytes, now: float) -> Batch:
        if self.layout is None:
            return self._detect(block.split(b"\n"), now)
        rows = self._fast(block)
        if rows is None:
            rows = self._slow(block.split(b"\n"), now)
            if isinstance(rows, Batch):
                return rows
        return self._emit(rows, now)

    def _emit(self, rows: np.ndarray, now: float, changed: bool = False) -> Batch:
        layout = self.layout
        assert layout is not None
        if rows.shape[0] == 0:
            return Batch(np.empty((0, layout.axes)), changed, self._take_notes())
        stamps = None
        if layout.timestamp is not None:
            stamps = rows[:, layout.timestamp]
            rows = np.delete(rows, layout.timestamp, axis=1)
        self.stats.lines += rows.shape[0]
        self.rate.add(rows.shape[0], now, stamps)
        return Batch(rows, changed, self._take_notes())

    def _take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def _fast(self, block: bytes) -> np.ndarray | None:
        """Parse a block of complete lines at once; None means 'odd lines inside, go line by line'."""
        layout = self.layout
        assert layout is not None
        text = block.translate(_SEPARATORS)
        if layout.names is not None:
            found = set(_NAME_RE.findall(text))
            if not found or any(n.decode("ascii") not in layout.names for n in found):
                return None
            text = _NAME_RE.sub(b" ", text)
        arr = np.frombuffer(text, dtype=np.uint8)
        if not _ALLOWED[arr].all():
            return None
        newline = arr == 10
        blank = (arr == 32) | newline
        starts = ~blank
        starts[1:] &= blank[:-1]
        line_of = np.cumsum(newline) - newline
        nlines = int(newline.sum())
        counts = np.bincount(line_of[starts], minlength=nlines)
        good = counts == layout.columns
        if layout.names is not None and not good.all():
            return None  # a plotter line with fewer pairs may carry other names: check each
        ngood = int(good.sum())
        wrong = int(((counts != 0) & ~good).sum())
        if wrong:
            if self._other_sig is not None or self.allow_relayout:
                return None  # track a possible change of column count line by line
            text = arr[good[line_of]].tobytes()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                values = np.fromstring(text, dtype=np.float64, sep=" ")
            except (DeprecationWarning, ValueError):
                return None
        if values.size != ngood * layout.columns:
            return None
        self.stats.wrong_count += wrong
        self._other_sig, self._other_run = None, []
        rows = values.reshape(ngood, layout.columns)
        finite = np.isfinite(rows).all(axis=1)  # 1e999 or a long run of digits overflows to inf
        if not finite.all():
            self.stats.nonfinite += int(rows.shape[0] - finite.sum())
            rows = rows[finite]
        return rows

    def _slow(self, lines: list[bytes], now: float) -> np.ndarray | Batch:
        layout = self.layout
        assert layout is not None
        sig = layout.signature()
        out: list[list[float]] = []
        for i, line in enumerate(lines):
            parsed = self._classify(line)
            if parsed is None:
                continue
            psig, values = parsed
            if psig == sig:
                out.append(values)
                self._other_sig, self._other_run = None, []
                continue
            self.stats.wrong_count += 1
            if psig != self._other_sig:
                self._other_sig, self._other_run = psig, []
            self._other_run.append((values, now))
            if self.allow_relayout and len(self._other_run) >= RELAYOUT_LINES:
                before = self._emit(np.array(out, dtype=np.float64).reshape(-1, layout.columns), now)
                batch = self._relayout(before, now)
                rest = [ln for ln in lines[i + 1 :] if ln]
                if rest:
                    more = self._lines(b"\n".join(rest) + b"\n", now)
                    if more.values.shape[1] == batch.values.shape[1]:
                        batch.values = np.concatenate((batch.values, more.values))
                    batch.notes += more.notes
                return batch
        return np.array(out, dtype=np.float64).reshape(-1, layout.columns)

    def _relayout(self, before: Batch, now: float) -> Batch:
        """The sketch changed its output: adopt the new shape (lines already counted as wrong stay so)."""
        assert self._other_sig is not None and self.layout is not None
        old = self.layout.columns
        columns, names = self._other_sig
        run = self._other_run
        self._other_sig, self._other_run = None, []
        self.layout = Layout(columns=columns, names=names)
        self.rate = RateEstimator()
        self.notes.append(f"the board changed from {old} to {columns} values per line: axes re-detected")
        self.stats.wrong_count -= len(run)
        rows = np.array([v for v, _ in run], dtype=np.float64).reshape(-1, columns)
        batch = self._emit(rows, now, changed=True)
        batch.notes = before.notes + batch.notes
        batch.previous = before.values
        return batch

    def _classify(self, line: bytes) -> tuple[tuple[int, tuple[str, ...] | None], list[float]] | None:
        """Parse one line and count it if bad; returns (signature, values) for a usable line."""
        if len(line) > MAX_LINE:
            self.stats.too_long += 1
            return None
        parsed = parse_line(line)
        if parsed is None:
            return None
        if isinstance(parsed, str):
            if self.layout is None and self._header is None and not self._candidates:
                header = _header_names(line)
                if header is not None:
                    self._header = header
            self.stats.malformed += 1
            return None
        names, values = parsed
        if not all(np.isfinite(values)):
            self.stats.nonfinite += 1
            return None
        return (len(values), names), values

    # -- layout detection ----------------------------------------------------------------------

    def _detect(self, lines: list[bytes], now: float) -> Batch:
        for line in lines:
            parsed = self._classify(line)
            if parsed is None:
                continue
            sig, values = parsed
            self._candidates.append((sig, values, now))
        if len(self._candidates) > 4 * LOCK_MAX_LINES:
            dropped = len(self._candidates) - 4 * LOCK_MAX_LINES
            self.stats.wrong_count += dropped
            self._candidates = self._candidates[dropped:]
        if not self._candidates:
            return self._empty()
        tally = Counter(c[0] for c in self._candidates)
        best = max(tally, key=lambda s: tally[s])
        chosen = [c for c in self._candidates if c[0] == best]
        if len(chosen) < LOCK_LINES:
            return self._empty()
        span = chosen[-1][2] - chosen[0][2]
        if span < LOCK_SPAN_S and len(chosen) < LOCK_MAX_LINES:
            return self._empty()
        self.stats.wrong_count += len(self._candidates) - len(chosen)
        self._candidates = []
        columns, names = best
        rows = np.array([c[1] for c in chosen], dtype=np.float64)
        times = np.array([c[2] for c in chosen])
        header = self._header if self._header is not None and len(self._header) == columns else None
        if header is not None:
            self.stats.malformed -= 1  # the header line was counted as malformed until it proved useful
        ts, unit = _find_timestamp(rows, times, names or header)
        self.layout = Layout(columns=columns, names=names, header=header, timestamp=ts, ts_unit=unit)
        self.rate = RateEstimator(unit)
        # feed the held-back lines grouped by arrival time, so rate counting sees real chunks
        out: list[np.ndarray] = []
        for t in np.unique(times):
            out.append(self._emit(rows[times == t], float(t)).values)
        values = np.concatenate(out) if out else np.empty((0, self.layout.axes))
        return Batch(values, True, self._take_notes())


def _find_timestamp(
    rows: np.ndarray, times: np.ndarray, names: tuple[str, ...] | None
) -> tuple[int | None, float | None]:
    """Decide whether column 0 is a device clock (millis or micros) and its ticks per second."""
    if rows.shape[1] < 2:
        return None, None
    col = rows[:, 0]
    increasing = bool(np.all(np.diff(col) >= 0) and col[-1] > col[0])
    if names is not None:
        key = names[0].lower()
        if key in _TS_NAMES and increasing:
            unit = _TS_NAMES[key]
            return 0, unit if unit is not None else _unit_from_clock(col, times)
        return None, None
    if not increasing or not np.all(col == np.round(col)):
        return None, None
    unit = _unit_from_clock(col, times)
    return (0, unit) if unit is not None else (None, None)


def _unit_from_clock(col: np.ndarray, times: np.ndarray) -> float | None:
    """Compare the device clock with the host clock: about 1e3 ticks/s is millis, 1e6 is micros."""
    host = float(times[-1] - times[0])
    if host < LOCK_SPAN_S * 0.8:
        return None
    ratio = float(col[-1] - col[0]) / host
    for unit in (1e3, 1e6):
        if unit / 3 <= ratio <= unit * 3:
            return unit
    return None
