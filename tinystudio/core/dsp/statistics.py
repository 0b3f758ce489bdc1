"""Window statistics for motion data: per-axis mean, std, min, max and percentiles.

The features a random forest on window statistics (the classical baseline for activity recognition) uses,
as a block the search, the Train step and the board all share.
"""

from __future__ import annotations

import math

import numpy as np

from tinystudio.core.dsp.base import DspBlock, ParamSpec, as_batch
from tinystudio.core.dsp.spectral import SCALE_AND_FILTER, biquad, filter_of

BASIC = ("mean", "std", "min", "max")
PERCENTILES = (10, 25, 50, 75, 90)
"""The percentiles of ``percentiles=True``: the deciles and quartiles a window-statistics forest uses."""


def percentile_taps(frames: int) -> list[tuple[int, int, float]]:
    """Per percentile p of ``PERCENTILES``: (i, j, f) with position p/100*(L-1) computed in double,
    i its integer part, j = min(i+1, L-1) and f = float32(position - i). Fixed at code generation, so the
    host and the board interpolate with the same constants."""
    out = []
    for p in PERCENTILES:
        pos = p / 100.0 * (frames - 1)
        i = int(math.floor(pos))
        out.append((i, min(i + 1, frames - 1), float(np.float32(pos - i))))
    return out


class StatisticsBlock(DspBlock):
    """Per axis, on x = scale * window (optionally filtered by one biquad, ``spectral.biquad``), L frames:

    mean = sum(x) * float32(1/L); d = x - mean; std = sqrt(sum(d*d) * float32(1/L)) (each sum in float32 from
    +0, adding t = 0 up); s = x sorted ascending (a copy); min = s[0] + 0 and max = s[L-1] + 0 (+0 so that -0 reads +0
    whichever zero the sort put first); percentile p = s[i] + f * (s[j] - s[i]) in float32 with (i, j, f) from
    ``percentile_taps`` (linear interpolation at p/100*(L-1), as numpy's default).
    Output, flat, axis after axis: [mean, std, min, max] then, if ``percentiles``, [p10, p25, p50, p75, p90]:
    axes * 9 (axes * 4 without percentiles). Inputs must be finite.
    """

    name = "statistics"
    version = 1
    title = "Window statistics"
    PARAMS = {
        **SCALE_AND_FILTER,
        "percentiles": ParamSpec(True, "Add the 10th, 25th, 50th, 75th and 90th percentiles of each axis"),
    }

    def _setup(self) -> None:
        self._filter = filter_of(self.params, self.rate_hz)
        self._taps = percentile_taps(self.window_frames) if self.params["percentiles"] else []

    @property
    def stats(self) -> int:
        """Features per axis."""
        return len(BASIC) + len(self._taps)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self.axes * self.stats,)

    def ops(self) -> int:
        frames = self.window_frames
        per_axis = 2 * frames + 4 * frames + 4  # scale, mean and std
        if self._filter is not None:
            per_axis += 9 * frames
        if self._taps:  # a merge sort: about L log2 L comparisons and moves
            per_axis += 2 * frames * max(1, frames.bit_length()) + 3 * len(self._taps)
        else:
            per_axis += 2 * frames
        return self.axes * per_axis

    def transform(self, windows: np.ndarray) -> np.ndarray:
        x = as_batch(windows, self.axes) * np.float32(self.params["scale"])
        if self._filter is not None:
            x = biquad(x, *self._filter)
        inv_l = np.float32(1.0 / x.shape[1])
        zero = np.float32(0.0)
        mean = (np.cumsum(x, axis=1, dtype=np.float32)[:, -1] + zero) * inv_l  # + 0: a sum of -0s is +0, as in C
        d = x - mean[:, None, :]
        std = np.sqrt(np.cumsum(d * d, axis=1, dtype=np.float32)[:, -1] * inv_l)
        if self._taps:
            s = np.sort(x, axis=1)
            lo, hi = s[:, 0] + zero, s[:, -1] + zero
            cols = [mean, std, lo, hi]
            cols += [s[:, i] + np.float32(f) * (s[:, j] - s[:, i]) for i, j, f in self._taps]
        else:
            cols = [mean, std, x.min(axis=1) + zero, x.max(axis=1) + zero]
        feats = np.stack(cols, axis=2).astype(np.float32)  # (n, axes, stats)
        return feats.reshape(feats.shape[0], -1)
