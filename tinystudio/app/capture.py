"""Capture: list the boards, open a live session on a serial port or the simulated board, and record a
labelled sample into the project (committed while it records). The Device page keeps a session open and
records on demand; ``tinystudio capture`` records one sample of a fixed length with ``record``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tinystudio.core.errors import UserError
from tinystudio.core.store import Project
from tinystudio.device.capture import CaptureSession, Event, Status
from tinystudio.device.ports import (
    SIMULATED_PORT,
    PortInfo,
    list_boards,
    port_signature,
    preferred,
    simulated_port,
)
from tinystudio.device.simdata import load_motion_set

__all__ = ["DEFAULT_BAUD", "DEFAULT_TIMEOUT_S", "SIMULATED_PORT", "CaptureSession", "Event", "PortInfo",
           "Recorded", "Status", "balance_hint", "label_counts", "list_boards", "open_session", "port_signature",
           "preferred", "record", "simulated_activities", "simulated_port"]

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
    """A finished recording: the stored sample, the stream's counters and what went wrong on the way."""

    sample_id: int
    message: str
    status: Status
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, project: Project) -> dict[str, Any]:
        info = project.sample_info(self.sample_id)
        return {
            "sample_id": info.id,
            "frames": info.frames,
            "axes": info.axes,
            "axis_names": list(info.axis_names),
            "rate_hz": info.rate_hz,
            "label": info.label,
            "lines": self.status.stats.lines,
            "malformed": self.status.stats.skipped,
            "dropped": self.status.dropped,
            "warnings": self.warnings,
        }


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
) -> Recorded:
    """Record ``seconds`` from ``port`` into a new sample labelled ``label``; the port is released after.

    ``on_ready(status)`` hears when the stream's rate and axes are known, just before recording starts.
    """
    if not (seconds > 0):
        raise UserError(f"the recording length must be a positive number of seconds, got {seconds}")
    if not label:
        raise UserError("a recording needs a label")
    session = open_session(port, baud=baud, activity=activity)
    try:
        status = session.wait_ready(timeout)
        session.start_recording(project, label, seconds=seconds, group=group)
        if on_ready is not None:
            on_ready(status)
        result = session.wait_recording(seconds * 1.5 + 5)
        if result is None:
            session.stop_recording()
            result = session.wait_recording(5)
        final = session.status()
    finally:
        session.stop()
    if result is None or result.sample_id is None:
        raise UserError(result.message if result is not None else "the recording did not finish")
    warnings = [e.message for e in session.events() if e.kind in ("warning", "disconnected")]
    return Recorded(result.sample_id, result.message, final, warnings)


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
