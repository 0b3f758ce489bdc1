"""Radix-2 FFT in float32, written out so the C runtime can mirror it step for step.

Math: X[k] = sum_{n<N} x[n] * exp(-2*pi*i*k*n/N), N a power of two. Iterative decimation in time:
bit-reverse the input order, then for block sizes m = 2, 4, ..., N combine halves with twiddles
w_j = cos(2*pi*j*N/m/N) - i*sin(...) taken from one table cos/sin(2*pi*t/N), t < N/2, computed in double
and rounded to float32. Butterfly (a, b) -> (a + w*b, a - w*b) with the complex product
(wr*br - wi*bi, wr*bi + wi*br), float32, no fused multiply-add. Tolerance for a C mirror or a reference
FFT in double: |error| <= 1e-7 * max|x| * sqrt(N) * log2(N) per bin (observed: a quarter of that).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tinystudio.core.errors import UserError


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


@lru_cache(maxsize=32)
def _tables(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    bits = n.bit_length() - 1
    rev = np.array([int(format(i, f"0{bits}b")[::-1], 2) if bits else 0 for i in range(n)], dtype=np.int64)
    t = np.arange(n // 2, dtype=np.float64)
    cos = np.cos(2.0 * np.pi * t / n).astype(np.float32)
    sin = np.sin(2.0 * np.pi * t / n).astype(np.float32)
    return rev, cos, sin


def fft(re: np.ndarray, im: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Complex FFT over the last axis (length N, a power of two) of float32 (re, im); returns (re, im)."""
    n = re.shape[-1]
    if not is_power_of_two(n):
        raise UserError(f"FFT length must be a power of two, got {n}")
    rev, cos, sin = _tables(n)
    re = np.asarray(re, dtype=np.float32)[..., rev]
    im = np.asarray(im, dtype=np.float32)[..., rev]
    lead = re.shape[:-1]
    m = 2
    while m <= n:
        half = m // 2
        step = n // m
        wr = cos[: half * step : step]
        wi = -sin[: half * step : step]
        r = re.reshape(*lead, n // m, m)
        i = im.reshape(*lead, n // m, m)
        ar, ai = r[..., :half], i[..., :half]
        br, bi = r[..., half:], i[..., half:]
        tr = (wr * br - wi * bi).astype(np.float32)
        ti = (wr * bi + wi * br).astype(np.float32)
        re = np.concatenate([ar + tr, ar - tr], axis=-1).reshape(*lead, n)
        im = np.concatenate([ai + ti, ai - ti], axis=-1).reshape(*lead, n)
        m *= 2
    return re, im


def rfft_power(x: np.ndarray) -> np.ndarray:
    """|X[k]|^2 for k = 0..N/2 of a real float32 signal over the last axis (N a power of two).

    Computed as the complex FFT of (x, 0); power = re*re + im*im in float32.
    """
    x = np.asarray(x, dtype=np.float32)
    re, im = fft(x, np.zeros_like(x))
    k = x.shape[-1] // 2 + 1
    re, im = re[..., :k], im[..., :k]
    return (re * re + im * im).astype(np.float32)


def fft_ops(n: int) -> int:
    """Operations of one length-n complex FFT: (n/2)*log2(n) butterflies of 10 flops each."""
    return 5 * n * max(1, n.bit_length() - 1)
