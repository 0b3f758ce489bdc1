"""Spectral features for motion and vibration: per-axis statistics and Welch band powers."""

from __future__ import annotations

import math

import numpy as np

from tinystudio.core.dsp.base import DspBlock, ParamSpec, as_batch
from tinystudio.core.dsp.fft import fft_ops, is_power_of_two, rfft_power
from tinystudio.core.dsp.logf import ONE_OVER_LN10, logf
from tinystudio.core.errors import UserError

STATS = ("mean", "rms", "std", "skew", "kurtosis")
EPS = 1e-10


def biquad_coefficients(kind: str, cutoff_hz: float, rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """2nd-order Butterworth (Q = 1/sqrt(2)) low/high-pass from the RBJ Audio EQ Cookbook.

    w0 = 2*pi*fc/fs, alpha = sin(w0)/(2Q), c = cos(w0); lowpass b = ((1-c)/2, 1-c, (1-c)/2),
    highpass b = ((1+c)/2, -(1+c), (1+c)/2); a = (1+alpha, -2c, 1-alpha); all divided by a0, computed in
    double and rounded to float32. Returns (b0, b1, b2), (a1, a2).
    """
    w0 = 2.0 * math.pi * cutoff_hz / rate_hz
    alpha = math.sin(w0) / (2.0 / math.sqrt(2.0))
    c = math.cos(w0)
    if kind == "lowpass":
        b = [(1 - c) / 2, 1 - c, (1 - c) / 2]
    else:
        b = [(1 + c) / 2, -(1 + c), (1 + c) / 2]
    a0, a1, a2 = 1 + alpha, -2 * c, 1 - alpha
    return (np.array([v / a0 for v in b], dtype=np.float32), np.array([a1 / a0, a2 / a0], dtype=np.float32))


SCALE_AND_FILTER = {  # the parameters every block that may filter its axes first shares
    "scale": ParamSpec(1.0, "Multiply every value by this factor first"),
    "filter": ParamSpec("none", "Optional 2nd-order Butterworth filter", ("none", "lowpass", "highpass")),
    "cutoff_hz": ParamSpec(3.0, "Filter cut-off frequency (Hz), below half the sample rate", minimum=0.0),
}


def filter_of(params: dict, rate_hz: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The coefficients of the filter ``params`` choose (None for no filter); a cut-off at or beyond half the
    sample rate is one clear line, since the filter would not be one."""
    if params["filter"] == "none":
        return None
    fc = params["cutoff_hz"]
    if not 0 < fc < rate_hz / 2:
        raise UserError(f"filter cut-off must be between 0 and {rate_hz / 2:g} Hz, got {fc:g}")
    return biquad_coefficients(params["filter"], fc, rate_hz)


def biquad(x: np.ndarray, b: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Direct form I over axis 1 of (n, frames, axes), zero initial state, float32:
    y[t] = b0*x[t] + b1*x[t-1] + b2*x[t-2] - a1*y[t-1] - a2*y[t-2], summed left to right."""
    y = np.zeros_like(x)
    x1 = np.zeros_like(x[:, 0])
    x2 = np.zeros_like(x1)
    y1 = np.zeros_like(x1)
    y2 = np.zeros_like(x1)
    for t in range(x.shape[1]):
        xt = x[:, t]
        yt = b[0] * xt + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2
        y[:, t] = yt
        x2, x1, y2, y1 = x1, xt, y1, yt
    return y


class SpectralBlock(DspBlock):
    """Per axis, on x = scale * window (optionally filtered by one biquad, see ``biquad``), L frames:

    mean = sum(x)/L; d = x - mean; var = sum(d^2)/L; std = sqrt(var); rms = sqrt(sum(x^2)/L) (every sum in
    float32 from t = 0 up; /L is a product with float32(1/L));
    skew = (sum(d^3)/L) / var^1.5 and kurtosis = (sum(d^4)/L) / var^2 - 3 (both 0 when var < 1e-10).
    Band powers (Welch): N = fft_length; segments of d of length N with hop N/2 (if L < N: one segment,
    zero-padded); S = 1 + (L-N)//(N/2) segments; each multiplied by the periodic Hann window
    w[n] = 0.5 - 0.5*cos(2*pi*n/N), P_k = (sum over segments, in order, of |FFT(seg*w)_k|^2 (``fft.rfft_power``))
    * float32(1/sum(w^2)) * float32(1/S) for k = 1..N/2; if ``log``: P_k = logf(P_k + 1e-10) * float32(1/ln 10)
    (``logf.logf``).
    Output, flat, axis after axis: [mean, rms, std, skew, kurtosis, P_1 .. P_{N/2}]: axes*(5 + N/2).
    """

    name = "spectral"
    version = 1
    title = "Spectral features"
    PARAMS = {
        **SCALE_AND_FILTER,
        "fft_length": ParamSpec(16, "FFT length (power of two): N/2 band powers per axis", minimum=4,
                                maximum=4096),
        "log": ParamSpec(True, "Take log10 of the band powers"),
    }

    def _setup(self) -> None:
        n = self.params["fft_length"]
        if not is_power_of_two(n):
            raise UserError(f"FFT length must be a power of two, got {n}")
        self._filter = filter_of(self.params, self.rate_hz)
        self._hann = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)
        self._segments = 1 if self.window_frames < n else 1 + (self.window_frames - n) // (n // 2)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self.axes * (len(STATS) + self.params["fft_length"] // 2),)

    def ops(self) -> int:
        n, frames = self.params["fft_length"], self.window_frames
        per_axis = 2 * frames  # scale
        if self._filter is not None:
            per_axis += 9 * frames
        per_axis += 12 * frames + 10  # moments
        rfft = fft_ops(n // 2) + 10 * (n // 4) + 4 * (n // 2)
        per_axis += self._segments * (2 * n + rfft) + (n // 2) * (3 if self.params["log"] else 1)
        return self.axes * per_axis

    def transform(self, windows: np.ndarray) -> np.ndarray:
        x = as_batch(windows, self.axes) * np.float32(self.params["scale"])
        if self._filter is not None:
            x = biquad(x, *self._filter)
        frames = x.shape[1]
        inv_l = np.float32(1.0 / frames)
        mean = _sum(x) * inv_l
        d = x - mean[:, None, :]
        d2 = d * d
        var = _sum(d2) * inv_l
        std = np.sqrt(var)
        rms = np.sqrt(_sum(x * x) * inv_l)
        m3 = _sum(d2 * d) * inv_l
        m4 = _sum(d2 * d2) * inv_l
        ok = var >= EPS
        safe = np.where(ok, var, np.float32(1.0))
        skew = np.where(ok, m3 / (safe * np.sqrt(safe)), np.float32(0.0))
        kurt = np.where(ok, m4 / (safe * safe) - np.float32(3.0), np.float32(0.0))
        powers = self._welch(d)
        stats = np.stack([mean, rms, std, skew, kurt], axis=2)  # (n, axes, 5)
        feats = np.concatenate([stats, powers], axis=2).astype(np.float32)
        return feats.reshape(feats.shape[0], -1)

    def _welch(self, d: np.ndarray) -> np.ndarray:
        n = self.params["fft_length"]
        seq = np.transpose(d, (0, 2, 1))  # (batch, axes, frames)
        if seq.shape[2] < n:
            seq = np.concatenate([seq, np.zeros((*seq.shape[:2], n - seq.shape[2]), np.float32)], axis=2)
        hop = n // 2
        segs = np.stack([seq[:, :, s * hop : s * hop + n] for s in range(self._segments)], axis=2)
        p = rfft_power(segs * self._hann)[..., 1:]  # (batch, axes, S, N/2)
        norm = np.float32(1.0) / (self._hann * self._hann).sum(dtype=np.float32)
        p = _sum(p, axis=2) * norm * np.float32(1.0 / self._segments)
        if self.params["log"]:
            p = logf(p + np.float32(EPS)) * ONE_OVER_LN10
        return p.astype(np.float32)


def _sum(x: np.ndarray, axis: int = 1) -> np.ndarray:
    """Float32 sum over ``axis`` from the first element up (a running sum, as a C loop adds)."""
    return np.cumsum(x, axis=axis, dtype=np.float32).take(-1, axis=axis)
