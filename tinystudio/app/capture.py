"""Capture: list the boards, open a live session on a serial port or the simulated board, and record a
labelled sample into the project (committed while it records). The Device page keeps a session open and
records on demand; ``tinystudio capture`` records one sample of a fixed length with ``record``."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from tinystudio.core.errors import UserError
from tinystudio.core.labels import check_label
from tinystudio.core.limits import MAX_SECONDS, finite_positive
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project
from tinystudio.device.capture import CaptureSession, Event, Status
from tinystudio.device.linestream import StreamStats
from tinystudio.device.ports import (
    SIMULATED_PORT,
    PortInfo,
    list_boards,
    port_signature,
    preferred,
    simulated_port,
)
from tinystudio.device.simboard import SimBoard
from tinystudio.device.simboard_link import StableLink
from tinystudio.device.simdata import load_motion_set

__all__ = [
    "DEFAULT_BAUD", "DEFAULT_TIMEOUT_S", "SIMULATED_PORT", "CaptureSession", "Event", "PortInfo", "Recorded",
    "SimBoard", "StableLink", "Status", "balance_hint", "label_counts", "list_boards", "open_session", "port_signature",
    "preferred", "record", "simulated_activities", "simulated_port",
]

DEFAULT_BAUD = 115200
DEFAULT_TIMEOUT_S = 10.0
"""How long to wait for a board's first complete lines before giving up."""


def simulated_activities() -> list[str]:
    """What the simulated board's wearer can be doing (its recorded motion set)."""
    return list(load_motion_set().activities)


def open_session(port: str, *, baud: int = DEFAULT_BAUD, activity: str | None = None) -> CaptureSession:
    """Start streaming from ``port`` (``SIMULATED_PORT`` for the simulated board); the caller stops it."""
    session = CaptureSession(port, baud=baud, activity=activity)
    session.start()
    return session


@dataclass
class Recorded:
    """A finished recording: the stored sample(s), the stream's counters and what went wrong on the way.

    A board that was unplugged and came back gives one sample per stretch (``sample_ids``); one that
    never came back leaves ``error`` set: what was recorded is kept, but the length asked for was not.
    """

    sample_id: int
    message: str
    status: Status
    warnings: list[str] = field(default_factory=list)
    sample_ids: list[int] = field(default_factory=list)
    stats: StreamStats = field(default_factory=StreamStats)
    dropped: int = 0
    error: str | None = None

    def to_dict(self, project: Project) -> dict[str, Any]:
        info = project.sample_info(self.sample_id)
        return {
            "sample_id": info.id,
            "sample_ids": self.sample_ids or [info.id],
            "frames": info.frames,
            "axes": info.axes,
            "axis_names": list(info.axis_names),
            "rate_hz": info.rate_hz,
            "label": info.label,
            "lines": self.stats.lines,
            "malformed": self.stats.skipped,
            "skipped": {
                "malformed": self.stats.malformed,
                "wrong_count": self.stats.wrong_count,
                "nonfinite": self.stats.nonfinite,
                "too_long": self.stats.too_long,
            },
            "dropped": self.dropped,
            "warnings": self.warnings,
            "complete": self.error is None,
            "error": self.error,
        }

    def skipped_summary(self) -> str | None:
        """One line on the lines that were not readings (and lines the board's clock says were lost)."""
        s = self.stats
        parts = [
            f"{n} {what}"
            for n, what in (
                (s.malformed, "malformed"),
                (s.wrong_count, "with the wrong number of values"),
                (s.nonfinite, "not finite (nan, inf or too large)"),
                (s.too_long, "too long"),
            )
            if n
        ]
        lines = []
        if parts:
            lines.append(f"skipped {s.skipped} line{'s' if s.skipped != 1 else ''} that were not readings: "
                         + ", ".join(parts))
        if self.dropped:
            lines.append(f"the board's clock shows {self.dropped} line{'s' if self.dropped != 1 else ''} lost")
        return "; ".join(lines) or None


def _total(stats: list[StreamStats]) -> StreamStats:
    """Counters over every stretch of a recording (a reconnected board starts a fresh stream)."""
    out = StreamStats()
    for one in stats:
        for f in fields(StreamStats):
            setattr(out, f.name, getattr(out, f.name) + getattr(one, f.name))
    return out


def _settled(session: CaptureSession, status: Status, earlier: float | None, patience: float = 2.0) -> Status:
    """After a reconnect the rate is re-detected from few lines: give it a moment to reach the earlier one."""
    deadline = time.monotonic() + patience
    while earlier and status.rate_hz != earlier and time.monotonic() < deadline:
        time.sleep(0.1)
        status = session.status()
    return status


def _wait_back(session: CaptureSession, timeout: float) -> bool:
    """Wait for a disconnected board to reappear; True once it streams again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if session.status().state == "streaming":
            return True
        time.sleep(0.1)
    return session.status().state == "streaming"


def _wait_saved(session: CaptureSession, limit_s: float, done_s: float, seconds: float, progress: Progress,
                cancel: CancelToken | None) -> Event | None:
    """Wait for the current recording to be saved, reporting how far it is; a cancel stops it early (what
    was recorded is kept, as with the Stop button). None when it is not saved within ``limit_s``."""
    deadline = time.monotonic() + limit_s
    while True:
        saved = session.wait_recording(0.2)
        if saved is not None or not session.recording or time.monotonic() >= deadline:
            return saved
        elapsed = done_s + session.status().recording_elapsed_s
        progress(min(1.0, elapsed / seconds), f"recording {elapsed:.1f} of {seconds:g} s")
        if cancel is not None and cancel.cancelled:
            session.stop_recording()
            return session.wait_recording(5)


def record(
    project: Project,
    port: str,
    label: str,
    seconds: float,
    *,
    baud: int = DEFAULT_BAUD,
    group: str | None = None,
    activity: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    on_ready: Callable[[Status], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Recorded:
    """Record ``seconds`` from ``port`` into a new sample labelled ``label``; the port is released after.

    ``on_ready(status)`` hears when the stream's rate and axes are known, just before recording starts.
    If the board is unplugged, what was recorded is saved and the board is awaited for ``timeout``
    seconds (``on_notice`` hears that it waits): when it comes back the rest is recorded as a further
    sample; when it does not, the result carries ``error``. ``progress`` hears the seconds recorded;
    ``cancel`` ends the recording early and keeps what was recorded.
    """
    seconds = finite_positive("the recording length (s)", seconds, MAX_SECONDS)
    timeout = finite_positive("the time to wait for the board (s)", timeout, MAX_SECONDS)
    label = check_label(label)
    notice = on_notice or (lambda _msg: None)
    session = open_session(port, baud=baud, activity=activity)
    saved: list[Event] = []
    stretches: list[StreamStats] = []
    dropped = 0
    error: str | None = None
    last: Event | None = None
    try:
        status = session.wait_ready(timeout)
        remaining = seconds
        while True:
            session.start_recording(project, label, seconds=remaining, group=group)
            if on_ready is not None and not saved and not stretches:
                on_ready(status)
            last = _wait_saved(session, remaining * 1.5 + 5, seconds - remaining, seconds, progress, cancel)
            if last is None:
                session.stop_recording()
                last = session.wait_recording(5)
            if last is not None and last.sample_id is not None:
                saved.append(last)
            now = session.status()
            if now.state != "disconnected" or (cancel is not None and cancel.cancelled):
                break
            stretches.append(now.stats)
            dropped += now.dropped
            done_s = sum(project.sample_info(e.sample_id).duration_s for e in saved if e.sample_id is not None)
            remaining = seconds - done_s
            if remaining * (status.rate_hz or 1.0) < 1:
                break  # everything asked for was recorded before the cable went
            notice(f"{now.board} was disconnected after {done_s:.1f} of {seconds:g} s: "
                   f"waiting up to {timeout:g} s for it to come back")
            if not _wait_back(session, timeout):
                ids = ", ".join(str(e.sample_id) for e in saved)
                kept = (f"the {done_s:.1f} s recorded before it was disconnected are saved (sample {ids})"
                        if saved else "nothing was recorded")
                error = f"the board did not come back within {timeout:g} s; {kept}"
                break
            status = _settled(session, session.wait_ready(timeout), status.rate_hz)
            notice(f"{now.board} is back: recording the remaining {remaining:.1f} s as a new sample")
        final = session.status()
    finally:
        session.stop()
    if final.state != "disconnected":
        stretches.append(final.stats)
        dropped += final.dropped
    if not saved:
        if error is not None:
            raise UserError(error)
        raise UserError(last.message if last is not None else "the recording did not finish")
    # a disconnection the caller heard of (it was awaited) is not repeated as a warning
    shown = ("warning",) if stretches else ("warning", "disconnected")
    warnings = [e.message for e in session.events() if e.kind in shown]
    first = saved[0]
    ids = [e.sample_id for e in saved if e.sample_id is not None]
    message = "; ".join(e.message for e in saved)
    return Recorded(first.sample_id or 0, message, final, warnings, ids, _total(stretches), dropped, error)


def balance_hint(counts: Counter[str]) -> str:
    """A one-line nudge when labels are unbalanced (or too few to train on)."""
    if len(counts) < 2:
        return "Record at least two labels to train a classifier."
    most = max(counts.values())
    low = sorted(k for k, v in counts.items() if v < most * 0.7)
    if low:
        return f"Unbalanced: record more of {', '.join(low)} (the largest label has {most})."
    return "Labels are balanced."


def label_counts(project: Project) -> Counter[str]:
    """Samples per label, ``(no label)`` for unlabelled ones."""
    return Counter(s.label or "(no label)" for s in project.samples())
