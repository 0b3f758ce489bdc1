"""The motion recordings the simulated board plays back: the UEA BasicMotions smartwatch recordings
read from an installed sktime when present, else the small synthetic set bundled in resources/simboard."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinystudio.core.errors import UserError

_BASIC_AXES = ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")


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
        key = activity.strip().lower()
        if key not in self.activities:
            raise UserError(f"unknown activity {activity!r}: choose one of {', '.join(self.activities)}")
        return self.activities[key]


def resources_dir() -> Path:
    """The resources folder: beside the package in a checkout, or inside a frozen bundle."""
    here = Path(__file__).resolve()
    for cand in (here.parents[2] / "resources", here.parents[1] / "resources"):
        if (cand / "simboard").is_dir():
            return cand
    return here.parents[2] / "resources"


def _basic_motions_file() -> Path | None:
    try:
        spec = importlib.util.find_spec("sktime")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        path = Path(loc) / "datasets" / "data" / "BasicMotions" / "BasicMotions_TRAIN.ts"
        if path.is_file():
            return path
    return None


def parse_ts_multivariate(text: str) -> tuple[list[np.ndarray], list[str]]:
    """Parse an equal-length multivariate .ts file: one case per line, dimensions split by ':'."""
    cases: list[np.ndarray] = []
    labels: list[str] = []
    in_data = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        *dims, label = line.split(":")
        cases.append(np.array([[float(v) for v in d.split(",")] for d in dims], dtype=np.float32).T)
        labels.append(label.strip().lower())
    return cases, labels


def load_basic_motions() -> MotionSet | None:
    """BasicMotions (4 activities, 6 axes, 10 Hz) from the user's installed sktime, or None."""
    path = _basic_motions_file()
    if path is None:
        return None
    try:
        cases, labels = parse_ts_multivariate(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    acts: dict[str, list[np.ndarray]] = {}
    for case, label in zip(cases, labels, strict=True):
        acts.setdefault(label, []).append(case)
    return MotionSet(
        rate_hz=10.0,
        axis_names=_BASIC_AXES,
        units=("", "", "", "", "", ""),
        activities={k: np.concatenate(v) for k, v in sorted(acts.items())},
        source="UEA BasicMotions recordings (smartwatch, 10 Hz) from the installed sktime package",
    )


def load_synthetic() -> MotionSet:
    """The bundled synthetic set (4 activities, 6 axes, 50 Hz)."""
    path = resources_dir() / "simboard" / "motion_synthetic.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            acts = [str(a) for a in z["activities"]]
            return MotionSet(
                rate_hz=float(z["rate_hz"]),
                axis_names=tuple(str(a) for a in z["axis_names"]),
                units=tuple(str(u) for u in z["units"]),
                activities={a: np.asarray(z[f"activity_{a}"], dtype=np.float32) for a in acts},
                source="bundled synthetic wrist-motion set (50 Hz)",
            )
    except (OSError, KeyError, ValueError) as exc:
        raise UserError(f"the simulated board's data is missing or damaged ({path}): {exc}") from exc


def load_motion_set(prefer_recorded: bool = True) -> MotionSet:
    """Recorded data when available (see load_basic_motions), otherwise the bundled synthetic set."""
    if prefer_recorded:
        real = load_basic_motions()
        if real is not None:
            return real
    return load_synthetic()
