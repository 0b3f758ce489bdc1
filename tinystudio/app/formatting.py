"""How figures are shown to people (bytes, percentages, counts, durations, latencies), in one place
so that the CLI and the GUI print the same number the same way."""

from __future__ import annotations

from typing import Any

MISSING = "-"


def fmt_bytes(n: int | None) -> str:
    """``812 B`` below one KiB, ``12.3 KB`` above; ``-`` when unknown."""
    if n is None:
        return MISSING
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


def fmt_percent(value: Any) -> str:
    """A share (0.923) as ``92.3%``; ``-`` when it is not a number (unknown or not measured)."""
    return f"{value:.1%}" if isinstance(value, int | float) and not isinstance(value, bool) else MISSING


def fmt_points(change: float | None) -> str:
    """A change of a share in percentage points, signed (``+1.2``, ``-0.8``); ``-`` when unknown."""
    return MISSING if change is None else f"{change * 100:+.1f}"


def fmt_count(n: int | float) -> str:
    """A whole count with thousands separators (parameters, MACs, operations, instructions)."""
    return f"{n:,}" if isinstance(n, int) else f"{n:,.0f}"


def fmt_seconds(seconds: float) -> str:
    """A position or length in a recording, to the hundredth of a second (``1.25 s``)."""
    return f"{seconds:.2f} s"


def fmt_span(start_s: float, end_s: float) -> str:
    """A stretch of a recording (``0.50-1.25 s``)."""
    return f"{start_s:.2f}-{end_s:.2f} s"


def fmt_latency(mean: float, unit: str, worst: int | float | None = None) -> str:
    """A measured latency in the counter's own unit (cycles, instructions or microseconds):
    ``1,234 instructions`` or ``mean 1,234, worst 1,300 instructions``."""
    if worst is None:
        return f"{mean:,.0f} {unit}"
    return f"mean {mean:,.0f}, worst {fmt_count(worst)} {unit}"


def fmt_duration(count: float, unit: str, clock_hz: float | None) -> str:
    """What a count of cycles or instructions means in milliseconds at the board's clock: exact for true
    cycles; for emulated instructions an estimate (one instruction taken as one cycle), labelled so. Empty
    when the reading is already a time (microseconds) or no clock is known."""
    if "second" in unit or not clock_hz:  # already a time, or no clock to convert with
        return ""
    ms = count / clock_hz * 1000
    if "instruction" in unit:
        return f"≈ {ms:.3g} ms at {clock_hz / 1e6:g} MHz (estimate)"
    return f"{ms:.3g} ms at {clock_hz / 1e6:g} MHz"


_PLACEMENT = {"in memory at launch": "in the board's memory", "streamed": "streamed over the link"}
_TIME_PARTS = ("build", "boot", "transfer", "compute")


def fmt_test_transfer(results: dict[str, Any]) -> str | None:
    """How a stored result's test windows travelled and where its time went, in one line the CLI and the
    Deploy page share: ``Test set: 1,000 windows in the board's memory (int16, 768 B each, pipelined) ·
    5.3 s: build 0.0, boot 0.2, transfer 2.6, compute 1.0``. None for results stored before the deploy
    recorded either, so an old result shows nothing rather than a row of dashes."""
    how, t = results.get("transfer"), results.get("timing") or {}
    parts = []
    if how:
        n = results.get("windows")
        count = f"{fmt_count(n)} windows " if isinstance(n, int) else "windows "
        detail = [str(how["format"]), f"{fmt_bytes(how['bytes_per_window'])} each"]
        if how.get("pipelined"):
            detail.append("pipelined")
        placement = _PLACEMENT.get(how["test_set"], how["test_set"])
        parts.append(f"Test set: {count}{placement} ({', '.join(detail)})")
    if all(f"{p}_seconds" in t for p in _TIME_PARTS) and "total_seconds" in t:
        split = ", ".join(f"{p} {t[f'{p}_seconds']:.1f}" for p in _TIME_PARTS)
        parts.append(f"{t['total_seconds']:.1f} s: {split}")
    return " · ".join(parts) or None
