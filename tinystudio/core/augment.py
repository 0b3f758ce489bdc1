"""Augmentation of raw train windows, before the DSP block, so it works with every block.

Motion (IMU) windows get gaussian noise relative to each axis' spread in the window, a per-window gain, one small 3-D
rotation shared by every x/y/z triple of the window (accelerometer and gyroscope turn together, as when a
sensor sits slightly differently on the body) and a circular time shift. Audio windows get another
train window mixed in at a low gain, or gaussian noise at a signal-to-noise ratio, and a time shift.
Everything is drawn from one seeded generator: the same windows, seed and strength give the same copies.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from tinystudio.core.impulse import AUDIO_RATE_HZ

COPIES = 2  # augmented copies of every train window, added once before training
MAX_ROTATION_DEG = 10.0
GAIN_SPREAD = 0.1  # gain drawn in [1 - s, 1 + s]
NOISE_OF_STD = 0.05  # gaussian noise sigma as a share of the axis' standard deviation in the window
MAX_SHIFT = 0.1  # time shift up to this share of the window
MIX_GAIN = 0.1  # audio: another window mixed in at this gain
AUDIO_SNR_DB = 20.0

_AXIS = re.compile(r"^(.*?)[\s_.\-]*([xyz])$", re.IGNORECASE)


def is_audio(rate_hz: float, axes: int) -> bool:
    """One axis at an audio rate: treated as sound, everything else as motion."""
    return axes == 1 and rate_hz >= AUDIO_RATE_HZ


def axis_triples(axis_names: list[str]) -> list[tuple[int, int, int]]:
    """Indices (x, y, z) of axes named like accX/accY/accZ, gyr_x/gyr_y/gyr_z or x/y/z."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for i, name in enumerate(axis_names):
        m = _AXIS.match(name.strip())
        if m:
            groups[m.group(1).lower()][m.group(2).lower()] = i
    return [(g["x"], g["y"], g["z"]) for g in groups.values() if set(g) == {"x", "y", "z"}]


def rotation_matrix(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rotation by ``angle`` radians about the unit vector ``axis`` (Rodrigues)."""
    x, y, z = axis / np.linalg.norm(axis)
    k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    return np.eye(3) + np.sin(angle) * k + (1.0 - np.cos(angle)) * (k @ k)


def random_rotation(rng: np.random.Generator, max_deg: float) -> np.ndarray:
    """A rotation about a random axis by an angle uniform in [-max_deg, max_deg] degrees."""
    angle = np.deg2rad(rng.uniform(-max_deg, max_deg))
    return rotation_matrix(rng.standard_normal(3) + 1e-12, angle)


def rotate_triples(window: np.ndarray, triples: list[tuple[int, int, int]], rot: np.ndarray) -> np.ndarray:
    """``window`` (frames, axes) with every triple's vectors turned by ``rot`` (norms unchanged)."""
    out = window.astype(np.float64, copy=True)
    for t in triples:
        idx = list(t)
        out[:, idx] = out[:, idx] @ rot.T
    return out


def _shift(window: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    most = int(round(len(window) * MAX_SHIFT * min(strength, 1.0 / MAX_SHIFT)))
    return np.roll(window, int(rng.integers(-most, most + 1)), axis=0) if most > 0 else window


def augment_motion(x: np.ndarray, axis_names: list[str], rng: np.random.Generator,
                   strength: float = 1.0) -> np.ndarray:
    """One augmented copy of each motion window in ``x`` (n, frames, axes)."""
    triples = axis_triples(axis_names)
    out = np.empty_like(x, dtype=np.float32)
    for i, w in enumerate(x):
        a = w.astype(np.float64)
        std = a.std(axis=0)  # the window's own spread: a quiet window (standing) stays quiet
        if triples:
            a = rotate_triples(a, triples, random_rotation(rng, MAX_ROTATION_DEG * strength))
        a = a * rng.uniform(1.0 - GAIN_SPREAD * strength, 1.0 + GAIN_SPREAD * strength)
        a = a + rng.standard_normal(a.shape) * (NOISE_OF_STD * strength * std)
        out[i] = _shift(a, rng, strength)
    return out


def augment_audio(x: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """One augmented copy of each audio window in ``x`` (n, frames, 1): half mixed with another train
    window at a low gain, half with gaussian noise at ``AUDIO_SNR_DB`` (lower with more strength)."""
    out = np.empty_like(x, dtype=np.float32)
    for i, w in enumerate(x):
        a = w.astype(np.float64)
        if len(x) > 1 and rng.random() < 0.5:
            other = int(rng.integers(0, len(x) - 1))
            other += other >= i
            a = a + MIX_GAIN * strength * x[other].astype(np.float64)
        else:
            power = float(np.mean(a * a)) or 1e-12
            snr = AUDIO_SNR_DB / max(strength, 1e-6)
            a = a + rng.standard_normal(a.shape) * np.sqrt(power / 10 ** (snr / 10))
        out[i] = _shift(a, rng, strength)
    return out


def augment_windows(x: np.ndarray, y: np.ndarray, *, rate_hz: float, axis_names: list[str], seed: int,
                    strength: float = 1.0, copies: int = COPIES) -> tuple[np.ndarray, np.ndarray]:
    """``copies`` augmented copies of the windows ``x`` with their labels ``y`` (only the copies)."""
    if len(x) == 0 or copies < 1 or strength <= 0:
        return x[:0], y[:0]
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0xA06])
    audio = is_audio(rate_hz, x.shape[-1])
    parts = [augment_audio(x, rng, strength) if audio else augment_motion(x, axis_names, rng, strength)
             for _ in range(copies)]
    return np.concatenate(parts), np.tile(y, copies)
