"""Where the simulated board's playback of each activity stands: one cursor per activity, shared by every
simulated board of the process, that only moves forward through the subjects' sessions, so no stretch is
streamed twice (two recordings never share identical windows, which would leak from train into test).

The tape of an activity is its sessions in subject order (pass 0, as recorded); then the same sessions
time-reversed (pass 1); then, pass p >= 2, each session resampled by linear interpolation to
1 + 0.04 * (p - 1) times its speed, time-reversed on odd passes. A transformed stretch is never equal to an
earlier one, and each keeps the subject it came from as its group. The cursor can be saved in a project
and resumed, so recordings made by separate processes into one project do not repeat either.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from tinystudio.device.simdata import MotionSet, activity_key

SPEED_STEP = 0.04
"""Speed-up per pass after the first two (pass 2 plays at 1.04x, pass 3 reversed at 1.08x, ...)."""


def pass_name(p: int) -> str:
    """How pass ``p`` transforms the recordings, for people."""
    if p == 0:
        return "as recorded"
    if p == 1:
        return "time-reversed"
    return f"resampled to {1 + SPEED_STEP * (p - 1):g}x speed" + (", time-reversed" if p % 2 else "")


def transformed(frames: np.ndarray, p: int) -> np.ndarray:
    """Session ``frames`` as pass ``p`` plays them."""
    out = frames
    if p >= 2:
        speed = 1 + SPEED_STEP * (p - 1)
        n = max(2, int(len(frames) / speed))
        t = np.arange(n) * speed
        t = t[t <= len(frames) - 1]
        src = np.arange(len(frames))
        out = np.stack([np.interp(t, src, frames[:, a]) for a in range(frames.shape[1])], axis=1)
    if p % 2:
        out = out[::-1]
    return np.ascontiguousarray(out, dtype=np.float32)


@dataclass
class _Cursor:
    segment: int = 0
    offset: int = 0


class Tape:
    """The cursors of one motion set; ``take`` hands out frames never handed out before."""

    def __init__(self, data: MotionSet) -> None:
        self.data = data
        self._cursors: dict[str, _Cursor] = {}
        self._lock = threading.Lock()

    def _segment(self, activity: str, index: int) -> tuple[str, np.ndarray]:
        sessions = self.data.sessions_of(activity)
        p, i = divmod(index, len(sessions))
        return sessions[i].subject, _cached(self, activity_key(activity), p, i)

    def _cursor(self, activity: str) -> _Cursor:
        return self._cursors.setdefault(activity_key(activity), _Cursor())

    def take(self, activity: str, n: int) -> tuple[np.ndarray, str]:
        """The next ``n`` frames of ``activity`` and the subject of the first one."""
        with self._lock:
            cur = self._cursor(activity)
            parts: list[np.ndarray] = []
            first_subject = ""
            need = n
            while need > 0:
                subject, seg = self._segment(activity, cur.segment)
                first_subject = first_subject or subject
                chunk = seg[cur.offset : cur.offset + need]
                parts.append(chunk)
                need -= len(chunk)
                cur.offset += len(chunk)
                if cur.offset >= len(seg):
                    cur.segment, cur.offset = cur.segment + 1, 0
            return (np.concatenate(parts) if parts else np.zeros((0, len(self.data.axis_names)), np.float32),
                    first_subject)

    def subject(self, activity: str) -> str:
        """Whose session the next frames of ``activity`` come from."""
        with self._lock:
            return self._segment(activity, self._cursor(activity).segment)[0]

    def remaining(self, activity: str) -> int:
        """Frames left in the current session of ``activity``."""
        with self._lock:
            cur = self._cursor(activity)
            return len(self._segment(activity, cur.segment)[1]) - cur.offset

    def next_session(self, activity: str) -> str:
        """Skip the rest of the current session (a recording then holds one subject); returns its subject."""
        with self._lock:
            cur = self._cursor(activity)
            if cur.offset:
                cur.segment, cur.offset = cur.segment + 1, 0
            return self._segment(activity, cur.segment)[0]

    def describe(self, activity: str) -> str:
        """Where the playback stands, for people: subject, session and pass."""
        with self._lock:
            cur = self._cursor(activity)
            sessions = self.data.sessions_of(activity)
            p, i = divmod(cur.segment, len(sessions))
            return f"{sessions[i].subject}, session {i + 1} of {len(sessions)}, {pass_name(p)}"

    def positions(self) -> dict[str, list[int]]:
        """Every cursor as [session index, frame offset], to save in a project."""
        with self._lock:
            return {a: [c.segment, c.offset] for a, c in self._cursors.items()}

    def resume(self, positions: object) -> None:
        """Move cursors forward to saved ``positions`` (never back); anything unreadable is ignored."""
        if not isinstance(positions, dict):
            return
        with self._lock:
            for activity, pos in positions.items():
                if (not isinstance(activity, str) or activity_key(activity) not in self.data.sessions
                        or not isinstance(pos, list) or len(pos) != 2
                        or not all(isinstance(v, int) and v >= 0 for v in pos)):
                    continue
                cur = self._cursor(activity)
                if (pos[0], pos[1]) > (cur.segment, cur.offset):
                    cur.segment, cur.offset = pos[0], pos[1]


_CACHE: dict[tuple[int, str, int, int], np.ndarray] = {}
_CACHE_LOCK = threading.Lock()


def _cached(tape: Tape, activity: str, p: int, i: int) -> np.ndarray:
    """The transformed session, kept for reuse (pass 0 is the recording itself)."""
    session = tape.data.sessions[activity][i]
    if p == 0:
        return session.frames
    key = (id(tape.data), activity, p, i)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            if len(_CACHE) > 64:
                _CACHE.clear()
            hit = _CACHE[key] = transformed(session.frames, p)
        return hit


_TAPES: dict[int, Tape] = {}
_TAPES_LOCK = threading.Lock()


def tape_for(data: MotionSet) -> Tape:
    """The process's one tape for ``data`` (boards on the same data share the cursors)."""
    with _TAPES_LOCK:
        tape = _TAPES.get(id(data))
        if tape is None or tape.data is not data:
            tape = _TAPES[id(data)] = Tape(data)
        return tape
