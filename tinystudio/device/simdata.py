"""The motion recordings the simulated board plays back: real smartwatch recordings bundled in
resources/simboard (seven shoulder exercises by ten subjects, two sessions each, six axes, 50 Hz; see
resources/README.md for the source), as sessions per activity, each with its subject."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.paths import resources_dir

DATA_FILE = "shoulder_exercises.npz"


@dataclass(frozen=True)
class Session:
    """One recorded session of an activity: who did it (``subject-07``) and the (frames, axes) signal."""

    subject: str
    frames: np.ndarray


def activity_key(activity: str) -> str:
    """'Forward elevation' -> 'forward_elevation'."""
    return activity.strip().lower().replace(" ", "_")


@dataclass(frozen=True)
class MotionSet:
    """Recorded sessions per activity, all at one rate with the same axes, ordered by subject."""

    rate_hz: float
    axis_names: tuple[str, ...]
    units: tuple[str, ...]
    sessions: dict[str, tuple[Session, ...]]
    source: str

    @property
    def activities(self) -> tuple[str, ...]:
        return tuple(self.sessions)

    def sessions_of(self, activity: str) -> tuple[Session, ...]:
        """The sessions of an activity (case-insensitive), or a UserError listing the activities."""
        key = activity_key(activity)
        if key not in self.sessions:
            raise UserError(f"unknown activity {activity!r}: choose one of {', '.join(self.sessions)}")
        return self.sessions[key]


def _sessions(z: np.lib.npyio.NpzFile, name: str) -> tuple[Session, ...]:
    frames = np.asarray(z[f"activity_{name}"], dtype=np.float32)
    lengths = [int(n) for n in z[f"lengths_{name}"]]
    subjects = [int(s) for s in z[f"subjects_{name}"]]
    if sum(lengths) != len(frames) or len(lengths) != len(subjects) or min(lengths, default=0) <= 0:
        raise ValueError(f"the sessions of {name} do not add up")
    bounds = np.cumsum([0, *lengths])
    return tuple(Session(f"subject-{s:02d}", frames[a:b]) for s, a, b in zip(subjects, bounds, bounds[1:],
                                                                             strict=False))


@lru_cache(maxsize=1)
def load_motion_set() -> MotionSet:
    """The bundled recordings (read without pickle, once per process: every simulated board shares them and
    their playback cursors); a clear error if the file is missing or damaged."""
    path = resources_dir() / "simboard" / DATA_FILE
    try:
        with np.load(path, allow_pickle=False) as z:
            acts = [str(a) for a in z["activities"]]
            return MotionSet(
                rate_hz=float(z["rate_hz"]),
                axis_names=tuple(str(a) for a in z["axis_names"]),
                units=tuple(str(u) for u in z["units"]),
                sessions={a: _sessions(z, a) for a in acts},
                source="smartwatch recordings of seven shoulder exercises by ten people (50 Hz)",
            )
    except (OSError, KeyError, ValueError) as exc:
        raise UserError(f"the simulated board's data is missing or damaged ({path}): {exc}") from exc
