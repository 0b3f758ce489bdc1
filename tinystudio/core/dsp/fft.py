"""Radix-4 FFT and real-input power spectrum in float32, written out so the C runtime mirrors them op for op.

Complex FFT of M points (M a power of two): X[k] = sum_{n<M} z[n] * exp(-2*pi*i*k*n/M), decimation in time
on bit-reversed input. If log2(M) is odd, a first radix-2 stage (a + b, a - b) on neighbours; then radix-4
stages of quarter h = 1 or 2, 4h, 16h, ... < M. A radix-4 stage combines x0..x3 at j, j+h, j+2h, j+3h of each
group of 4h (j < h) with u = W^j = exp(-2*pi*i*j/(4h)): b1 = u^2*x1, b2 = u*x2, b3 = u^3*x3 (complex products
(ur*xr - ui*xi, ur*xi + ui*xr)), s0 = x0 + b1, d0 = x0 - b1, s1 = b2 + b3, d1 = b2 - b3, then
y0 = s0 + s1, y1 = d0 - i*d1, y2 = s0 - s1, y3 = d0 + i*d1. Twiddles u, u^2, u^3 are computed in double and
rounded to float32 (``stage_twiddles``); every step is a float32 operation, no fused multiply-add.

Real FFT of N = 2M samples: z[n] = x[2n] + i*x[2n+1], Z = FFT_M(z), then the split step for k = 1 .. M/2-1
with A = Z[k], B = Z[M-k], w = W_N^k = (cos, -sin)(2*pi*k/N) in float32: E = (Ar + Br, Ai - Bi),
O = (Ar - Br, Ai + Bi), T = w*O, Y_k = (Er + Ti, Ei - Tr), Y_{M-k} = (Er - Ti, Ei + Tr), and
|X_k|^2 = (Yr*Yr + Yi*Yi) * 0.25 (Y = 2X). Ends: |X_0|^2 = (Zr+Zi)^2, |X_M|^2 = (Zr-Zi)^2 of Z[0], and
|X_{M/2}|^2 = Zr*Zr + Zi*Zi of Z[M/2]. Scaling by powers of two is exact, so the C code may fold those
factors into its constants and still give the same bits.
Tolerance against a double-precision FFT: |error| <= 1e-7 * max|x| * sqrt(N) * log2(N) per bin.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tinystudio.core.errors import UserError


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


@lru_cache(maxsize=64)
def bit_reversal(m: int) -> np.ndarray:
    """Bit-reversal permutation of m (a power of two) indices."""
    bits = m.bit_length() - 1
    return np.array([int(format(i, f"0{bits}b")[::-1], 2) if bits else 0 for i in range(m)], dtype=np.int64)


@lru_cache(maxsize=64)
def stage_twiddles(m: int) -> tuple[np.ndarray, ...]:
    """Per radix-4 stage of an m-point FFT, (h, 6) float32 rows (ur, ui, u2r, u2i, u3r, u3i), u = W_{4h}^j."""
    h = 2 if (m.bit_length() - 1) % 2 else 1
    out = []
    while h < m:
        theta = 2.0 * np.pi * np.arange(h, dtype=np.float64) / (4 * h)
        cols = [f(q * theta) for q in (1, 2, 3) for f in (np.cos, lambda a: -np.sin(a))]
        out.append(np.stack(cols, axis=1).astype(np.float32))
        h *= 4
    return tuple(out)


@lru_cache(maxsize=64)
def split_twiddles(n: int) -> np.ndarray:
    """(N/4 - 1, 2) float32 rows (cos, -sin)(2*pi*k/N) for k = 1 .. N/4 - 1: the real FFT's split step."""
    theta = 2.0 * np.pi * np.arange(1, max(1, n // 4), dtype=np.float64) / n
    return np.stack([np.cos(theta), -np.sin(theta)], axis=1).astype(np.float32).reshape(-1, 2)


def _cmul(ur: np.ndarray, ui: np.ndarray, xr: np.ndarray, xi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ur * xr - ui * xi, ur * xi + ui * xr


def fft_bitrev(re: np.ndarray, im: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Complex FFT over the last axis of float32 (re, im) given in bit-reversed order; natural-order out."""
    m = re.shape[-1]
    lead = re.shape[:-1]
    h = 1
    if (m.bit_length() - 1) % 2:
        r, i = re.reshape(*lead, m // 2, 2), im.reshape(*lead, m // 2, 2)
        re = np.stack([r[..., 0] + r[..., 1], r[..., 0] - r[..., 1]], axis=-1).reshape(*lead, m)
        im = np.stack([i[..., 0] + i[..., 1], i[..., 0] - i[..., 1]], axis=-1).reshape(*lead, m)
        h = 2
    for tw in stage_twiddles(m):
        r, i = re.reshape(*lead, m // (4 * h), 4, h), im.reshape(*lead, m // (4 * h), 4, h)
        ur, ui, u2r, u2i, u3r, u3i = tw.T
        x0r, x0i = r[..., 0, :], i[..., 0, :]
        b1r, b1i = _cmul(u2r, u2i, r[..., 1, :], i[..., 1, :])
        b2r, b2i = _cmul(ur, ui, r[..., 2, :], i[..., 2, :])
        b3r, b3i = _cmul(u3r, u3i, r[..., 3, :], i[..., 3, :])
        s0r, s0i, d0r, d0i = x0r + b1r, x0i + b1i, x0r - b1r, x0i - b1i
        s1r, s1i, d1r, d1i = b2r + b3r, b2i + b3i, b2r - b3r, b2i - b3i
        re = np.stack([s0r + s1r, d0r + d1i, s0r - s1r, d0r - d1i], axis=-2).reshape(*lead, m)
        im = np.stack([s0i + s1i, d0i - d1r, s0i - s1i, d0i + d1r], axis=-2).reshape(*lead, m)
        h *= 4
    return re, im


def fft(re: np.ndarray, im: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Complex FFT over the last axis (length N, a power of two) of float32 (re, im); returns (re, im)."""
    n = re.shape[-1]
    if not is_power_of_two(n):
        raise UserError(f"FFT length must be a power of two, got {n}")
    rev = bit_reversal(n)
    return fft_bitrev(np.asarray(re, dtype=np.float32)[..., rev], np.asarray(im, dtype=np.float32)[..., rev])


def rfft_power(x: np.ndarray) -> np.ndarray:
    """|X[k]|^2 for k = 0..N/2 of a real float32 signal over the last axis (N a power of two, at least 2),
    by the N/2-point complex FFT and the split step of the module docstring."""
    x = np.asarray(x, dtype=np.float32)
    n = x.shape[-1]
    if not is_power_of_two(n) or n < 2:
        raise UserError(f"FFT length must be a power of two of at least 2, got {n}")
    m = n // 2
    rev = bit_reversal(m)
    zr, zi = fft_bitrev(x[..., 0::2][..., rev], x[..., 1::2][..., rev])
    power = np.empty((*x.shape[:-1], m + 1), dtype=np.float32)
    s, d = zr[..., 0] + zi[..., 0], zr[..., 0] - zi[..., 0]
    power[..., 0], power[..., m] = s * s, d * d
    q = m // 2
    if q:
        power[..., q] = zr[..., q] * zr[..., q] + zi[..., q] * zi[..., q]
    if q > 1:
        w = split_twiddles(n)
        ar, ai = zr[..., 1:q], zi[..., 1:q]
        br, bi = zr[..., m - 1 : q : -1], zi[..., m - 1 : q : -1]
        er, ei, o_r, oi = ar + br, ai - bi, ar - br, ai + bi
        tr, ti = _cmul(w[:, 0], w[:, 1], o_r, oi)
        yr, yi = er + ti, ei - tr
        power[..., 1:q] = (yr * yr + yi * yi) * np.float32(0.25)
        yr, yi = er - ti, ei + tr
        power[..., m - 1 : q : -1] = (yr * yr + yi * yi) * np.float32(0.25)
    return power


def fft_ops(n: int) -> int:
    """Operations of one length-n complex FFT: (n/2)*log2(n) butterflies of 10 flops each."""
    return 5 * n * max(1, n.bit_length() - 1)
