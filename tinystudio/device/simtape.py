"""Where the simulated board's playback of each activity stands: one cursor per activity, shared by every
simulated board of the process, that only moves forward through the subjects' sessions, so no stretch is
streamed twice (two recordings never share identical windows, which would leak from train into test).

Sessions are taken in turn, each subject's first session, then their second ones; after each recording the
board moves on to the next session (the next wearer), and a recording starts on a session with enough left
to hold it. Each session remembers how far it was played, so later turns continue it. Once every session of
a pass is used up the next pass plays them transformed, never identically: pass 1 time-reversed; pass
p >= 2 resampled by linear interpolation to 1 + 0.04 * (p - 1) times the speed, time-reversed on odd
passes. Every stretch keeps the subject it came from as its group. The cursor can be saved in a project
and resumed, so recordings made by separate processes into one project do not repeat either.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from tinystudio.device.simdata import MotionSet, Session, activity_key

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
    """Pass, session in turn, and frames played of each session in this pass."""

    pass_: int = 0
    session: int = 0
    offsets: list[int] = field(default_factory=list)


def turn_order(sessions: tuple[Session, ...]) -> list[int]:
    """Session indices in the order they take turns: every subject's first session, then second, ..."""
    seen: dict[str, int] = {}
    rank = []
    for i, s in enumerate(sessions):
        rank.append((seen.get(s.subject, 0), i))
        seen[s.subject] = seen.get(s.subject, 0) + 1
    return [i for _r, i in sorted(rank)]


class Tape:
    """The cursors of one motion set; ``take`` hands out frames never handed out before."""

    def __init__(self, data: MotionSet) -> None:
        self.data = data
        self._cursors: dict[str, _Cursor] = {}
        self._order = {a: turn_order(data.sessions[a]) for a in data.activities}
        self._lock = threading.Lock()

    def _cursor(self, activity: str) -> tuple[str, _Cursor]:
        key = activity_key(activity)
        sessions = self.data.sessions_of(activity)
        cur = self._cursors.setdefault(key, _Cursor(offsets=[0] * len(sessions)))
        return key, cur

    def _frames(self, key: str, cur: _Cursor) -> tuple[str, np.ndarray]:
        i = self._order[key][cur.session]
        return self.data.sessions[key][i].subject, _cached(self, key, cur.pass_, i)

    def _left(self, key: str, cur: _Cursor, turn: int) -> int:
        i = self._order[key][turn]
        return len(_cached(self, key, cur.pass_, i)) - cur.offsets[turn]

    def _advance(self, key: str, cur: _Cursor, need: int = 1) -> None:
        """Move to the next session in turn with at least ``need`` frames left (the next pass when none)."""
        n = len(cur.offsets)
        for step in range(1, n + 1):
            turn = (cur.session + step) % n
            if self._left(key, cur, turn) >= need:
                cur.session = turn
                return
        cur.pass_, cur.session, cur.offsets = cur.pass_ + 1, 0, [0] * n

    def take(self, activity: str, n: int) -> tuple[np.ndarray, str]:
        """The next ``n`` frames of ``activity`` and the subject of the first one."""
        with self._lock:
            key, cur = self._cursor(activity)
            parts: list[np.ndarray] = []
            first_subject = ""
            need = n
            while need > 0:
                if self._left(key, cur, cur.session) <= 0:
                    self._advance(key, cur)
                subject, seg = self._frames(key, cur)
                first_subject = first_subject or subject
                start = cur.offsets[cur.session]
                chunk = seg[start : start + need]
                parts.append(chunk)
                need -= len(chunk)
                cur.offsets[cur.session] += len(chunk)
            return (np.concatenate(parts) if parts else np.zeros((0, len(self.data.axis_names)), np.float32),
                    first_subject)

    def subject(self, activity: str) -> str:
        """Whose session the next frames of ``activity`` come from."""
        with self._lock:
            key, cur = self._cursor(activity)
            if self._left(key, cur, cur.session) <= 0:
                self._advance(key, cur)
            return self._frames(key, cur)[0]

    def remaining(self, activity: str) -> int:
        """Frames left in the current session of ``activity``."""
        with self._lock:
            key, cur = self._cursor(activity)
            return self._left(key, cur, cur.session)

    def next_session(self, activity: str, need: int = 1) -> str:
        """Move on to the next session in turn with at least ``need`` frames left; returns its subject."""
        with self._lock:
            key, cur = self._cursor(activity)
            self._advance(key, cur, need)
            return self._frames(key, cur)[0]

    def describe(self, activity: str) -> str:
        """Where the playback stands, for people: subject, session and pass."""
        with self._lock:
            key, cur = self._cursor(activity)
            i = self._order[key][cur.session]
            subject = self.data.sessions[key][i].subject
            return f"{subject}, session {cur.session + 1} of {len(cur.offsets)}, {pass_name(cur.pass_)}"

    def positions(self) -> dict[str, dict[str, object]]:
        """Every cursor (pass, session in turn, frames played per session), to save in a project."""
        with self._lock:
            return {a: {"pass": c.pass_, "session": c.session, "offsets": list(c.offsets)}
                    for a, c in self._cursors.items()}

    def reserved(self, activity: str, frames: int | None) -> dict[str, dict[str, object]]:
        """The cursors as they will stand once the next ``frames`` frames of ``activity`` (None: the rest of
        its session) are played: saved when a recording starts, so that a recording whose process is killed
        is not streamed again by the next one."""
        with self._lock:
            key, cur = self._cursor(activity)
            out = {a: {"pass": c.pass_, "session": c.session, "offsets": list(c.offsets)}
                   for a, c in self._cursors.items()}
            left = self._left(key, cur, cur.session)
            offsets = out[key]["offsets"]
            assert isinstance(offsets, list)
            offsets[cur.session] += left if frames is None else min(max(frames, 0), left)
            return out

    def resume(self, positions: object) -> None:
        """Move cursors forward to saved ``positions`` (never back); anything unreadable is ignored."""
        if not isinstance(positions, dict):
            return
        with self._lock:
            for activity, pos in positions.items():
                if not isinstance(activity, str) or activity_key(activity) not in self.data.sessions:
                    continue
                key, cur = self._cursor(activity)
                try:
                    p, session, offsets = int(pos["pass"]), int(pos["session"]), [int(v) for v in pos["offsets"]]
                except (KeyError, TypeError, ValueError):
                    continue
                if len(offsets) != len(cur.offsets) or not 0 <= session < len(offsets) or p < cur.pass_:
                    continue
                if p > cur.pass_:
                    cur.pass_, cur.offsets = p, [0] * len(offsets)
                cur.offsets = [max(a, b) for a, b in zip(cur.offsets, offsets, strict=True)]
                cur.session = session


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
