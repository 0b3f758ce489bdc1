"""Audio framing and the mel filterbank shared by the MFE and MFCC blocks (documented formulas)."""

from __future__ import annotations

import numpy as np

from tinystudio.core.dsp.base import ParamSpec
from tinystudio.core.dsp.fft import is_power_of_two, rfft_power
from tinystudio.core.dsp.logf import TEN_OVER_LN10, logf
from tinystudio.core.errors import UserError

MIN_FRAME = 8

FRAME_PARAMS = {
    "scale": ParamSpec(1.0, "Multiply every value by this factor first"),
    "frame_length_ms": ParamSpec(25.0, "Length of one frame (ms)", minimum=0.001),
    "frame_stride_ms": ParamSpec(10.0, "Step between frames (ms)", minimum=0.001),
    "fft_length": ParamSpec(0, "FFT length (power of two, at least the frame length); 0 = smallest such",
                            minimum=0, maximum=8192),
    "n_mels": ParamSpec(32, "Number of mel bands", minimum=1, maximum=256),
    "low_hz": ParamSpec(0.0, "Lowest band edge (Hz)", minimum=0.0),
    "high_hz": ParamSpec(0.0, "Highest band edge (Hz); 0 = half the sample rate", minimum=0.0),
}


def hz_to_mel(f: np.ndarray | float) -> np.ndarray:
    """HTK mel scale: 2595 * log10(1 + f / 700)."""
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m: np.ndarray | float) -> np.ndarray:
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(n_mels: int, n_fft: int, rate_hz: float, low_hz: float, high_hz: float) -> np.ndarray:
    """Triangular filters (n_mels, n_fft/2 + 1), computed in double, rounded to float32.

    Edges: n_mels + 2 points equally spaced in mel from mel(low) to mel(high), mapped back to Hz:
    e_0 .. e_{n_mels+1}. Bin k sits at f_k = k * rate / n_fft. Filter m (1-based centre e_m):
    W[m, k] = max(0, min((f_k - e_{m-1}) / (e_m - e_{m-1}), (e_{m+1} - f_k) / (e_{m+1} - e_m))).
    """
    edges = mel_to_hz(np.linspace(hz_to_mel(low_hz), hz_to_mel(high_hz), n_mels + 2))
    freqs = np.arange(n_fft // 2 + 1, dtype=np.float64) * rate_hz / n_fft
    lo, ce, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (freqs[None, :] - lo) / (ce - lo)
    down = (hi - freqs[None, :]) / (hi - ce)
    return np.maximum(0.0, np.minimum(up, down)).astype(np.float32)


def sparse_filters(bank: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The filterbank as (start bin, length, weights): filter m spans bins start[m] .. start[m]+length[m]-1
    (first to last nonzero weight; length 0 for a filter between two bins) and its weights follow those of
    filter m-1 in one flat float32 array."""
    starts, lengths, weights = [], [], []
    for row in np.asarray(bank, dtype=np.float32):
        nz = np.flatnonzero(row)
        first, last = (int(nz[0]), int(nz[-1]) + 1) if nz.size else (0, 0)
        starts.append(first)
        lengths.append(last - first)
        weights.append(row[first:last])
    return np.array(starts, np.int64), np.array(lengths, np.int64), np.concatenate(weights).astype(np.float32)


def sparse_mel(power: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """E_m = sum_k W[m, k] * P_k over filter m's span, summed from its first bin up in float32: (..., bins)
    -> (..., n_mels). Zero weights outside a span add exact zeros (P >= 0), so padding the spans to one
    length changes nothing."""
    starts, lengths, weights = sparse_filters(bank)
    width = int(lengths.max()) if lengths.size else 0
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    pad = np.zeros((len(starts), width), np.float32)
    index = np.zeros((len(starts), width), np.int64)
    for m, (start, length) in enumerate(zip(starts, lengths, strict=True)):
        pad[m, :length] = weights[offsets[m] : offsets[m] + length]
        index[m] = np.minimum(start + np.arange(width), power.shape[-1] - 1)
    energy = np.zeros((*power.shape[:-1], len(starts)), np.float32)
    for t in range(width):
        energy = energy + pad[:, t] * power[..., index[:, t]]
    return energy


class Framer:
    """Frames, Hann window, power spectrum and mel energies of the first axis of a window.

    frame = round(frame_length_ms*rate/1000) samples, hop = round(frame_stride_ms*rate/1000);
    n_frames = 1 + (L - frame)//hop. Each frame: x = scale*signal, multiplied by the periodic Hann
    window of length ``frame`` (0.5 - 0.5*cos(2*pi*n/frame)), zero-padded to N = fft_length,
    P_k = |FFT_k|^2 * (1/N) for k = 0..N/2 (``fft.rfft_power``), mel energy E_m = sum_k W[m, k] * P_k over
    the filter's nonzero span (``mel_filterbank``, ``sparse_mel``).
    """

    def __init__(self, params: dict, rate_hz: float, window_frames: int) -> None:
        self.frame = max(1, int(round(params["frame_length_ms"] * rate_hz / 1000.0)))
        self.hop = max(1, int(round(params["frame_stride_ms"] * rate_hz / 1000.0)))
        if window_frames < self.frame:
            raise UserError(
                f"the window ({window_frames} samples) is shorter than one audio frame ({self.frame} samples)"
            )
        if self.frame < MIN_FRAME:
            raise UserError(
                f"an audio frame of {params['frame_length_ms']:g} ms is only {self.frame} sample(s) at {rate_hz:g} Hz:"
                " MFE/MFCC need audio-rate data or longer frames"
            )
        self.n_frames = 1 + (window_frames - self.frame) // self.hop
        n_fft = int(params["fft_length"]) or 1 << max(1, (self.frame - 1).bit_length())
        if not is_power_of_two(n_fft) or n_fft < self.frame:
            raise UserError(f"FFT length must be a power of two of at least {self.frame}, got {n_fft}")
        self.n_fft = n_fft
        high = params["high_hz"] or rate_hz / 2.0
        if not 0 <= params["low_hz"] < high <= rate_hz / 2.0 + 1e-9:
            raise UserError(f"mel band edges must satisfy 0 <= low < high <= {rate_hz / 2:g} Hz")
        self.scale = np.float32(params["scale"])
        self.n_mels = int(params["n_mels"])
        self.window = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(self.frame) / self.frame)).astype(np.float32)
        self.bank = mel_filterbank(self.n_mels, n_fft, rate_hz, params["low_hz"], high)

    def mel_energies(self, x: np.ndarray) -> np.ndarray:
        """(n, frames, axes) -> mel energies (n, n_frames, n_mels) of axis 0, float32."""
        sig = x[:, :, 0] * self.scale
        frames = np.stack(
            [sig[:, f * self.hop : f * self.hop + self.frame] for f in range(self.n_frames)], axis=1
        ) * self.window
        padded = np.zeros((*frames.shape[:2], self.n_fft), dtype=np.float32)
        padded[..., : self.frame] = frames
        power = rfft_power(padded) * np.float32(1.0 / self.n_fft)
        return sparse_mel(power, self.bank)

    def ops(self) -> int:
        from tinystudio.core.dsp.fft import fft_ops

        bins = self.n_fft // 2 + 1
        span = int(np.count_nonzero(self.bank))
        per_frame = 2 * self.frame + fft_ops(self.n_fft // 2) + 10 * (self.n_fft // 4) + 4 * bins + 2 * span
        return self.n_frames * per_frame


def db(energy: np.ndarray) -> np.ndarray:
    """10 * log10(E + 1e-10) as logf(E + 1e-10) * float32(10 / ln 10), float32 (``logf.logf``)."""
    return (logf(energy + np.float32(1e-10)) * TEN_OVER_LN10).astype(np.float32)
