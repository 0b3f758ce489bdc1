"""The motion recordings the simulated board plays back: real smartwatch recordings bundled in
resources/simboard (seven shoulder exercises, six axes, 50 Hz; see resources/README.md for the source)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.paths import resources_dir

DATA_FILE = "shoulder_exercises.npz"


@dataclass(frozen=True)
class MotionSet:
    """Continuous streams per activity, all at one rate with the same axes."""

    rate_hz: float
    axis_names: tuple[str, ...]
    units: tuple[str, ...]
    activities: dict[str, np.ndarray]
    source: str

    def stream(self, activity: str) -> np.ndarray:
        """The (frames, axes) stream for an activity (case-insensitive), or a UserError listing them."""
        key = activity.strip().lower().replace(" ", "_")
        if key not in self.activities:
            raise UserError(f"unknown activity {activity!r}: choose one of {', '.join(self.activities)}")
        return self.activities[key]


def load_motion_set() -> MotionSet:
    """The bundled recordings (read without pickle); a clear error if the file is missing or damaged."""
    path = resources_dir() / "simboard" / DATA_FILE
    try:
        with np.load(path, allow_pickle=False) as z:
            acts = [str(a) for a in z["activities"]]
            return MotionSet(
                rate_hz=float(z["rate_hz"]),
                axis_names=tuple(str(a) for a in z["axis_names"]),
                units=tuple(str(u) for u in z["units"]),
                activities={a: np.asarray(z[f"activity_{a}"], dtype=np.float32) for a in acts},
                source="smartwatch recordings of seven shoulder exercises (50 Hz)",
            )
    except (OSError, KeyError, ValueError) as exc:
        raise UserError(f"the simulated board's data is missing or damaged ({path}): {exc}") from exc
