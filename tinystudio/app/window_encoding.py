"""How the test windows travel to the board, in the fewest bytes that keep its results identical.

A board running the DSP block takes float32 samples; when every sample is an int16 value times a scale (1,
a power of two, or a power of ten: integral sensor counts, WAV audio, fixed decimals) and that product in
float32 gives back exactly the float32 sample, the windows go as int16 (half the bytes) and the board
rebuilds the very same floats. When the host computes the features, the windows are the model's input
already quantized to int8 (a quarter of float32). Anything else goes as the board takes it (float32).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tinystudio.device.runner_protocol import SampleFormat

if TYPE_CHECKING:
    from tinystudio.core.classical.reference import TreeReference
    from tinystudio.core.int8_reference import Int8Reference

INT16_MAX = 32767
# Scales tried in order: integral values, binary fractions (exact in float32), decimal fixed points.
_SCALES = (1.0, *(2.0**-k for k in range(1, 16)), 0.1, 0.01, 0.001, 0.0001)


@dataclass(frozen=True)
class EncodedWindows:
    """The test windows in one sample format; ``raw`` is the board's own form, the fallback."""

    sample_format: SampleFormat
    scale: float
    offset: float
    windows: list[bytes]
    raw: list[bytes]

    @property
    def label(self) -> str:
        """What people read: int16, int8, float32 (raw samples) or the model input's own type."""
        return self.sample_format.label if self.sample_format is not SampleFormat.RAW else "float32"

    def as_raw(self) -> EncodedWindows:
        """The same windows as the board takes them (for a board without the format)."""
        return EncodedWindows(SampleFormat.RAW, 1.0, 0.0, self.raw, self.raw)


def int16_scale(raw: np.ndarray) -> float | None:
    """A scale s such that every float32 sample equals float32(q) * float32(s) + 0 with q an int16, computed
    as the board computes it; None when there is none."""
    x32 = np.ascontiguousarray(raw, dtype=np.float32)
    if x32.size == 0 or not np.isfinite(x32).all():
        return None
    for s in _SCALES:
        s32 = np.float32(s)
        q = np.rint(x32.astype(np.float64) / float(s32))
        if np.abs(q).max() > INT16_MAX:
            continue
        rebuilt = q.astype(np.float32) * s32 + np.float32(0.0)
        if np.array_equal(rebuilt, x32):  # by value: -0.0 comes back as 0.0, the same to every DSP block
            return float(s32)
    return None


def encode_windows(raw: np.ndarray, host_features: np.ndarray, reference: Int8Reference | TreeReference,
                   device_dsp: bool, *, native: bool = True) -> EncodedWindows:
    """The test windows in the smallest format that keeps the board's results identical (see the module
    docstring); ``native=False`` keeps the board's raw form."""
    if device_dsp:
        as_raw = [w.astype(np.float32).tobytes() for w in raw]
        scale = int16_scale(raw) if native else None
        if scale is None:
            return EncodedWindows(SampleFormat.RAW, 1.0, 0.0, as_raw, as_raw)
        q = np.rint(np.asarray(raw, dtype=np.float64) / scale).astype("<i2")
        return EncodedWindows(SampleFormat.I16, scale, 0.0, [w.tobytes() for w in q], as_raw)
    model_in = reference.quantize(host_features.reshape(len(raw), -1))
    as_raw = [w.tobytes() for w in model_in]
    fmt = SampleFormat.I8 if native and model_in.dtype == np.int8 else SampleFormat.RAW
    return EncodedWindows(fmt, 1.0, 0.0, as_raw, as_raw)
