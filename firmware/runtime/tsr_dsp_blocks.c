/* tsr_dsp_blocks.c - float32 DSP blocks mirroring tinystudio/core/dsp (see tsr_dsp_blocks.h). */
#include "tsr_dsp_blocks.h"

#include <math.h>

#define TSR_EPS 1e-10f
#define TSR_TEN_OVER_LN10 4.342945f /* 10 / ln 10 (1e-10 gives exactly -100 dB), as logf.py */
#define TSR_ONE_OVER_LN10 0.4342945f /* float32(1 / ln 10), as logf.py */

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

/* Natural logarithm in float32 steps that tinystudio/core/dsp/logf.py repeats one for one, so the board's
   log features equal the host's. x = 2^k * m with m in [sqrt(1/2), sqrt(2)) read off the bit pattern;
   f = m - 1, s = f / (2 + f), and ln m = 2 atanh(s) = (f - s f) + 2 s^3 (1/3 + s^2/5 + ... + s^8/11)
   (2s = f - s f exactly, which keeps f's bits); ln 2 is split so that k * TSR_LN2_HI is exact. Under 1 ulp
   on the test's 600,000 samples. Inputs below the smallest normal float give ln(2^-126). */
#define TSR_LN2_HI 0.693145751953125f    /* ln 2 to 16 bits */
#define TSR_LN2_LO 1.42860676533018e-06f /* ln 2 - TSR_LN2_HI */
static inline float log_inline(float x)
{
    uint32_t ix = bits_of(x);
    int32_t k;
    float m, f, s, z, p, lnm, dk;
    if (ix < 0x00800000u || (ix >> 31) != 0u) {
        ix = 0x00800000u;
    } else if (ix >= 0x7f800000u) {
        return x;
    }
    ix += 0x3f800000u - 0x3f3504f3u; /* exponent of m * sqrt(2), so that m lands in [sqrt(1/2), sqrt(2)) */
    k = (int32_t)(ix >> 23) - 0x7f;
    m = float_of((ix & 0x007fffffu) + 0x3f3504f3u);
    f = m - 1.0f;
    s = f / (2.0f + f);
    z = s * s;
    p = (1.0f / 9.0f) + z * (1.0f / 11.0f);
    p = (1.0f / 7.0f) + z * p;
    p = (1.0f / 5.0f) + z * p;
    p = (1.0f / 3.0f) + z * p;
    lnm = (s * (z * p) * 2.0f - s * f) + f;
    dk = (float)k;
    return (dk * TSR_LN2_LO + lnm) + dk * TSR_LN2_HI;
}

float tsr_logf(float x) { return log_inline(x); }

/* One radix-4 butterfly on p0..p3 (interleaved complex), the twiddle products b1..b3 already taken. */
#define TSR_RADIX4(p0, p1, p2, p3, x0r, x0i, b1r, b1i, b2r, b2i, b3r, b3i)                                  \
    do {                                                                                                    \
        float s0r = (x0r) + (b1r), s0i = (x0i) + (b1i), d0r = (x0r) - (b1r), d0i = (x0i) - (b1i);           \
        float s1r = (b2r) + (b3r), s1i = (b2i) + (b3i), d1r = (b2r) - (b3r), d1i = (b2i) - (b3i);           \
        (p0)[0] = s0r + s1r;                                                                                \
        (p0)[1] = s0i + s1i;                                                                                \
        (p1)[0] = d0r + d1i;                                                                                \
        (p1)[1] = d0i - d1r;                                                                                \
        (p2)[0] = s0r - s1r;                                                                                \
        (p2)[1] = s0i - s1i;                                                                                \
        (p3)[0] = d0r - d1i;                                                                                \
        (p3)[1] = d0i + d1r;                                                                                \
    } while (0)

static int odd_log2(uint32_t m)
{
    uint32_t bits = 0;
    for (; m > 1u; m >>= 1) {
        bits++;
    }
    return (int)(bits & 1u);
}

#if defined(__arm__) && defined(__ARM_FP) && (__ARM_FP & 4)
#define TSR_VFP_ASM 1
/* One group of a radix-4 stage on a single-precision FPU, in assembly so that each complex point moves with one
   two-register load or store (the compiler moves floats one at a time) and the pointers advance as they store:
   the butterfly j = 0 (u = 1), then j = 1 .. h-1 with the twiddles u, u^2, u^3 of tw (6 floats per j). The
   float32 operations are those of the C loop below, one for one and with the same operands, so the results
   are the same bits. p0..p3: the group's four quarters. */
static void radix4_group(float *p0, float *p1, float *p2, float *p3, const float *tw, uint32_t h)
{
    __asm__ volatile(
        "vldmia %[p0], {s0-s1}\n\t"
        "vldmia %[p1], {s2-s3}\n\t"
        "vldmia %[p2], {s4-s5}\n\t"
        "vldmia %[p3], {s6-s7}\n\t"
        "vadd.f32 s8, s0, s2\n\t" /* s0 = x0 + x1 */
        "vadd.f32 s9, s1, s3\n\t"
        "vsub.f32 s10, s0, s2\n\t" /* d0 = x0 - x1 */
        "vsub.f32 s11, s1, s3\n\t"
        "vadd.f32 s12, s4, s6\n\t" /* s1 = x2 + x3 */
        "vadd.f32 s13, s5, s7\n\t"
        "vsub.f32 s14, s4, s6\n\t" /* d1 = x2 - x3 */
        "vsub.f32 s15, s5, s7\n\t"
        "vadd.f32 s0, s8, s12\n\t" /* y0 = s0 + s1 */
        "vadd.f32 s1, s9, s13\n\t"
        "vadd.f32 s2, s10, s15\n\t" /* y1 = (d0r + d1i, d0i - d1r) */
        "vsub.f32 s3, s11, s14\n\t"
        "vsub.f32 s4, s8, s12\n\t" /* y2 = s0 - s1 */
        "vsub.f32 s5, s9, s13\n\t"
        "vsub.f32 s6, s10, s15\n\t" /* y3 = (d0r - d1i, d0i + d1r) */
        "vadd.f32 s7, s11, s14\n\t"
        "vstmia %[p0]!, {s0-s1}\n\t"
        "vstmia %[p1]!, {s2-s3}\n\t"
        "vstmia %[p2]!, {s4-s5}\n\t"
        "vstmia %[p3]!, {s6-s7}\n\t"
        "subs %[n], %[n], #1\n\t"
        "beq 2f\n"
        "1:\n\t"
        "vldmia %[tw]!, {s8-s13}\n\t" /* ur ui u2r u2i u3r u3i */
        "vldmia %[p0], {s0-s1}\n\t"
        "vldmia %[p1], {s2-s3}\n\t"
        "vldmia %[p2], {s4-s5}\n\t"
        "vldmia %[p3], {s6-s7}\n\t"
        "vmul.f32 s14, s10, s2\n\t" /* b1 = u^2 x1 */
        "vmul.f32 s15, s11, s3\n\t"
        "vmul.f32 s16, s10, s3\n\t"
        "vmul.f32 s17, s11, s2\n\t"
        "vsub.f32 s14, s14, s15\n\t"
        "vadd.f32 s15, s16, s17\n\t"
        "vmul.f32 s16, s8, s4\n\t" /* b2 = u x2 */
        "vmul.f32 s17, s9, s5\n\t"
        "vmul.f32 s18, s8, s5\n\t"
        "vmul.f32 s19, s9, s4\n\t"
        "vsub.f32 s16, s16, s17\n\t"
        "vadd.f32 s17, s18, s19\n\t"
        "vmul.f32 s18, s12, s6\n\t" /* b3 = u^3 x3 */
        "vmul.f32 s19, s13, s7\n\t"
        "vmul.f32 s20, s12, s7\n\t"
        "vmul.f32 s21, s13, s6\n\t"
        "vsub.f32 s18, s18, s19\n\t"
        "vadd.f32 s19, s20, s21\n\t"
        "vadd.f32 s2, s0, s14\n\t" /* s0 = x0 + b1 */
        "vadd.f32 s3, s1, s15\n\t"
        "vsub.f32 s0, s0, s14\n\t" /* d0 = x0 - b1 */
        "vsub.f32 s1, s1, s15\n\t"
        "vadd.f32 s4, s16, s18\n\t" /* s1 = b2 + b3 */
        "vadd.f32 s5, s17, s19\n\t"
        "vsub.f32 s6, s16, s18\n\t" /* d1 = b2 - b3 */
        "vsub.f32 s7, s17, s19\n\t"
        "vadd.f32 s8, s2, s4\n\t" /* y0 = s0 + s1 */
        "vadd.f32 s9, s3, s5\n\t"
        "vsub.f32 s10, s2, s4\n\t" /* y2 = s0 - s1 */
        "vsub.f32 s11, s3, s5\n\t"
        "vadd.f32 s12, s0, s7\n\t" /* y1 = (d0r + d1i, d0i - d1r) */
        "vsub.f32 s13, s1, s6\n\t"
        "vsub.f32 s14, s0, s7\n\t" /* y3 = (d0r - d1i, d0i + d1r) */
        "vadd.f32 s15, s1, s6\n\t"
        "vstmia %[p0]!, {s8-s9}\n\t"
        "vstmia %[p1]!, {s12-s13}\n\t"
        "vstmia %[p2]!, {s10-s11}\n\t"
        "vstmia %[p3]!, {s14-s15}\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n"
        "2:\n"
        : [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [p3] "+r"(p3), [tw] "+r"(tw), [n] "+r"(h)
        :
        : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15",
          "s16", "s17", "s18", "s19", "s20", "s21", "cc", "memory");
}
#endif

/* The radix-4 stages of quarter h, 4h, ... < m (h = 1, or 2 after a radix-2 stage) of total / m FFTs of m
   points one after the other in z: groups never straddle two of them, so one pass serves them all. */
static void radix4_stages(uint32_t m, uint32_t total, const float *stages, float *z, uint32_t h)
{
    float *end = z + 2u * total;
    for (; h < m; h *= 4u) {
        uint32_t q = 2u * h;  /* floats from one quarter to the next */
        uint32_t span = 4u * q; /* floats per group */
        float *p;
#ifdef TSR_VFP_ASM
        for (p = z; p < end; p += span) {
            radix4_group(p, p + q, p + 2u * q, p + 3u * q, stages + 6, h);
        }
#else
        uint32_t j;
        for (p = z; p < end; p += span) { /* j = 0: u = 1 */
            float *p1 = p + q, *p2 = p1 + q, *p3 = p2 + q;
            TSR_RADIX4(p, p1, p2, p3, p[0], p[1], p1[0], p1[1], p2[0], p2[1], p3[0], p3[1]);
        }
        if (span == 2u * total) { /* one group: walk the twiddles and the butterflies together */
            const float *u = stages + 6;
            for (p = z + 2; p < z + q; p += 2, u += 6) {
                float *p1 = p + q, *p2 = p1 + q, *p3 = p2 + q;
                float x1r = p1[0], x1i = p1[1], x2r = p2[0], x2i = p2[1], x3r = p3[0], x3i = p3[1];
                float b1r = u[2] * x1r - u[3] * x1i, b1i = u[2] * x1i + u[3] * x1r;
                float b2r = u[0] * x2r - u[1] * x2i, b2i = u[0] * x2i + u[1] * x2r;
                float b3r = u[4] * x3r - u[5] * x3i, b3i = u[4] * x3i + u[5] * x3r;
                TSR_RADIX4(p, p1, p2, p3, p[0], p[1], b1r, b1i, b2r, b2i, b3r, b3i);
            }
        } else {
            for (j = 1u; j < h; j++) {
                const float *u = stages + 6u * j;
                float ur = u[0], ui = u[1], u2r = u[2], u2i = u[3], u3r = u[4], u3i = u[5];
                for (p = z + 2u * j; p < end; p += span) {
                    float *p1 = p + q, *p2 = p1 + q, *p3 = p2 + q;
                    float x1r = p1[0], x1i = p1[1], x2r = p2[0], x2i = p2[1], x3r = p3[0], x3i = p3[1];
                    float b1r = u2r * x1r - u2i * x1i, b1i = u2r * x1i + u2i * x1r;
                    float b2r = ur * x2r - ui * x2i, b2i = ur * x2i + ui * x2r;
                    float b3r = u3r * x3r - u3i * x3i, b3i = u3r * x3i + u3i * x3r;
                    TSR_RADIX4(p, p1, p2, p3, p[0], p[1], b1r, b1i, b2r, b2i, b3r, b3i);
                }
            }
        }
#endif
        stages += 6u * h;
    }
}

void tsr_cfft(uint32_t m, const float *stages, float *z)
{
    uint32_t h = 1u;
    if (odd_log2(m)) {
        float *end = z + 2u * m;
        float *p;
        for (p = z; p < end; p += 4) {
            float ar = p[0], ai = p[1], br = p[2], bi = p[3];
            p[0] = ar + br;
            p[1] = ai + bi;
            p[2] = ar - br;
            p[3] = ai - bi;
        }
        h = 2u;
    }
    radix4_stages(m, m, stages, z, h);
}

/* The real FFT's split step from the complex spectrum z of N/2 points: power4[k] = 4 |X_k|^2, k = 0..N/2. */
static void split_power4(const tsr_rfft_t *fft, const float *z, float *power)
{
    uint32_t m = fft->n / 2u;
    uint32_t q = m / 2u;
    const float *w = fft->split;
    const float *a;
    const float *b;
    uint32_t k;
    {
        float s = z[0] + z[1];
        float d = z[0] - z[1];
        float zr = z[2u * q];
        float zi = z[2u * q + 1u];
        power[0] = s * s * 4.0f;
        power[m] = d * d * 4.0f;
        power[q] = (zr * zr + zi * zi) * 4.0f;
    }
    a = z + 2;
#ifdef TSR_VFP_ASM
    (void)k;
    if (q > 1u) { /* the loop below in assembly: A walks up, B down (each point one load), the powers out both ends */
        float *lo = power + 1;
        float *hi = power + m;
        uint32_t n = q - 1u;
        b = z + 2u * m;
        __asm__ volatile(
            "1:\n\t"
            "vldmia %[a]!, {s0-s1}\n\t"
            "vldmdb %[b]!, {s2-s3}\n\t"
            "vldmia %[w]!, {s4-s5}\n\t"
            "vadd.f32 s6, s0, s2\n\t" /* er */
            "vsub.f32 s7, s1, s3\n\t" /* ei */
            "vsub.f32 s8, s0, s2\n\t" /* o_r */
            "vadd.f32 s9, s1, s3\n\t" /* oi */
            "vmul.f32 s10, s4, s8\n\t"
            "vmul.f32 s11, s5, s9\n\t"
            "vsub.f32 s10, s10, s11\n\t" /* tr */
            "vmul.f32 s11, s4, s9\n\t"
            "vmul.f32 s12, s5, s8\n\t"
            "vadd.f32 s11, s11, s12\n\t" /* ti */
            "vadd.f32 s0, s6, s11\n\t"
            "vsub.f32 s1, s7, s10\n\t"
            "vmul.f32 s0, s0, s0\n\t"
            "vmul.f32 s1, s1, s1\n\t"
            "vadd.f32 s0, s0, s1\n\t"
            "vsub.f32 s2, s6, s11\n\t"
            "vadd.f32 s3, s7, s10\n\t"
            "vmul.f32 s2, s2, s2\n\t"
            "vmul.f32 s3, s3, s3\n\t"
            "vadd.f32 s2, s2, s3\n\t"
            "vstmia %[lo]!, {s0}\n\t"
            "vstmdb %[hi]!, {s2}\n\t"
            "subs %[n], %[n], #1\n\t"
            "bne 1b\n"
            : [a] "+r"(a), [b] "+r"(b), [w] "+r"(w), [lo] "+r"(lo), [hi] "+r"(hi), [n] "+r"(n)
            :
            : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "cc", "memory");
    }
#else
    b = z + 2u * (m - 1u);
    for (k = 1u; k < q; k++, a += 2, b -= 2, w += 2) {
        float er = a[0] + b[0], ei = a[1] - b[1], o_r = a[0] - b[0], oi = a[1] + b[1];
        float tr = w[0] * o_r - w[1] * oi;
        float ti = w[0] * oi + w[1] * o_r;
        float yr = er + ti, yi = ei - tr;
        power[k] = yr * yr + yi * yi;
        yr = er - ti;
        yi = ei + tr;
        power[m - k] = yr * yr + yi * yi;
    }
#endif
}

/* split_power4 for bins 1..N/2 added to acc[k - 1] (the spectral block's running sum over segments). */
static void split_add4(const tsr_rfft_t *fft, const float *z, float *acc)
{
    uint32_t m = fft->n / 2u;
    uint32_t q = m / 2u;
    const float *w = fft->split;
    const float *a = z + 2;
    const float *b = z + 2u * (m - 1u);
    float *lo = acc;
    float *hi = acc + m - 2u;
    uint32_t k;
    {
        float d = z[0] - z[1];
        float zr = z[2u * q];
        float zi = z[2u * q + 1u];
        acc[m - 1u] += d * d * 4.0f;
        acc[q - 1u] += (zr * zr + zi * zi) * 4.0f;
    }
    for (k = 1u; k < q; k++, a += 2, b -= 2, w += 2, lo++, hi--) {
        float er = a[0] + b[0], ei = a[1] - b[1], o_r = a[0] - b[0], oi = a[1] + b[1];
        float tr = w[0] * o_r - w[1] * oi;
        float ti = w[0] * oi + w[1] * o_r;
        float yr = er + ti, yi = ei - tr;
        *lo += yr * yr + yi * yi;
        yr = er - ti;
        yi = ei + tr;
        *hi += yr * yr + yi * yi;
    }
}

void tsr_rfft_power4(const tsr_rfft_t *fft, float *z, float *power)
{
    tsr_cfft(fft->n / 2u, fft->stages, z);
    split_power4(fft, z, power);
}

void tsr_dsp_raw(const float *x, uint32_t count, float scale, float *out)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        out[i] = x[i] * scale;
    }
}

/* Natural complex point r of v * win (count samples, zeros after): (v[2r] w[2r], v[2r+1] w[2r+1]). */
static void point(const float *v, const float *win, uint32_t count, uint32_t r, float *re, float *im)
{
    uint32_t i = 2u * r;
    *re = i < count ? v[i] * win[i] : 0.0f;
    *im = i + 1u < count ? v[i + 1u] * win[i + 1u] : 0.0f;
}

/* One output pair of pack_radix2 from the bounds-checked points r and r + hb. */
static void tail(const float *v, const float *win, uint32_t count, uint32_t r, uint32_t hb, float *d)
{
    float ar, ai, br, bi;
    point(v, win, count, r, &ar, &ai);
    point(v, win, count, r + hb, &br, &bi);
    d[0] = ar + br;
    d[1] = ai + bi;
    d[2] = ar - br;
    d[3] = ai - bi;
}

/* pack() followed by the FFT's first radix-2 stage (log2(N/2) odd), done on the way: the stage combines the
   natural points r and r + N/4 into z[rev[r]] (a + b) and the next point (a - b). Where b lies in the zero
   padding, a + 0 and a - 0 are a itself, so those sums are left out (same values as the host's). */
static void pack_radix2(const tsr_rfft_t *fft, const float *v, uint32_t count, const float *win, float *z)
{
    const uint16_t *rev = fft->rev;
    uint32_t m = fft->n / 2u;
    uint32_t hb = m / 2u;
    uint32_t full = count / 2u;                                         /* points with both samples */
    uint32_t both = full > hb ? (full - hb < hb ? full - hb : hb) : 0u; /* r < both: a and b full */
    uint32_t b_zero = (count + 1u) / 2u > hb ? (count + 1u) / 2u - hb : 0u; /* r >= b_zero: b is zero */
    uint32_t a_full = full < hb ? full : hb;
    uint32_t r;
    for (r = 0; r < both; r++) {
        const float *va = v + 2u * r;
        const float *wa = win + 2u * r;
        float ar = va[0] * wa[0], ai = va[1] * wa[1], br = va[m] * wa[m], bi = va[m + 1u] * wa[m + 1u];
        float *d = z + 2u * rev[r];
        d[0] = ar + br;
        d[1] = ai + bi;
        d[2] = ar - br;
        d[3] = ai - bi;
    }
    for (; r < hb && (r < b_zero || r >= a_full); r++) { /* the odd sample at the end of b, if any */
        tail(v, win, count, r, hb, z + 2u * rev[r]);
    }
    for (; r < a_full; r++) { /* b in the zero padding */
        float ar = v[2u * r] * win[2u * r], ai = v[2u * r + 1u] * win[2u * r + 1u];
        float *d = z + 2u * rev[r];
        d[0] = ar;
        d[1] = ai;
        d[2] = ar;
        d[3] = ai;
    }
    for (; r < hb; r++) { /* the odd sample at the end of a, then zeros */
        tail(v, win, count, r, hb, z + 2u * rev[r]);
    }
}

/* Natural complex point r of v * win when both its samples lie before count. */
#define TSR_POINT(r, re, im)                                                                                \
    do {                                                                                                    \
        (re) = v[2u * (r)] * win[2u * (r)];                                                                 \
        (im) = v[2u * (r) + 1u] * win[2u * (r) + 1u];                                                       \
    } while (0)

#ifdef TSR_VFP_ASM
/* The two fast cases of pack_radix4 below in assembly, the same float32 operations: the points r, r + 2q, r + q
   (and r + 3q when full, else it is zero padding) at vr (v + 2r) and wr (win + 2r), windowed, through the
   butterfly into p[0..7]; qb = 8q, the bytes of q points. */
#define TSR_PACK_LOAD3                                                                                      \
    "vldmia %[vr], {s0-s1}\n\t"                                                                             \
    "vldmia %[wr], {s8-s9}\n\t"                                                                             \
    "vmul.f32 s0, s0, s8\n\t" /* x0 = point r */                                                            \
    "vmul.f32 s1, s1, s9\n\t"                                                                               \
    "add %[tv], %[vr], %[qb], lsl #1\n\t"                                                                   \
    "add %[tw], %[wr], %[qb], lsl #1\n\t"                                                                   \
    "vldmia %[tv], {s2-s3}\n\t"                                                                             \
    "vldmia %[tw], {s10-s11}\n\t"                                                                           \
    "vmul.f32 s2, s2, s10\n\t" /* x1 = point r + 2q */                                                      \
    "vmul.f32 s3, s3, s11\n\t"                                                                              \
    "add %[tv], %[vr], %[qb]\n\t"                                                                           \
    "add %[tw], %[wr], %[qb]\n\t"                                                                           \
    "vldmia %[tv], {s4-s5}\n\t"                                                                             \
    "vldmia %[tw], {s12-s13}\n\t"                                                                           \
    "vmul.f32 s4, s4, s12\n\t" /* x2 = point r + q */                                                       \
    "vmul.f32 s5, s5, s13\n\t"

static void pack4_group(const float *vr, const float *wr, uint32_t qb, float *p, int full)
{
    const float *tv;
    const float *tw;
    if (full) {
        __asm__ volatile(
            TSR_PACK_LOAD3
            "add %[tv], %[tv], %[qb], lsl #1\n\t" /* x3 = point r + 3q */
            "add %[tw], %[tw], %[qb], lsl #1\n\t"
            "vldmia %[tv], {s6-s7}\n\t"
            "vldmia %[tw], {s14-s15}\n\t"
            "vmul.f32 s6, s6, s14\n\t"
            "vmul.f32 s7, s7, s15\n\t"
            "vadd.f32 s8, s0, s2\n\t" /* s0 = x0 + x1 */
            "vadd.f32 s9, s1, s3\n\t"
            "vsub.f32 s10, s0, s2\n\t" /* d0 = x0 - x1 */
            "vsub.f32 s11, s1, s3\n\t"
            "vadd.f32 s12, s4, s6\n\t" /* s1 = x2 + x3 */
            "vadd.f32 s13, s5, s7\n\t"
            "vsub.f32 s14, s4, s6\n\t" /* d1 = x2 - x3 */
            "vsub.f32 s15, s5, s7\n\t"
            "vadd.f32 s0, s8, s12\n\t"
            "vadd.f32 s1, s9, s13\n\t"
            "vadd.f32 s2, s10, s15\n\t"
            "vsub.f32 s3, s11, s14\n\t"
            "vsub.f32 s4, s8, s12\n\t"
            "vsub.f32 s5, s9, s13\n\t"
            "vsub.f32 s6, s10, s15\n\t"
            "vadd.f32 s7, s11, s14\n\t"
            "vstmia %[p], {s0-s7}\n"
            : [tv] "=&r"(tv), [tw] "=&r"(tw)
            : [vr] "r"(vr), [wr] "r"(wr), [qb] "r"(qb), [p] "r"(p)
            : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15",
              "memory");
    } else {
        __asm__ volatile(
            TSR_PACK_LOAD3
            "vadd.f32 s8, s0, s2\n\t" /* x3 = 0: s1 = d1 = x2 */
            "vadd.f32 s9, s1, s3\n\t"
            "vsub.f32 s10, s0, s2\n\t"
            "vsub.f32 s11, s1, s3\n\t"
            "vadd.f32 s0, s8, s4\n\t"
            "vadd.f32 s1, s9, s5\n\t"
            "vadd.f32 s2, s10, s5\n\t"
            "vsub.f32 s3, s11, s4\n\t"
            "vsub.f32 s6, s10, s5\n\t"
            "vadd.f32 s7, s11, s4\n\t"
            "vsub.f32 s4, s8, s4\n\t"
            "vsub.f32 s5, s9, s5\n\t"
            "vstmia %[p], {s0-s7}\n"
            : [tv] "=&r"(tv), [tw] "=&r"(tw)
            : [vr] "r"(vr), [wr] "r"(wr), [qb] "r"(qb), [p] "r"(p)
            : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "memory");
    }
}
#endif

/* pack() followed by the FFT's first radix-4 stage (log2(N/2) even: quarter 1, every twiddle 1), done on the
   way. Position 4g + t of the bit-reversed array holds the natural point r + rev(t) with r = rev[4g] and
   rev(1) = M/2, rev(2) = M/4, rev(3) = 3M/4, so the stage combines the points r, r + M/2, r + M/4 and r + 3M/4
   into z[4g .. 4g + 3]. Where the last of them lies in the zero padding, b + 0 and b - 0 are b itself, so those
   sums are left out (same values as the host's); groups with another mix of padding take every sum. */
static void pack_radix4(const tsr_rfft_t *fft, const float *v, uint32_t count, const float *win, float *z)
{
    const uint16_t *rev = fft->rev;
    uint32_t m = fft->n / 2u;
    uint32_t q = m / 4u;
    uint32_t full = count / 2u;          /* points with both samples */
    uint32_t used = (count + 1u) / 2u;   /* points with at least one sample */
    uint32_t g;
    float *p = z;
    for (g = 0; g < q; g++, p += 8) {
        uint32_t r = rev[4u * g];
        float x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i;
#ifdef TSR_VFP_ASM
        if (r + 2u * q < full && (r + 3u * q < full || r + 3u * q >= used)) {
            pack4_group(v + 2u * r, win + 2u * r, 8u * q, p, r + 3u * q < full);
            continue;
        }
#endif
        if (r + 3u * q < full) {
            TSR_POINT(r, x0r, x0i);
            TSR_POINT(r + 2u * q, x1r, x1i);
            TSR_POINT(r + q, x2r, x2i);
            TSR_POINT(r + 3u * q, x3r, x3i);
            TSR_RADIX4(p, p + 2, p + 4, p + 6, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
        } else if (r + 2u * q < full && r + 3u * q >= used) { /* x3 = 0: s1 = d1 = x2 */
            float s0r, s0i, d0r, d0i;
            TSR_POINT(r, x0r, x0i);
            TSR_POINT(r + 2u * q, x1r, x1i);
            TSR_POINT(r + q, x2r, x2i);
            s0r = x0r + x1r;
            s0i = x0i + x1i;
            d0r = x0r - x1r;
            d0i = x0i - x1i;
            p[0] = s0r + x2r;
            p[1] = s0i + x2i;
            p[2] = d0r + x2i;
            p[3] = d0i - x2r;
            p[4] = s0r - x2r;
            p[5] = s0i - x2i;
            p[6] = d0r - x2i;
            p[7] = d0i + x2r;
        } else {
            point(v, win, count, r, &x0r, &x0i);
            point(v, win, count, r + 2u * q, &x1r, &x1i);
            point(v, win, count, r + q, &x2r, &x2i);
            point(v, win, count, r + 3u * q, &x3r, &x3i);
            TSR_RADIX4(p, p + 2, p + 4, p + 6, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
        }
    }
}

/* Packs v * win (count <= N samples, zero-padded to N) into z for the FFT together with its first stage
   (radix-2 when log2(N/2) is odd, else radix-4); returns the quarter of the first radix-4 stage still to run. */
static uint32_t pack_first(const tsr_rfft_t *fft, const float *v, uint32_t count, const float *win, float *z)
{
    if (odd_log2(fft->n / 2u)) {
        pack_radix2(fft, v, count, win, z);
        return 2u;
    }
    pack_radix4(fft, v, count, win, z);
    return 4u;
}

/* The radix-4 twiddles of the stages from quarter h on (h as pack_first returns it). */
static const float *stages_from(const tsr_rfft_t *fft, uint32_t h)
{
    return h == 4u ? fft->stages + 6 : fft->stages;
}

/* power4 of v * win (count <= N samples, zero-padded to N): pack with the first stage, the other FFT stages,
   split step. */
static void windowed_power4(const tsr_rfft_t *fft, const float *v, uint32_t count, const float *win, float *z,
                            float *power)
{
    uint32_t m = fft->n / 2u;
    uint32_t h = pack_first(fft, v, count, win, z);
    radix4_stages(m, m, stages_from(fft, h), z, h);
    split_power4(fft, z, power);
}

/* The spectral block's Welch sum for N = 16 (the default), every segment full: per segment of 16 samples at
   hop 8, the windowing, the FFT of 8 points (pack with the radix-2 stage, the radix-4 stage of quarter 2) and
   the split step added to acc[0..7] (bins 1..8), all in locals, so that no point goes through memory between
   the stages and the twiddles are read once. The float32 operations are those of pack_radix2,
   radix4_stages and split_add4 for these sizes, one for one with the same operands. */
static void welch16(const float *v, uint32_t segments, const float *win, const float *stages, const float *split,
                    float *acc)
{
    const float ur = stages[6], ui = stages[7], u2r = stages[8], u2i = stages[9], u3r = stages[10],
                u3i = stages[11];
    const float w1r = split[0], w1i = split[1], w2r = split[2], w2i = split[3], w3r = split[4], w3i = split[5];
    float a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5], a6 = acc[6],
          a7 = acc[7];
    uint32_t s;
    for (s = 0; s < segments; s++, v += 8) {
#ifdef TSR_VFP_ASM
        /* the products v[i] * win[i] below, the 16 samples in one load and the window in two */
        register float p0r __asm__("s0"), p0i __asm__("s1"), p1r __asm__("s2"), p1i __asm__("s3");
        register float p2r __asm__("s4"), p2i __asm__("s5"), p3r __asm__("s6"), p3i __asm__("s7");
        register float p4r __asm__("s8"), p4i __asm__("s9"), p5r __asm__("s10"), p5i __asm__("s11");
        register float p6r __asm__("s12"), p6i __asm__("s13"), p7r __asm__("s14"), p7i __asm__("s15");
        __asm__ volatile(
            "vldmia %[v], {s0-s15}\n\t"
            "vldmia %[w], {s16-s23}\n\t"
            "vmul.f32 s0, s0, s16\n\t"
            "vmul.f32 s1, s1, s17\n\t"
            "vmul.f32 s2, s2, s18\n\t"
            "vmul.f32 s3, s3, s19\n\t"
            "vmul.f32 s4, s4, s20\n\t"
            "vmul.f32 s5, s5, s21\n\t"
            "vmul.f32 s6, s6, s22\n\t"
            "vmul.f32 s7, s7, s23\n\t"
            "vldmia %[w2], {s16-s23}\n\t"
            "vmul.f32 s8, s8, s16\n\t"
            "vmul.f32 s9, s9, s17\n\t"
            "vmul.f32 s10, s10, s18\n\t"
            "vmul.f32 s11, s11, s19\n\t"
            "vmul.f32 s12, s12, s20\n\t"
            "vmul.f32 s13, s13, s21\n\t"
            "vmul.f32 s14, s14, s22\n\t"
            "vmul.f32 s15, s15, s23\n"
            : "=t"(p0r), "=t"(p0i), "=t"(p1r), "=t"(p1i), "=t"(p2r), "=t"(p2i), "=t"(p3r), "=t"(p3i), "=t"(p4r),
              "=t"(p4i), "=t"(p5r), "=t"(p5i), "=t"(p6r), "=t"(p6i), "=t"(p7r), "=t"(p7i)
            : [v] "r"(v), [w] "r"(win), [w2] "r"(win + 8)
            : "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "memory");
#else
        float p0r = v[0] * win[0], p0i = v[1] * win[1], p1r = v[2] * win[2], p1i = v[3] * win[3];
        float p2r = v[4] * win[4], p2i = v[5] * win[5], p3r = v[6] * win[6], p3i = v[7] * win[7];
        float p4r = v[8] * win[8], p4i = v[9] * win[9], p5r = v[10] * win[10], p5i = v[11] * win[11];
        float p6r = v[12] * win[12], p6i = v[13] * win[13], p7r = v[14] * win[14], p7i = v[15] * win[15];
#endif
        /* radix-2 on the natural points r and r + 4, into bit-reversed places */
        float z0r = p0r + p4r, z0i = p0i + p4i, z1r = p0r - p4r, z1i = p0i - p4i;
        float z4r = p1r + p5r, z4i = p1i + p5i, z5r = p1r - p5r, z5i = p1i - p5i;
        float z2r = p2r + p6r, z2i = p2i + p6i, z3r = p2r - p6r, z3i = p2i - p6i;
        float z6r = p3r + p7r, z6i = p3i + p7i, z7r = p3r - p7r, z7i = p3i - p7i;
        float y0r, y0i, y1r, y1i, y2r, y2i, y3r, y3i, y4r, y4i, y5r, y5i, y6r, y6i, y7r, y7i;
        { /* radix-4, j = 0: z0, z2, z4, z6 */
            float s0r = z0r + z2r, s0i = z0i + z2i, d0r = z0r - z2r, d0i = z0i - z2i;
            float s1r = z4r + z6r, s1i = z4i + z6i, d1r = z4r - z6r, d1i = z4i - z6i;
            y0r = s0r + s1r;
            y0i = s0i + s1i;
            y2r = d0r + d1i;
            y2i = d0i - d1r;
            y4r = s0r - s1r;
            y4i = s0i - s1i;
            y6r = d0r - d1i;
            y6i = d0i + d1r;
        }
        { /* radix-4, j = 1: z1, z3 (u^2), z5 (u), z7 (u^3) */
            float b1r = u2r * z3r - u2i * z3i, b1i = u2r * z3i + u2i * z3r;
            float b2r = ur * z5r - ui * z5i, b2i = ur * z5i + ui * z5r;
            float b3r = u3r * z7r - u3i * z7i, b3i = u3r * z7i + u3i * z7r;
            float s0r = z1r + b1r, s0i = z1i + b1i, d0r = z1r - b1r, d0i = z1i - b1i;
            float s1r = b2r + b3r, s1i = b2i + b3i, d1r = b2r - b3r, d1i = b2i - b3i;
            y1r = s0r + s1r;
            y1i = s0i + s1i;
            y3r = d0r + d1i;
            y3i = d0i - d1r;
            y5r = s0r - s1r;
            y5i = s0i - s1i;
            y7r = d0r - d1i;
            y7i = d0i + d1r;
        }
        { /* split step: bins 8 and 4, then k = 1, 2, 3 with 7, 6, 5 */
            float d = y0r - y0i;
            a7 += d * d * 4.0f;
            a3 += (y4r * y4r + y4i * y4i) * 4.0f;
        }
#define TSR_SPLIT16(ar, ai, br, bi, wr, wi, lo, hi)                                                          \
    do {                                                                                                    \
        float er = (ar) + (br), ei = (ai) - (bi), o_r = (ar) - (br), oi = (ai) + (bi);                      \
        float tr = (wr) * o_r - (wi) * oi;                                                                  \
        float ti = (wr) * oi + (wi) * o_r;                                                                  \
        float yr = er + ti, yi = ei - tr;                                                                   \
        lo += yr * yr + yi * yi;                                                                            \
        yr = er - ti;                                                                                       \
        yi = ei + tr;                                                                                       \
        hi += yr * yr + yi * yi;                                                                            \
    } while (0)
        TSR_SPLIT16(y1r, y1i, y7r, y7i, w1r, w1i, a0, a6);
        TSR_SPLIT16(y2r, y2i, y6r, y6i, w2r, w2i, a1, a5);
        TSR_SPLIT16(y3r, y3i, y5r, y5i, w3r, w3i, a2, a4);
#undef TSR_SPLIT16
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    acc[4] = a4;
    acc[5] = a5;
    acc[6] = a6;
    acc[7] = a7;
}

/* The optional filter of the spectral and statistics blocks: one direct-form-I step in the float32 operations
   and order the host mirror (core/dsp/spectral.py biquad) uses. */
typedef struct {
    float x1, x2, y1, y2;
} biquad_state_t;

static inline float biquad_step(const float b[3], const float a[2], biquad_state_t *s, float v)
{
    float y = b[0] * v;
    y = y + b[1] * s->x1;
    y = y + b[2] * s->x2;
    y = y - a[0] * s->y1;
    y = y - a[1] * s->y2;
    s->x2 = s->x1;
    s->x1 = v;
    s->y2 = s->y1;
    s->y1 = y;
    return y;
}

/* p[k] = p[k] * norm4 * inv_segments, then log10(p[k] + 1e-10) if log, for k < count: a function of its own so
   that the logarithm's constants stay in registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void band_powers(float *p, uint32_t count, float norm4, float inv_segments, int log)
{
    uint32_t k;
    if (log) {
        for (k = 0; k < count; k++) {
            p[k] = log_inline(p[k] * norm4 * inv_segments + TSR_EPS) * TSR_ONE_OVER_LN10;
        }
    } else {
        for (k = 0; k < count; k++) {
            p[k] = p[k] * norm4 * inv_segments;
        }
    }
}

void tsr_dsp_spectral(const tsr_spectral_t *cfg, const float *x, float *work, float *out)
{
    uint32_t n = cfg->fft->n;
    uint32_t half = n / 2u;
    uint32_t frames = cfg->frames;
    float *d = work;
    float *z = work + frames;
    uint32_t axis;
    for (axis = 0; axis < cfg->axes; axis++) {
        float sum = 0.0f, sum_sq = 0.0f, var_sum = 0.0f, m3_sum = 0.0f, m4_sum = 0.0f;
        float mean, var, std, rms, m3, m4, skew = 0.0f, kurt = 0.0f;
        float *o = out + axis * (5u + half);
        uint32_t t;
        uint32_t s;
        uint32_t k;
        if (cfg->filter) {
            biquad_state_t state = {0.0f, 0.0f, 0.0f, 0.0f};
            for (t = 0; t < frames; t++) {
                float y = biquad_step(cfg->b, cfg->a, &state, x[t * cfg->axes + axis] * cfg->scale);
                d[t] = y;
                sum += y;
                sum_sq += y * y;
            }
        } else { /* four frames a turn (x * 1 is x: the common scale skips the multiply), sums still in order */
            const float *xp = x + axis;
            uint32_t stride = cfg->axes;
            float scale = cfg->scale;
            int scaled = scale != 1.0f;
            t = 0u;
#ifdef TSR_VFP_ASM
            if (frames >= 4u) { /* the C loop below in assembly: the four frames' values stored with one store */
                float *dp = d;
                uint32_t n4 = frames / 4u;
                t = 4u * n4;
#define TSR_STATS1_LOAD                                                                                     \
    "vldr s0, [%[xp]]\n\t"                                                                                  \
    "add %[xp], %[xp], %[sb]\n\t"                                                                           \
    "vldr s1, [%[xp]]\n\t"                                                                                  \
    "add %[xp], %[xp], %[sb]\n\t"                                                                           \
    "vldr s2, [%[xp]]\n\t"                                                                                  \
    "add %[xp], %[xp], %[sb]\n\t"                                                                           \
    "vldr s3, [%[xp]]\n\t"                                                                                  \
    "add %[xp], %[xp], %[sb]\n\t"
#define TSR_STATS1_SUMS                                                                                     \
    "vstmia %[dp]!, {s0-s3}\n\t"                                                                            \
    "vadd.f32 %[sum], %[sum], s0\n\t"                                                                       \
    "vmul.f32 s4, s0, s0\n\t"                                                                               \
    "vadd.f32 %[sq], %[sq], s4\n\t"                                                                         \
    "vadd.f32 %[sum], %[sum], s1\n\t"                                                                       \
    "vmul.f32 s5, s1, s1\n\t"                                                                               \
    "vadd.f32 %[sq], %[sq], s5\n\t"                                                                         \
    "vadd.f32 %[sum], %[sum], s2\n\t"                                                                       \
    "vmul.f32 s6, s2, s2\n\t"                                                                               \
    "vadd.f32 %[sq], %[sq], s6\n\t"                                                                         \
    "vadd.f32 %[sum], %[sum], s3\n\t"                                                                       \
    "vmul.f32 s7, s3, s3\n\t"                                                                               \
    "vadd.f32 %[sq], %[sq], s7\n\t"                                                                         \
    "subs %[n], %[n], #1\n\t"                                                                               \
    "bne 1b\n"
                if (scaled) {
                    __asm__ volatile("1:\n\t" TSR_STATS1_LOAD
                                     "vmul.f32 s0, s0, %[scale]\n\t"
                                     "vmul.f32 s1, s1, %[scale]\n\t"
                                     "vmul.f32 s2, s2, %[scale]\n\t"
                                     "vmul.f32 s3, s3, %[scale]\n\t" TSR_STATS1_SUMS
                                     : [xp] "+r"(xp), [dp] "+r"(dp), [n] "+r"(n4), [sum] "+t"(sum), [sq] "+t"(sum_sq)
                                     : [sb] "r"(4u * stride), [scale] "t"(scale)
                                     : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "cc", "memory");
                } else {
                    __asm__ volatile("1:\n\t" TSR_STATS1_LOAD TSR_STATS1_SUMS
                                     : [xp] "+r"(xp), [dp] "+r"(dp), [n] "+r"(n4), [sum] "+t"(sum), [sq] "+t"(sum_sq)
                                     : [sb] "r"(4u * stride)
                                     : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "cc", "memory");
                }
#undef TSR_STATS1_LOAD
#undef TSR_STATS1_SUMS
            }
#endif
            for (; t + 4u <= frames; t += 4u) {
                float v0 = xp[0], v1 = xp[stride], v2 = xp[2u * stride], v3 = xp[3u * stride];
                xp += 4u * stride;
                if (scaled) {
                    v0 = v0 * scale;
                    v1 = v1 * scale;
                    v2 = v2 * scale;
                    v3 = v3 * scale;
                }
                d[t] = v0;
                d[t + 1u] = v1;
                d[t + 2u] = v2;
                d[t + 3u] = v3;
                sum += v0;
                sum_sq += v0 * v0;
                sum += v1;
                sum_sq += v1 * v1;
                sum += v2;
                sum_sq += v2 * v2;
                sum += v3;
                sum_sq += v3 * v3;
            }
            for (; t < frames; t++, xp += stride) {
                float v = scaled ? *xp * scale : *xp;
                d[t] = v;
                sum += v;
                sum_sq += v * v;
            }
        }
        mean = sum * cfg->inv_frames;
        t = 0u;
#ifdef TSR_VFP_ASM
        if (frames >= 4u) { /* the C loop below in assembly: four frames a load and a store */
            float *dp = d;
            uint32_t n4 = frames / 4u;
            t = 4u * n4;
            __asm__ volatile(
                "1:\n\t"
                "vldmia %[dp], {s0-s3}\n\t"
                "vsub.f32 s0, s0, %[mean]\n\t"
                "vsub.f32 s1, s1, %[mean]\n\t"
                "vsub.f32 s2, s2, %[mean]\n\t"
                "vsub.f32 s3, s3, %[mean]\n\t"
                "vmul.f32 s4, s0, s0\n\t"
                "vmul.f32 s5, s1, s1\n\t"
                "vmul.f32 s6, s2, s2\n\t"
                "vmul.f32 s7, s3, s3\n\t"
                "vstmia %[dp]!, {s0-s3}\n\t"
                "vadd.f32 %[v2], %[v2], s4\n\t"
                "vmul.f32 s8, s4, s0\n\t"
                "vadd.f32 %[v3], %[v3], s8\n\t"
                "vmul.f32 s9, s4, s4\n\t"
                "vadd.f32 %[v4], %[v4], s9\n\t"
                "vadd.f32 %[v2], %[v2], s5\n\t"
                "vmul.f32 s8, s5, s1\n\t"
                "vadd.f32 %[v3], %[v3], s8\n\t"
                "vmul.f32 s9, s5, s5\n\t"
                "vadd.f32 %[v4], %[v4], s9\n\t"
                "vadd.f32 %[v2], %[v2], s6\n\t"
                "vmul.f32 s8, s6, s2\n\t"
                "vadd.f32 %[v3], %[v3], s8\n\t"
                "vmul.f32 s9, s6, s6\n\t"
                "vadd.f32 %[v4], %[v4], s9\n\t"
                "vadd.f32 %[v2], %[v2], s7\n\t"
                "vmul.f32 s8, s7, s3\n\t"
                "vadd.f32 %[v3], %[v3], s8\n\t"
                "vmul.f32 s9, s7, s7\n\t"
                "vadd.f32 %[v4], %[v4], s9\n\t"
                "subs %[n], %[n], #1\n\t"
                "bne 1b\n"
                : [dp] "+r"(dp), [n] "+r"(n4), [v2] "+t"(var_sum), [v3] "+t"(m3_sum), [v4] "+t"(m4_sum)
                : [mean] "t"(mean)
                : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "cc", "memory");
        }
#endif
        for (; t + 4u <= frames; t += 4u) { /* four frames a turn, each sum still in order */
            float e0 = d[t] - mean, e1 = d[t + 1u] - mean, e2 = d[t + 2u] - mean, e3 = d[t + 3u] - mean;
            float q0 = e0 * e0, q1 = e1 * e1, q2 = e2 * e2, q3 = e3 * e3;
            d[t] = e0;
            d[t + 1u] = e1;
            d[t + 2u] = e2;
            d[t + 3u] = e3;
            var_sum += q0;
            m3_sum += q0 * e0;
            m4_sum += q0 * q0;
            var_sum += q1;
            m3_sum += q1 * e1;
            m4_sum += q1 * q1;
            var_sum += q2;
            m3_sum += q2 * e2;
            m4_sum += q2 * q2;
            var_sum += q3;
            m3_sum += q3 * e3;
            m4_sum += q3 * q3;
        }
        for (; t < frames; t++) {
            float dv = d[t] - mean;
            float d2 = dv * dv;
            d[t] = dv;
            var_sum += d2;
            m3_sum += d2 * dv;
            m4_sum += d2 * d2;
        }
        var = var_sum * cfg->inv_frames;
        std = sqrtf(var);
        rms = sqrtf(sum_sq * cfg->inv_frames);
        m3 = m3_sum * cfg->inv_frames;
        m4 = m4_sum * cfg->inv_frames;
        if (var >= TSR_EPS) {
            skew = m3 / (var * sqrtf(var));
            kurt = m4 / (var * var) - 3.0f;
        }
        o[0] = mean;
        o[1] = rms;
        o[2] = std;
        o[3] = skew;
        o[4] = kurt;
        for (k = 0; k < half; k++) {
            o[5u + k] = 0.0f;
        }
        if (n == 16u && frames >= n) { /* the default size, every segment full */
            s = cfg->segments;
            welch16(d, s, cfg->hann, cfg->fft->stages, cfg->fft->split, o + 5u);
        } else {
            s = 0u;
        }
        for (; s < cfg->segments; s += cfg->batch) { /* a batch of segments through each FFT stage */
            uint32_t nb = cfg->segments - s < cfg->batch ? cfg->segments - s : cfg->batch;
            uint32_t h = 1u;
            uint32_t b;
            for (b = 0; b < nb; b++) {
                uint32_t at = (s + b) * half;
                h = pack_first(cfg->fft, d + at, frames - at < n ? frames - at : n, cfg->hann, z + b * n);
            }
            radix4_stages(half, nb * half, stages_from(cfg->fft, h), z, h);
            for (b = 0; b < nb; b++) {
                split_add4(cfg->fft, z + b * n, o + 5u);
            }
        }
        band_powers(o + 5u, half, cfg->norm4, cfg->inv_segments, cfg->log);
    }
}

#define TSR_SORT_RUN 8u
/* v[0..n) sorted ascending, using tmp[n]; returns v or tmp, whichever holds the result. Insertion sort of runs
   of TSR_SORT_RUN values, then bottom-up merges between the two buffers: about n log2(n / 8) moves, where
   insertion sort alone takes n^2 / 4. Sorted values are the same whatever the algorithm (equal floats are the
   same bits, but for -0 and +0, whose order the statistics do not depend on). */
static float *merge_sort(float *v, float *tmp, uint32_t n)
{
    float *src = v, *dst = tmp, *t;
    uint32_t s, w;
    for (s = 0; s < n; s += TSR_SORT_RUN) {
        uint32_t end = n - s < TSR_SORT_RUN ? n : s + TSR_SORT_RUN;
        uint32_t i;
        for (i = s + 1u; i < end; i++) {
            float key = v[i];
            uint32_t j = i;
            while (j > s && v[j - 1u] > key) {
                v[j] = v[j - 1u];
                j--;
            }
            v[j] = key;
        }
    }
    for (w = TSR_SORT_RUN; w < n; w *= 2u) {
        for (s = 0; s < n; s += 2u * w) {
            uint32_t mid = n - s < w ? n : s + w;
            uint32_t hi = n - s < 2u * w ? n : s + 2u * w;
            uint32_t i = s, j = mid, k = s;
            while (i < mid && j < hi) {
                float a = src[i], b = src[j];
                if (b < a) {
                    dst[k++] = b;
                    j++;
                } else {
                    dst[k++] = a;
                    i++;
                }
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        t = src;
        src = dst;
        dst = t;
    }
    return src;
}

void tsr_dsp_statistics(const tsr_statistics_t *cfg, const float *x, float *work, float *out)
{
    uint32_t frames = cfg->frames;
    uint32_t stride = cfg->axes;
    uint32_t axis;
    for (axis = 0; axis < cfg->axes; axis++) {
        const float *xp = x + axis;
        float *d = work;
        float *o = out + axis * (4u + cfg->taps);
        float sum = 0.0f, var_sum = 0.0f, mean, lo, hi;
        uint32_t t;
        uint32_t k;
        if (cfg->filter) {
            biquad_state_t state = {0.0f, 0.0f, 0.0f, 0.0f};
            for (t = 0; t < frames; t++, xp += stride) {
                float y = biquad_step(cfg->b, cfg->a, &state, *xp * cfg->scale);
                d[t] = y;
                sum += y;
            }
        } else {
            for (t = 0; t < frames; t++, xp += stride) {
                float v = *xp * cfg->scale;
                d[t] = v;
                sum += v;
            }
        }
        mean = sum * cfg->inv_frames;
        for (t = 0; t < frames; t++) {
            float e = d[t] - mean;
            var_sum += e * e;
        }
        o[0] = mean;
        o[1] = sqrtf(var_sum * cfg->inv_frames);
        if (cfg->taps) {
            const float *sorted = merge_sort(d, work + frames, frames);
            lo = sorted[0];
            hi = sorted[frames - 1u];
            for (k = 0; k < cfg->taps; k++) {
                float a = sorted[cfg->lo[k]];
                o[4u + k] = a + cfg->frac[k] * (sorted[cfg->hi[k]] - a);
            }
        } else {
            lo = d[0];
            hi = d[0];
            for (t = 1u; t < frames; t++) {
                lo = d[t] < lo ? d[t] : lo;
                hi = d[t] > hi ? d[t] : hi;
            }
        }
        o[2] = lo + 0.0f; /* -0 reads +0, whichever zero came first */
        o[3] = hi + 0.0f;
    }
}

void tsr_mel_energies(const tsr_framer_t *cfg, const float *x, uint32_t f, float *work, float *out)
{
    const tsr_rfft_t *fft = cfg->fft;
    uint32_t m = fft->n / 2u;
    float *z = work;
    float *power = work + fft->n;
    const float *src = x + f * cfg->hop * cfg->axes;
    const float *win = cfg->window;
    const float *wt = cfg->mel_w;
    uint32_t pairs = cfg->frame / 2u;
    uint32_t k;
    uint32_t b;
    if (cfg->axes == 1u && cfg->scale == 1.0f) { /* x * 1 is x: the common case skips the multiply */
        windowed_power4(fft, src, cfg->frame, win, z, power);
    } else {
        const uint16_t *rev = fft->rev;
        uint32_t stride = cfg->axes;
        float scale = cfg->scale;
        for (k = 0; k < pairs; k++) {
            float *d = z + 2u * rev[k];
            d[0] = src[2u * k * stride] * scale * win[2u * k];
            d[1] = src[(2u * k + 1u) * stride] * scale * win[2u * k + 1u];
        }
        if (cfg->frame & 1u) {
            float *d = z + 2u * rev[k];
            d[0] = src[2u * k * stride] * scale * win[2u * k];
            d[1] = 0.0f;
            k++;
        }
        for (; k < m; k++) {
            float *d = z + 2u * rev[k];
            d[0] = 0.0f;
            d[1] = 0.0f;
        }
        tsr_rfft_power4(fft, z, power);
    }
    for (b = 0; b < cfg->n_mels; b++) {
        const float *p = power + cfg->mel_start[b];
        uint32_t len = cfg->mel_len[b];
        float e = 0.0f;
#ifdef TSR_VFP_ASM
        uint32_t n4 = len / 4u;
        uint32_t n1 = len % 4u;
        (void)k;
        __asm__ volatile( /* the loop below in assembly: four weights and four powers a load */
            "cmp %[n4], #0\n\t"
            "beq 2f\n"
            "1:\n\t"
            "vldmia %[w]!, {s0-s3}\n\t"
            "vldmia %[p]!, {s4-s7}\n\t"
            "vmul.f32 s0, s0, s4\n\t"
            "vadd.f32 %[e], %[e], s0\n\t"
            "vmul.f32 s1, s1, s5\n\t"
            "vadd.f32 %[e], %[e], s1\n\t"
            "vmul.f32 s2, s2, s6\n\t"
            "vadd.f32 %[e], %[e], s2\n\t"
            "vmul.f32 s3, s3, s7\n\t"
            "vadd.f32 %[e], %[e], s3\n\t"
            "subs %[n4], %[n4], #1\n\t"
            "bne 1b\n"
            "2:\n\t"
            "cmp %[n1], #0\n\t"
            "beq 4f\n"
            "3:\n\t"
            "vldmia %[w]!, {s0}\n\t"
            "vldmia %[p]!, {s4}\n\t"
            "vmul.f32 s0, s0, s4\n\t"
            "vadd.f32 %[e], %[e], s0\n\t"
            "subs %[n1], %[n1], #1\n\t"
            "bne 3b\n"
            "4:\n"
            : [e] "+t"(e), [w] "+r"(wt), [p] "+r"(p), [n4] "+r"(n4), [n1] "+r"(n1)
            :
            : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "cc", "memory");
#else
        for (k = 0; k + 3u < len; k += 4u) { /* four taps a turn, still summed in order */
            e += wt[k] * p[k];
            e += wt[k + 1u] * p[k + 1u];
            e += wt[k + 2u] * p[k + 2u];
            e += wt[k + 3u] * p[k + 3u];
        }
        for (; k < len; k++) {
            e += wt[k] * p[k];
        }
        wt += len;
#endif
        out[b] = e;
    }
}

/* e[i] = 10 log10(e[i] + 1e-10) for i < count (as mel.db), the logarithm inlined so that its constants stay in registers. */
static void db_all(float *e, uint32_t count)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        e[i] = log_inline(e[i] + TSR_EPS) * TSR_TEN_OVER_LN10;
    }
}

void tsr_dsp_mfe(const tsr_framer_t *cfg, float noise_floor_db, const float *x, float *work, float *out)
{
    float *mel = work + cfg->fft->n * 3u / 2u + 1u;
    uint32_t f;
    uint32_t m;
    for (f = 0; f < cfg->n_frames; f++) {
        tsr_mel_energies(cfg, x, f, work, mel);
        db_all(mel, cfg->n_mels);
        for (m = 0; m < cfg->n_mels; m++) {
            float v = (mel[m] - noise_floor_db) / -noise_floor_db;
            out[f * cfg->n_mels + m] = v > 0.0f ? v : 0.0f;
        }
    }
}

/* out[j] = sum_m dct_t[m * n_coeffs + j] * mel[m], m from 0 up, for j < n_coeffs. The mel loop runs inside a
   block of 8 (then 4, then 1) coefficients, so their running sums stay in registers; each sum still adds its
   terms in the host's order. */
static void dct(const float *dct_t, uint32_t n_coeffs, uint32_t n_mels, const float *mel, float *out)
{
    uint32_t j = 0u;
    uint32_t m;
#ifdef TSR_VFP_ASM
    for (; j + 8u <= n_coeffs; j += 8u) { /* the C block below in assembly: a mel's 8 entries in one load */
        const float *d = dct_t + j;
        const float *e = mel;
        float *o = out + j;
        uint32_t n = n_mels;
        __asm__ volatile(
            "vmov s16, %[zero]\n\t"
            "vmov s17, %[zero]\n\t"
            "vmov s18, %[zero]\n\t"
            "vmov s19, %[zero]\n\t"
            "vmov s20, %[zero]\n\t"
            "vmov s21, %[zero]\n\t"
            "vmov s22, %[zero]\n\t"
            "vmov s23, %[zero]\n"
            "1:\n\t"
            "vldmia %[e]!, {s8}\n\t"
            "vldmia %[d], {s0-s7}\n\t"
            "add %[d], %[d], %[stride]\n\t"
            "vmul.f32 s0, s0, s8\n\t"
            "vadd.f32 s16, s16, s0\n\t"
            "vmul.f32 s1, s1, s8\n\t"
            "vadd.f32 s17, s17, s1\n\t"
            "vmul.f32 s2, s2, s8\n\t"
            "vadd.f32 s18, s18, s2\n\t"
            "vmul.f32 s3, s3, s8\n\t"
            "vadd.f32 s19, s19, s3\n\t"
            "vmul.f32 s4, s4, s8\n\t"
            "vadd.f32 s20, s20, s4\n\t"
            "vmul.f32 s5, s5, s8\n\t"
            "vadd.f32 s21, s21, s5\n\t"
            "vmul.f32 s6, s6, s8\n\t"
            "vadd.f32 s22, s22, s6\n\t"
            "vmul.f32 s7, s7, s8\n\t"
            "vadd.f32 s23, s23, s7\n\t"
            "subs %[n], %[n], #1\n\t"
            "bne 1b\n\t"
            "vstmia %[o], {s16-s23}\n"
            : [d] "+r"(d), [e] "+r"(e), [n] "+r"(n)
            : [o] "r"(o), [zero] "r"(0u), [stride] "r"(4u * n_coeffs)
            : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s16", "s17", "s18", "s19", "s20", "s21",
              "s22", "s23", "cc", "memory");
    }
#endif
    for (; j + 8u <= n_coeffs; j += 8u) {
        const float *d = dct_t + j;
        float c0 = 0.0f, c1 = 0.0f, c2 = 0.0f, c3 = 0.0f, c4 = 0.0f, c5 = 0.0f, c6 = 0.0f, c7 = 0.0f;
        for (m = 0; m < n_mels; m++, d += n_coeffs) {
            float e = mel[m];
            c0 += d[0] * e;
            c1 += d[1] * e;
            c2 += d[2] * e;
            c3 += d[3] * e;
            c4 += d[4] * e;
            c5 += d[5] * e;
            c6 += d[6] * e;
            c7 += d[7] * e;
        }
        out[j] = c0;
        out[j + 1u] = c1;
        out[j + 2u] = c2;
        out[j + 3u] = c3;
        out[j + 4u] = c4;
        out[j + 5u] = c5;
        out[j + 6u] = c6;
        out[j + 7u] = c7;
    }
    if (j + 4u <= n_coeffs) {
        const float *d = dct_t + j;
        float c0 = 0.0f, c1 = 0.0f, c2 = 0.0f, c3 = 0.0f;
        for (m = 0; m < n_mels; m++, d += n_coeffs) {
            float e = mel[m];
            c0 += d[0] * e;
            c1 += d[1] * e;
            c2 += d[2] * e;
            c3 += d[3] * e;
        }
        out[j] = c0;
        out[j + 1u] = c1;
        out[j + 2u] = c2;
        out[j + 3u] = c3;
        j += 4u;
    }
    for (; j < n_coeffs; j++) {
        const float *d = dct_t + j;
        float c0 = 0.0f;
        for (m = 0; m < n_mels; m++, d += n_coeffs) {
            c0 += *d * mel[m];
        }
        out[j] = c0;
    }
}

void tsr_dsp_mfcc(const tsr_framer_t *cfg, const float *dct_t, uint32_t n_coeffs, const float *x, float *work,
                  float *out)
{
    float *mel = work + cfg->fft->n * 3u / 2u + 1u;
    uint32_t f;
    for (f = 0; f < cfg->n_frames; f++) {
        tsr_mel_energies(cfg, x, f, work, mel);
        db_all(mel, cfg->n_mels);
        dct(dct_t, n_coeffs, cfg->n_mels, mel, out + f * n_coeffs);
    }
}

static int8_t quantize_one(float f, float scale, int32_t zero_point)
{
    float v = f / scale;
    float frac;
    int32_t iv;
    if (!(v == v)) {
        v = 0.0f;
    } else if (v > 2.0e9f) {
        v = 2.0e9f;
    } else if (v < -2.0e9f) {
        v = -2.0e9f;
    }
    iv = (int32_t)v;           /* toward zero; v - iv is exact (Sterbenz), so this rounds as roundf */
    frac = v - (float)iv;
    if (frac >= 0.5f) {
        iv++;
    } else if (frac <= -0.5f) {
        iv--;
    }
    iv += zero_point;
    return (int8_t)(iv > 127 ? 127 : (iv < -128 ? -128 : iv));
}

void tsr_quantize(const float *f, uint32_t count, float scale, int32_t zero_point, int8_t *q)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        q[i] = quantize_one(f[i], scale, zero_point);
    }
}

void tsr_standardise_quantize(const float *f, uint32_t count, const float *mean, const float *std,
                              uint32_t channels, float scale, int32_t zero_point, int8_t *q)
{
    uint32_t i;
    uint32_t c = 0;
    for (i = 0; i < count; i++) {
        float z = (f[i] - mean[c]) / std[c];
        q[i] = quantize_one(z, scale, zero_point);
        c = c + 1u == channels ? 0u : c + 1u;
    }
}
