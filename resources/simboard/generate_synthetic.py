"""Regenerate motion_synthetic.npz: a small, synthetic 6-axis wrist IMU set (accelerometer in m/s^2,
gyroscope in rad/s) with four activities, used by the simulated board when no recorded set is found.

Run: python resources/simboard/generate_synthetic.py  (deterministic: the same file every time)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

RATE_HZ = 50.0
SECONDS = 30.0
AXES = ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")
UNITS = ("m/s2", "m/s2", "m/s2", "rad/s", "rad/s", "rad/s")
G = 9.81


def _gait(rng: np.random.Generator, t: np.ndarray, step_hz: float, acc_amp: float, gyr_amp: float) -> np.ndarray:
    jitter = np.cumsum(rng.normal(0, 0.002, t.size))
    phase = 2 * np.pi * step_hz * t + jitter
    arm = phase / 2  # the arm swings once per two steps
    acc = np.stack(
        [
            acc_amp * (0.6 * np.sin(arm) + 0.25 * np.sin(2 * arm + 0.4)),
            acc_amp * 0.3 * np.sin(phase + 1.1),
            G + acc_amp * (0.8 * np.abs(np.sin(phase / 2)) - 0.5) * 1.4,
        ],
        axis=1,
    )
    gyr = np.stack(
        [
            gyr_amp * 0.3 * np.sin(phase + 0.3),
            gyr_amp * np.sin(arm + 0.8),
            gyr_amp * 0.4 * np.sin(arm + 2.0),
        ],
        axis=1,
    )
    return np.concatenate([acc, gyr], axis=1)


def _standing(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    tilt = 0.15 * np.sin(2 * np.pi * 0.05 * t + rng.uniform(0, 6))
    acc = np.stack([G * np.sin(tilt), 0.4 + 0.1 * np.sin(2 * np.pi * 0.11 * t), G * np.cos(tilt)], axis=1)
    gyr = np.stack([0.02 * np.sin(2 * np.pi * 0.07 * t)] * 3, axis=1)
    return np.concatenate([acc, gyr], axis=1)


def _badminton(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    out = _gait(rng, t, 1.2, 1.5, 0.8) * np.array([1, 1, 1, 1, 1, 1])
    swing_at = 0.0
    while swing_at < t[-1]:
        swing_at += rng.uniform(1.2, 2.8)
        width = rng.uniform(0.12, 0.25)
        shape = np.exp(-0.5 * ((t - swing_at) / width) ** 2)
        power = rng.uniform(0.6, 1.0)
        out[:, 0] += power * 25 * shape * np.sin(2 * np.pi * (t - swing_at) / (2 * width))
        out[:, 1] += power * 12 * shape
        out[:, 4] += power * 9 * shape * np.cos(2 * np.pi * (t - swing_at) / (3 * width))
        out[:, 5] += power * 6 * shape
    return out


def generate(seed: int = 20261101) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(int(RATE_HZ * SECONDS)) / RATE_HZ
    sets = {
        "standing": _standing(rng, t),
        "walking": _gait(rng, t, 1.8, 2.5, 1.6),
        "running": _gait(rng, t, 2.8, 8.0, 4.5),
        "badminton": _badminton(rng, t),
    }
    noise = np.array([0.08, 0.08, 0.08, 0.03, 0.03, 0.03])
    return {k: (v + rng.normal(0, 1, v.shape) * noise).astype(np.float32) for k, v in sets.items()}


def main() -> None:
    sets = generate()
    out = Path(__file__).with_name("motion_synthetic.npz")
    np.savez_compressed(
        out,
        rate_hz=np.float64(RATE_HZ),
        axis_names=np.array(AXES),
        units=np.array(UNITS),
        activities=np.array(list(sets)),
        **{f"activity_{k}": np.round(v, 3) for k, v in sets.items()},
    )
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
