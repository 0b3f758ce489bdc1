"""Rebuild resources/simboard/shoulder_exercises.npz from seglearn's 'watch' dataset.

Usage: python packaging/make_simboard_data.py PATH/TO/seglearn/data/watch_dataset.npy
(the file ships inside the seglearn 1.2.5 wheel). The source is a pickled dict, so this one-off script
reads it with allow_pickle; the app reads only the plain arrays written here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

NAMES = ["pendulum", "abduction", "forward_elevation", "internal_rotation", "external_rotation",
         "trapezius_extension", "upright_row"]
OUT = Path(__file__).resolve().parents[1] / "resources" / "simboard" / "shoulder_exercises.npz"


def main(source: str) -> None:
    d = np.load(source, allow_pickle=True).item()
    out: dict[str, np.ndarray] = {
        "rate_hz": np.float64(50.0),
        "axis_names": np.array(["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"]),
        "units": np.array([""] * 6),
        "activities": np.array(NAMES),
    }
    for cls, name in enumerate(NAMES):
        idx = sorted((i for i in range(len(d["y"])) if int(d["y"][i]) == cls),
                     key=lambda i: (int(d["subject"][i]), i))
        frames = [np.round(d["X"][i], 5).astype(np.float32) for i in idx]
        out[f"activity_{name}"] = np.concatenate(frames)
        out[f"lengths_{name}"] = np.array([len(f) for f in frames], np.int64)
        out[f"subjects_{name}"] = np.array([int(d["subject"][i]) for i in idx], np.int64)
        out[f"source_index_{name}"] = np.array(idx, np.int64)
    np.savez_compressed(OUT, **out)  # type: ignore[arg-type]
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
