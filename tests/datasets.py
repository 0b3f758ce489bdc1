"""Real recorded data for tests: the UEA BasicMotions set shipped inside sktime, written out as files.

BasicMotions: 80 smartwatch recordings (40 + 40), 6 axes (accelerometer + gyroscope), 100 frames at
10 Hz, 4 activities. Written as one CSV per recording, labelled by file name, the way a user's export
from a logger or another tool would look.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

AXES = ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")
RATE_HZ = 10.0


def basic_motions() -> tuple[np.ndarray, np.ndarray]:
    """All 80 recordings as (n, frames, axes) float32 and their labels, train part first."""
    from sktime.datasets import load_basic_motions

    xs, ys = [], []
    for split in ("train", "test"):
        x, y = load_basic_motions(split=split, return_type="numpy3D")
        xs.append(np.transpose(x, (0, 2, 1)).astype(np.float32))
        ys.append(np.asarray(y).astype(str))
    return np.concatenate(xs), np.concatenate(ys)


def write_basic_motions_csv(out_dir: Path, per_label: int | None = None) -> list[Path]:
    """Write each recording as `<label>.<n>.csv` with a millisecond timestamp column; return the paths.

    `per_label` keeps only the first recordings of each activity (five still give every split one), for
    quick runs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    x, y = basic_motions()
    if per_label is not None:
        keep = np.concatenate([np.flatnonzero(y == label)[:per_label] for label in np.unique(y)])
        x, y = x[np.sort(keep)], y[np.sort(keep)]
    paths = []
    for i, (signal, label) in enumerate(zip(x, y, strict=True)):
        path = out_dir / f"{label.lower()}.{i:03d}.csv"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("timestamp," + ",".join(AXES) + "\n")
            for j, row in enumerate(signal):
                fh.write(f"{j * 1000 / RATE_HZ:g}," + ",".join(f"{v:.9g}" for v in row) + "\n")
        paths.append(path)
    return paths
