"""What each CSV column is, from the header: signal axes with units, a clock, a label and a group column.

Header cells: ``name``, ``name[unit]`` or ``name (unit)``. A clock is named like ``timestamp``, ``t_ms``
or ``millis()``; a label column ``label``/``class``/..., a group column ``group``/``subject``/....
A cell with a unit in square brackets that is empty or not a time unit (``t[]``, ``label[]``, ``t[°C]``)
is always a signal axis: that is how an export keeps an axis whose name looks like a clock, label or group.
A quoted cell is taken literally (blanks kept) and only ``name[unit]`` splits off a unit, except a clock
with its time unit in parentheses (``"Time (s)"``), as phone apps write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from tinystudio.core.errors import UserError

_UNIT = re.compile(r"^(.*?)\s*([\[(])([^\])]*)[\])]\s*$", re.S)
_QUOTED_UNIT = re.compile(r"^(.*)(\[)([^\[\]]*)\]$", re.S)
_BRACKETED = re.compile(r"^.*\[[^\[\]]*\]$", re.S)
_TIME_COLUMN = re.compile(
    r"^(time|timestamp|ts|t|millis|micros|elapsed|seconds_elapsed|time_elapsed|ms|us)"
    r"(?:[ _-]?(ms|us|µs|ns|s|sec|secs|seconds|millis|micros|nanos))?(?:\(\))?$"
)
SCALES = {
    "ms": 1e-3, "millis": 1e-3, "us": 1e-6, "µs": 1e-6, "micros": 1e-6, "ns": 1e-9, "nanos": 1e-9,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "seconds": 1.0, "seconds_elapsed": 1.0, "time_elapsed": 1.0,
}
_LABEL_NAMES = {"label", "class", "category", "activity", "gesture"}
_GROUP_NAMES = {"group", "subject", "person", "session", "participant", "user", "subject_id", "user_id"}


@dataclass(frozen=True)
class Cell:
    """One header cell read: its name, unit and role ('signal', 'time', 'label' or 'group')."""

    name: str
    unit: str
    role: str


def header_cell(text: str, quoted: bool = False) -> Cell:
    """Read one header cell (see the module docstring for the rules)."""
    m = (_QUOTED_UNIT if quoted else _UNIT).match(text)
    if m is None:
        name, unit, explicit = (text if quoted else text.strip().strip('"')), "", False
    else:
        name = m.group(1) if quoted else m.group(1).strip().strip('"')
        unit = m.group(3).strip()
        explicit = m.group(2) == "[" or bool(unit)  # 'millis()' is a clock, 'x[]' a signal
    low = name.lower()
    if _TIME_COLUMN.match(low) and (not explicit or unit.lower() in SCALES):
        return Cell(name, unit, "time")
    if quoted and m is None and (clock := _UNIT.match(text)) and clock.group(2) == "(":
        # a clock quoted with its unit in parentheses, as phone apps and R write it: '"Time (s)"'
        clock_name, clock_unit = clock.group(1).strip(), clock.group(3).strip()
        if _TIME_COLUMN.match(clock_name.lower()) and clock_unit.lower() in SCALES:
            return Cell(clock_name, clock_unit, "time")
    if not explicit and low in _LABEL_NAMES:
        return Cell(name, unit, "label")
    if not explicit and low in _GROUP_NAMES:
        return Cell(name, unit, "group")
    return Cell(name, unit, "signal")


@dataclass
class Layout:
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
    time_text: bool = False  # the clock is written as dates or times of day ('10:00:00.125'), read as seconds

    def drop_text_columns(self, first_row: list[str], is_number: object) -> None:
        """Columns whose first value is text (a date, a device name) are kept out of the signal."""
        text = [i for i in self.value_cols if not is_number(first_row[i])]  # type: ignore[operator]
        if not text or len(text) == len(self.value_cols):
            return
        self.ignored = [self.columns[i] for i in text]
        keep = [k for k, i in enumerate(self.value_cols) if i not in text]
        self.value_cols = [self.value_cols[k] for k in keep]
        self.axis_names = [self.axis_names[k] for k in keep]
        self.units = [self.units[k] for k in keep]


def time_scale(name: str, unit: str) -> float | None:
    """Seconds per unit of a time column, from its [unit] or its name; None when only values can tell."""
    if unit.lower() in SCALES:
        return SCALES[unit.lower()]
    m = _TIME_COLUMN.match(name.lower())
    if m is None:
        return None
    base, suffix = m.group(1), m.group(2)
    if suffix:
        return SCALES[suffix]
    return SCALES.get(base)


def scale_from_values(name: str, first: float, step: float) -> float:
    """Guess a time unit: epoch timestamps by magnitude, else Arduino-style integer millis, else seconds."""
    for threshold, scale in ((1e17, 1e-9), (1e14, 1e-6), (1e11, 1e-3), (1e8, 1.0)):
        if abs(first) >= threshold:
            return scale
    if name.lower() == "timestamp" or (step >= 1 and float(first).is_integer()):
        return 1e-3
    return 1.0


def layout(header: list[str], sep: str | None, quoted: list[bool] | None = None) -> Layout:
    """The layout of a header row (``quoted`` tells which cells were quoted)."""
    cells = [header_cell(h, bool(quoted and quoted[i])) for i, h in enumerate(header)]
    names = [c.name for c in cells]
    units = [c.unit for c in cells]
    time_cols = [i for i, c in enumerate(cells) if c.role == "time"]
    if not time_cols and units and units[0].lower() in SCALES:
        time_cols = [0]
    # an export's header: its clock 'timestamp' first, and an axis named like a clock quoted with its unit
    # in square brackets ('"Time[s]"'), which must stay an axis (and not take over as the clock)
    kept = [i for i in time_cols if i > 0 and quoted and quoted[i] and _BRACKETED.match(header[i])]
    exported = bool(kept) and time_cols[0] == 0 and header[0] == "timestamp" and not (quoted and quoted[0])
    if exported:
        time_cols = [i for i in time_cols if i not in kept]
        for i in kept:
            cells[i] = Cell(cells[i].name, cells[i].unit, "signal")
    # several clocks (e.g. epoch time and seconds elapsed): the one with a known unit wins
    time_col = 0 if exported else next((i for i in time_cols if time_scale(names[i], units[i]) is not None), None)
    if time_col is None and time_cols:
        time_col = time_cols[0]
    label_col = next((i for i, c in enumerate(cells) if c.role == "label"), None)
    group_col = next((i for i, c in enumerate(cells) if c.role == "group"), None)
    special = {*time_cols, label_col, group_col}
    value_cols = [i for i in range(len(names)) if i not in special]
    if not value_cols:
        raise UserError("the header names no signal columns")
    scale = time_scale(names[time_col], units[time_col]) if time_col is not None else None
    used: set[str] = set()
    axis_names = []
    for i in value_cols:
        name = names[i] or f"axis{i + 1}"
        while name in used:
            name += "_"
        used.add(name)
        axis_names.append(name)
    return Layout(
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


def named_layout(names: list[str], sep: str | None) -> Layout:
    """The layout of a file without a header row whose columns the user named (``--axes``)."""
    return layout(names, sep, [True] * len(names))


def adopt_clock(lay: Layout, first_column: np.ndarray) -> str | None:
    """Make column 0 of a file without a header the clock when it reads as one, as capture does with a
    sketch's millis(): whole numbers rising in steady steps. Left an axis, it was a ramp the model learnt
    from (time since power-up differs per recording). Returns the note saying how it was read."""
    col = first_column[np.isfinite(first_column)]
    if len(lay.value_cols) < 2 or col.size < 4 or not np.all(col == np.round(col)):
        return None
    steps = np.diff(col)
    typical = float(np.median(steps)) if steps.size else 0.0
    if typical <= 0 or np.any(steps <= 0) or np.mean(np.abs(steps - typical) <= 0.5 * typical) < 0.9:
        return None
    unit, scale = ("microseconds", 1e-6) if typical >= 10_000 and abs(col[0]) < 1e11 else ("milliseconds", 1e-3)
    if abs(col[0]) >= 1e11:  # an epoch clock: its magnitude says the unit
        unit, scale = next((u, s) for limit, u, s in _EPOCH_UNITS if abs(col[0]) >= limit)
    lay.time_col, lay.time_scale = 0, scale
    lay.value_cols, lay.axis_names, lay.units = lay.value_cols[1:], lay.axis_names[1:], lay.units[1:]
    return (f"the first column rises in steady steps of {typical:g}: read as a clock in {unit}, not as an axis; "
            "name the columns with --axes to read it otherwise")


_EPOCH_UNITS = ((1e17, "nanoseconds", 1e-9), (1e14, "microseconds", 1e-6), (1e11, "milliseconds", 1e-3))
