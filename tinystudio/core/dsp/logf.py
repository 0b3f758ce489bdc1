"""Natural logarithm in float32 operations, identical bit for bit to the firmware's ``tsr_logf`` in C.

The algorithm of FreeBSD's/musl's e_logf.c (Sun Microsystems, freely distributable): x = 2^k * m with
m in [sqrt(2)/2, sqrt(2)) from the bit pattern, f = m - 1, s = f / (2 + f), z = s*s, w = z*z,
R = z*(Lg1 + w*Lg3) + w*(Lg2 + w*Lg4), hfsq = 0.5*f*f, ln x = s*(hfsq + R) + k*ln2_lo - hfsq + f + k*ln2_hi,
every step a float32 operation left to right (error below 1 ulp). Inputs below the smallest normal float
(zero, subnormals, negatives) give ln(2^-126); inf and nan come back unchanged. The DSP blocks only take
logarithms of energies plus 1e-10, so those cases never carry information.
Both sides evaluate the same float32 steps, so the board's log features equal the host's exactly.
"""

from __future__ import annotations

import numpy as np

LN2_HI = np.float32(6.9313812256e-01)
LN2_LO = np.float32(9.0580006145e-06)
LG1 = np.float32(float.fromhex("0xaaaaaa.0p-24"))
LG2 = np.float32(float.fromhex("0xccce13.0p-25"))
LG3 = np.float32(float.fromhex("0x91e9ee.0p-25"))
LG4 = np.float32(float.fromhex("0xf89e26.0p-26"))
SMALLEST_NORMAL = 0x00800000
SQRT_HALF_BITS = 0x3F3504F3
ONE_BITS = 0x3F800000
INF_BITS = 0x7F800000
TEN_OVER_LN10 = np.float32(4.342945)
"""10 / ln(10) in float32, one step above the nearest (4.3429446) so that the blocks' 1e-10 floor comes out at
exactly -100 dB: 10*log10(x) is computed as logf(x) * TEN_OVER_LN10 (relative error 1.2e-7)."""
ONE_OVER_LN10 = np.float32(0.4342945)
"""1 / ln(10), the nearest float32 (1e-10 gives exactly -10): log10(x) is logf(x) * ONE_OVER_LN10."""


def logf(x: np.ndarray) -> np.ndarray:
    """Elementwise natural log of a float32 array, as the firmware's tsr_logf computes it."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    ix = x.view(np.uint32)
    small = (ix < SMALLEST_NORMAL) | (ix >> 31 != 0)
    special = (ix >= INF_BITS) & ~small
    ix = np.where(small | special, np.uint32(SMALLEST_NORMAL), ix)
    ix = ix + np.uint32(ONE_BITS - SQRT_HALF_BITS)
    k = (ix >> 23).astype(np.int32) - 0x7F
    m = ((ix & np.uint32(0x007FFFFF)) + np.uint32(SQRT_HALF_BITS)).view(np.float32)
    f = m - np.float32(1.0)
    s = f / (np.float32(2.0) + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * LG4)
    t2 = z * (LG1 + w * LG3)
    r = t2 + t1
    hfsq = np.float32(0.5) * f * f
    dk = k.astype(np.float32)
    out = s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI
    return np.where(special, x, out).astype(np.float32)
