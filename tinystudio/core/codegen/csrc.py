"""C99 sources of the int8 kernels copied into every generated folder (only the groups a model uses).

Kernels follow TFLite's integer semantics exactly; the Python side precomputes everything that does not
depend on the input (folded biases, multipliers, lookup tables) so these loops stay small. Each group is a
``tsk_<group>.c`` / ``tsk_<group>.h`` pair; ``tsk_common.h`` holds the shared fixed-point helpers.
"""

from __future__ import annotations

COMMON_H = r"""/* Shared fixed-point helpers with TFLite's integer rounding semantics. */
#ifndef TSK_COMMON_H
#define TSK_COMMON_H

#include <stdint.h>
#include <string.h>

#include "tsk_config.h"

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define TSK_USE_DSP 1
#else
#define TSK_USE_DSP 0
#endif

#if defined(__GNUC__)
#define TSK_ALWAYS_INLINE static inline __attribute__((always_inline))
/* Per-op functions in model.c stay separate: one huge inlined function is register-starved. */
#define TSK_NOINLINE __attribute__((noinline))
#else
#define TSK_ALWAYS_INLINE static inline
#define TSK_NOINLINE
#endif

static inline int32_t tsk_wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* Saturating rounding doubling high multiply (gemmlowp). For b > 0 (all multipliers here),
   floor((a*b + 2^30) / 2^31) equals gemmlowp's truncating form, and compiles to one SMLAL. */
static inline int32_t tsk_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* Rounding (half away from zero) division by 2^exponent. */
static inline int32_t tsk_rdbpot(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)((1u << exponent) - 1u);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier. */
static inline int32_t tsk_mbqm(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    return tsk_rdbpot(tsk_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}

static inline uint32_t tsk_ror8(uint32_t v)
{
    return (v >> 8) | (v << 24);
}

#if TSK_USE_DSP
/* SXTB16 / SXTAB16 with the rotate folded in (GCC's intrinsics emit a separate ROR). */
static inline uint32_t tsk_sxtb16_ror8(uint32_t v)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

static inline uint32_t tsk_sxtab16_ror8(uint32_t a, uint32_t v)
{
    uint32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
    return r;
}
#endif

static inline int32_t tsk_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* acc0 += sum((x[i] + off) * w0[i]), acc1 += sum((x[i] + off) * w1[i]): one input load feeds two rows. */
static inline void tsk_dot2(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n, int32_t off,
                            int32_t *acc0, int32_t *acc1)
{
    int32_t a0 = *acc0;
    int32_t a1 = *acc1;
    int32_t i = 0;
#if TSK_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
#if defined(__clang__)
#pragma clang loop unroll_count(4)
#elif defined(__GNUC__)
#pragma GCC unroll 4
#endif
    for (; i + 4 <= n; i += 4) {
        uint32_t vx, v0, v1, xe, xo;
        memcpy(&vx, x + i, 4);
        memcpy(&v0, w0 + i, 4);
        memcpy(&v1, w1 + i, 4);
        xe = __sxtab16(offs, vx);
        xo = tsk_sxtab16_ror8(offs, vx);
        a0 = (int32_t)__smlad(xe, __sxtb16(v0), (uint32_t)a0);
        a0 = (int32_t)__smlad(xo, tsk_sxtb16_ror8(v0), (uint32_t)a0);
        a1 = (int32_t)__smlad(xe, __sxtb16(v1), (uint32_t)a1);
        a1 = (int32_t)__smlad(xo, tsk_sxtb16_ror8(v1), (uint32_t)a1);
    }
#endif
    for (; i < n; ++i) {
        const int32_t xv = (int32_t)x[i] + off;
        a0 += xv * (int32_t)w0[i];
        a1 += xv * (int32_t)w1[i];
    }
    *acc0 = a0;
    *acc1 = a1;
}

/* 2 inputs x 2 weight rows, each pair n bytes apart (x1 = x + n, w1 = w + n):
   acc[0] += x0.w0, acc[1] += x0.w1, acc[2] += x1.w0, acc[3] += x1.w1 (inputs offset by off). */
static inline void tsk_dot22(const int8_t *x, const int8_t *w, int32_t n, int32_t off, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int32_t i = 0;
#if TSK_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
    for (; i + 4 <= n; i += 4) {
        uint32_t v, x0e, x0o, x1e, x1o, we, wo;
        memcpy(&v, x + i, 4);
        x0e = __sxtab16(offs, v);
        x0o = tsk_sxtab16_ror8(offs, v);
        memcpy(&v, x + n + i, 4);
        x1e = __sxtab16(offs, v);
        x1o = tsk_sxtab16_ror8(offs, v);
        memcpy(&v, w + i, 4);
        we = __sxtb16(v);
        wo = tsk_sxtb16_ror8(v);
        a0 = (int32_t)__smlad(x0e, we, (uint32_t)a0);
        a0 = (int32_t)__smlad(x0o, wo, (uint32_t)a0);
        a2 = (int32_t)__smlad(x1e, we, (uint32_t)a2);
        a2 = (int32_t)__smlad(x1o, wo, (uint32_t)a2);
        memcpy(&v, w + n + i, 4);
        we = __sxtb16(v);
        wo = tsk_sxtb16_ror8(v);
        a1 = (int32_t)__smlad(x0e, we, (uint32_t)a1);
        a1 = (int32_t)__smlad(x0o, wo, (uint32_t)a1);
        a3 = (int32_t)__smlad(x1e, we, (uint32_t)a3);
        a3 = (int32_t)__smlad(x1o, wo, (uint32_t)a3);
    }
#endif
    for (; i < n; ++i) {
        const int32_t v0 = (int32_t)x[i] + off;
        const int32_t v1 = (int32_t)x[n + i] + off;
        a0 += v0 * (int32_t)w[i];
        a1 += v0 * (int32_t)w[n + i];
        a2 += v1 * (int32_t)w[i];
        a3 += v1 * (int32_t)w[n + i];
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

#if TSK_USE_DSP
/* (x[i] + off) for n (a multiple of 4) inputs as SMLAD operands: {x0 | x2 << 16, x1 | x3 << 16} per 4. */
static inline void tsk_widen(const int8_t *x, int32_t n, uint32_t offs, uint32_t *dst)
{
    int32_t i;
    for (i = 0; i < n; i += 4, dst += 2) {
        uint32_t v;
        memcpy(&v, x + i, 4);
        dst[0] = __sxtab16(offs, v);
        dst[1] = tsk_sxtab16_ror8(offs, v);
    }
}

/* tsk_dot22 on inputs already widened by tsk_widen (x1 = x + n / 2 words): the input extension is
   done once per pixel instead of once per output channel pair. */
static inline void tsk_dot22w(const uint32_t *x, const int8_t *w, int32_t n, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int32_t i;
    for (i = 0; i < n; i += 4, x += 2) {
        uint32_t v, we, wo;
        const uint32_t x0e = x[0], x0o = x[1], x1e = x[n / 2], x1o = x[n / 2 + 1];
        memcpy(&v, w + i, 4);
        we = __sxtb16(v);
        wo = tsk_sxtb16_ror8(v);
        a0 = (int32_t)__smlad(x0e, we, (uint32_t)a0);
        a0 = (int32_t)__smlad(x0o, wo, (uint32_t)a0);
        a2 = (int32_t)__smlad(x1e, we, (uint32_t)a2);
        a2 = (int32_t)__smlad(x1o, wo, (uint32_t)a2);
        memcpy(&v, w + n + i, 4);
        we = __sxtb16(v);
        wo = tsk_sxtb16_ror8(v);
        a1 = (int32_t)__smlad(x0e, we, (uint32_t)a1);
        a1 = (int32_t)__smlad(x0o, wo, (uint32_t)a1);
        a3 = (int32_t)__smlad(x1e, we, (uint32_t)a3);
        a3 = (int32_t)__smlad(x1o, wo, (uint32_t)a3);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}
#endif

/* acc += sum((x[i] + off) * w[i]). */
static inline int32_t tsk_dot1(const int8_t *x, const int8_t *w, int32_t n, int32_t off, int32_t acc)
{
    int32_t i = 0;
#if TSK_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
    for (; i + 4 <= n; i += 4) {
        uint32_t vx, vw;
        memcpy(&vx, x + i, 4);
        memcpy(&vw, w + i, 4);
        acc = (int32_t)__smlad(__sxtab16(offs, vx), __sxtb16(vw), (uint32_t)acc);
        acc = (int32_t)__smlad(tsk_sxtab16_ror8(offs, vx), tsk_sxtb16_ror8(vw), (uint32_t)acc);
    }
#endif
    for (; i < n; ++i) {
        acc += ((int32_t)x[i] + off) * (int32_t)w[i];
    }
    return acc;
}

/* First and one-past-last filter tap whose input position o + k * d lies in [0, size). */
static inline void tsk_window(int32_t o, int32_t d, int32_t k, int32_t size, int32_t *k0, int32_t *k1)
{
    int32_t lo = o < 0 ? (-o + d - 1) / d : 0;
    int32_t hi = size - o <= 0 ? 0 : (size - o + d - 1) / d;
    *k0 = lo;
    *k1 = hi < k ? hi : k;
}

/* tsk_mbqm + output offset + clamp, for positive multipliers (every per-channel multiplier). */
static inline int8_t tsk_requant(int32_t acc, int32_t mult, int32_t shift, int32_t out_offset, int32_t lo,
                                 int32_t hi)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    int32_t x = (int32_t)(((int64_t)(int32_t)((uint32_t)acc << left) * mult + ((int64_t)1 << 30)) >> 31);
    if (right > 0) {
#if TSK_EXACT_REQUANT
        x = tsk_rdbpot(x, right);
#else
        /* Same result as tsk_rdbpot while x + 2^(right-1) cannot overflow; the generator proved
           |acc| < 2^30 for every op of this model (and |x| <= |acc|). */
        x = (x + (int32_t)(1u << (right - 1)) + (x >> 31)) >> right;
#endif
    }
    return (int8_t)tsk_clamp(x + out_offset, lo, hi);
}

/* tsk_requant for ops whose generator proved |acc| < 2^30, no left shift and a right shift r >= 1 on
   every channel, with q = {mult, 2^(r-1) + out_offset * 2^r, r}: srdhm(acc, mult) is SMMULR(2 * acc, mult),
   the rounding term and the output offset ride in its accumulate, and the sign of acc stands in for the
   sign of the product (they differ only where the product rounds to 0, which the shift keeps at 0). */
static inline int8_t tsk_requant_q(int32_t acc, const int32_t *q, int32_t lo, int32_t hi)
{
    int32_t x;
#if TSK_USE_DSP
    __asm__("smmlar %0, %1, %2, %3" : "=r"(x) : "r"(acc * 2), "r"(q[0]), "r"(q[1]));
#else
    x = (int32_t)(((int64_t)q[1] * ((int64_t)1 << 32) + (int64_t)(acc * 2) * q[0] + ((int64_t)1 << 31)) >> 32);
#endif
    x = (x + (acc >> 31)) >> q[2];
    return (int8_t)tsk_clamp(x, lo, hi);
}

#endif
"""

CONV_H = r"""#ifndef TSK_CONV_H
#define TSK_CONV_H
#include <stdint.h>
#include <string.h>

#include "tsk_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
    int32_t in_offset, out_offset, act_min, act_max;
    int32_t fast_rq; /* 1: mult holds tsk_requant_q triples per channel and shift is unused */
} tsk_conv_params;

/* Requantize output channel ch of a convolution. */
TSK_ALWAYS_INLINE int8_t tsk_conv_rq(int32_t acc, const int32_t *mult, const int32_t *shift, int32_t ch,
                                     const tsk_conv_params *p)
{
    if (p->fast_rq) {
        return tsk_requant_q(acc, mult + 3 * ch, p->act_min, p->act_max);
    }
    return tsk_requant(acc, mult[ch], shift[ch], p->out_offset, p->act_min, p->act_max);
}

/* CONV_2D, per-channel int8: acc = bias + sum over in-bounds taps of (x + in_offset) * w. */
void tsk_conv2d(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                const int32_t *shift, const tsk_conv_params *p, int8_t *scratch, int8_t *out);

/* Scratch bytes tsk_conv2d needs: two im2col patches unless the conv is a plain 1x1. */
#define TSK_CONV_SCRATCH(k_h, k_w, in_c, direct) ((direct) ? 0 : 2 * (k_h) * (k_w) * (in_c))

/* DEPTHWISE_CONV_2D; weights laid out [k_h][k_w][out_c]. */
void tsk_dwconv2d(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                  const int32_t *shift, int32_t depth_mult, const tsk_conv_params *p, int8_t *out);

/* The CONV_2D body, inlined into one small function per op in model.c so the compiler specialises it
   for that op's constant shapes (tsk_conv2d above runs the same code, unspecialised). */
/* Copy the receptive field of output pixel (oy, ox) into dst as one contiguous patch; taps outside the
   image get the input zero point, so (x + in_offset) is 0 there, exactly like TFLM skipping them. */
TSK_ALWAYS_INLINE void tsk_im2col(const int8_t *img, const tsk_conv_params *p, int32_t oy, int32_t ox, int8_t *dst)
{
    const int32_t in_c = p->in_c;
    const int32_t row = p->k_w * in_c;
    const int8_t zp = (int8_t)(-p->in_offset);
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox * p->stride_w - p->pad_w;
    int32_t ky0, ky1, kx0, kx1, ky, kx;
    tsk_window(iy0, p->dil_h, p->k_h, p->in_h, &ky0, &ky1);
    tsk_window(ix0, p->dil_w, p->k_w, p->in_w, &kx0, &kx1);
    for (ky = 0; ky < p->k_h; ++ky, dst += row) {
        const int8_t *src;
        if (ky < ky0 || ky >= ky1 || kx1 <= kx0) {
            memset(dst, zp, (size_t)row);
            continue;
        }
        src = img + ((iy0 + ky * p->dil_h) * p->in_w + ix0) * in_c;
        if (p->dil_w == 1) {
            memset(dst, zp, (size_t)(kx0 * in_c));
            memcpy(dst + kx0 * in_c, src + kx0 * in_c, (size_t)((kx1 - kx0) * in_c));
            memset(dst + kx1 * in_c, zp, (size_t)((p->k_w - kx1) * in_c));
        } else {
            for (kx = 0; kx < p->k_w; ++kx) {
                if (kx < kx0 || kx >= kx1) {
                    memset(dst + kx * in_c, zp, (size_t)in_c);
                } else {
                    memcpy(dst + kx * in_c, src + kx * p->dil_w * in_c, (size_t)in_c);
                }
            }
        }
    }
}

TSK_ALWAYS_INLINE void tsk_conv2d_impl(const int8_t *in, const int8_t *w, const int32_t *bias,
                                       const int32_t *mult, const int32_t *shift, const tsk_conv_params *p,
                                       int8_t *scratch, int8_t *out)
{
    const int32_t in_c = p->in_c;
    const int32_t out_c = p->out_c;
    const int32_t patch = p->k_h * p->k_w * in_c;
    const int32_t off = p->in_offset;
    const int32_t per_image = p->out_h * p->out_w;
    const int32_t pixels = p->batches * per_image;
    const int direct = p->k_h == 1 && p->k_w == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_h == 0 &&
                       p->pad_w == 0;
    int32_t pix, oc, k, start = 0;
#if TSK_USE_DSP
    /* A plain 1x1 conv given scratch widens each pixel pair once (tsk_dot22w). */
    if (direct && in_c % 4 == 0 && scratch != NULL) {
        const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
        uint32_t *wide = (uint32_t *)(void *)scratch;
        for (pix = 0; pix + 1 < pixels; pix += 2) {
            int8_t *o0 = out + pix * out_c;
            int8_t *o1 = o0 + out_c;
            tsk_widen(in + pix * in_c, 2 * in_c, offs, wide);
            for (oc = 0; oc + 1 < out_c; oc += 2) {
                int32_t acc[4];
                acc[0] = acc[2] = bias[oc];
                acc[1] = acc[3] = bias[oc + 1];
                tsk_dot22w(wide, w + oc * patch, patch, acc);
                o0[oc] = tsk_conv_rq(acc[0], mult, shift, oc, p);
                o0[oc + 1] = tsk_conv_rq(acc[1], mult, shift, oc + 1, p);
                o1[oc] = tsk_conv_rq(acc[2], mult, shift, oc, p);
                o1[oc + 1] = tsk_conv_rq(acc[3], mult, shift, oc + 1, p);
            }
            if (oc < out_c) {
                o0[oc] = tsk_conv_rq(tsk_dot1(in + pix * in_c, w + oc * patch, patch, off, bias[oc]), mult, shift,
                                     oc, p);
                o1[oc] = tsk_conv_rq(tsk_dot1(in + (pix + 1) * in_c, w + oc * patch, patch, off, bias[oc]), mult,
                                     shift, oc, p);
            }
        }
        start = pix;
    }
#endif
    for (pix = start; pix < pixels; pix += 2) {
        const int two = pix + 1 < pixels;
        const int8_t *x0;
        const int8_t *x1;
        int8_t *o0 = out + pix * out_c;
        int8_t *o1 = o0 + out_c;
        if (direct) {
            x0 = in + pix * in_c;
            x1 = two ? x0 + in_c : x0;
        } else {
            for (k = 0; k < (two ? 2 : 1); ++k) {
                const int32_t q = pix + k;
                const int32_t b = q / per_image;
                const int32_t r = q - b * per_image;
                tsk_im2col(in + b * p->in_h * p->in_w * in_c, p, r / p->out_w, r % p->out_w, scratch + k * patch);
            }
            x0 = scratch;
            x1 = two ? scratch + patch : scratch;
        }
        for (oc = 0; oc + 1 < out_c; oc += 2) {
            int32_t acc[4];
            acc[0] = acc[2] = bias[oc];
            acc[1] = acc[3] = bias[oc + 1];
            if (two) {
                tsk_dot22(x0, w + oc * patch, patch, off, acc);
            } else {
                acc[0] = tsk_dot1(x0, w + oc * patch, patch, off, acc[0]);
                acc[1] = tsk_dot1(x0, w + (oc + 1) * patch, patch, off, acc[1]);
            }
            o0[oc] = tsk_conv_rq(acc[0], mult, shift, oc, p);
            o0[oc + 1] = tsk_conv_rq(acc[1], mult, shift, oc + 1, p);
            if (two) {
                o1[oc] = tsk_conv_rq(acc[2], mult, shift, oc, p);
                o1[oc + 1] =
                    tsk_conv_rq(acc[3], mult, shift, oc + 1, p);
            }
        }
        if (oc < out_c) {
            const int8_t *wr = w + oc * patch;
            o0[oc] = tsk_conv_rq(tsk_dot1(x0, wr, patch, off, bias[oc]), mult, shift, oc, p);
            if (two) {
                o1[oc] = tsk_conv_rq(tsk_dot1(x1, wr, patch, off, bias[oc]), mult, shift, oc, p);
            }
        }
    }
}

TSK_ALWAYS_INLINE void tsk_dwconv2d_impl(const int8_t *in, const int8_t *w, const int32_t *bias,
                                         const int32_t *mult, const int32_t *shift, int32_t depth_mult,
                                         const tsk_conv_params *p, int8_t *out)
{
    const int32_t out_off = p->out_offset;
    const int32_t act_lo = p->act_min;
    const int32_t act_hi = p->act_max;
    const int32_t in_c = p->in_c;
    const int32_t out_c = p->out_c;
    const int32_t off = p->in_offset;
    const int32_t x_col = p->dil_w * in_c;
    const int32_t x_row = p->dil_h * p->in_w * in_c;
    const int32_t w_row = p->k_w * out_c;
    int32_t b, oy, ox, oc, r, c;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * in_c;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            int32_t ky0, ky1;
            tsk_window(iy0, p->dil_h, p->k_h, p->in_h, &ky0, &ky1);
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int32_t kx0, kx1, rows, cols;
                const int8_t *x_start;
                const int8_t *w_start;
                tsk_window(ix0, p->dil_w, p->k_w, p->in_w, &kx0, &kx1);
                rows = ky1 - ky0;
                cols = kx1 - kx0;
                x_start = img + ((iy0 + ky0 * p->dil_h) * p->in_w + ix0 + kx0 * p->dil_w) * in_c;
                w_start = w + (ky0 * p->k_w + kx0) * out_c;
                oc = 0;
#if TSK_USE_DSP
                if (depth_mult == 1) {
                    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
                    for (; oc + 4 <= out_c; oc += 4) {
                        int32_t a0 = bias[oc], a1 = bias[oc + 1], a2 = bias[oc + 2], a3 = bias[oc + 3];
                        const int8_t *xr = x_start + oc;
                        const int8_t *wr = w_start + oc;
                        for (r = 0; r < rows; ++r, xr += x_row, wr += w_row) {
                            const int8_t *xp = xr;
                            const int8_t *wp = wr;
                            for (c = 0; c < cols; ++c, xp += x_col, wp += out_c) {
                                uint32_t vx, vw, xe, xo, we, wo;
                                memcpy(&vx, xp, 4);
                                memcpy(&vw, wp, 4);
                                xe = __sxtab16(offs, vx);
                                xo = tsk_sxtab16_ror8(offs, vx);
                                we = __sxtb16(vw);
                                wo = tsk_sxtb16_ror8(vw);
                                a0 = __smlabb((int32_t)xe, (int32_t)we, a0);
                                a2 = __smlatt((int32_t)xe, (int32_t)we, a2);
                                a1 = __smlabb((int32_t)xo, (int32_t)wo, a1);
                                a3 = __smlatt((int32_t)xo, (int32_t)wo, a3);
                            }
                        }
                        out[oc] = tsk_requant(a0, mult[oc], shift[oc], out_off, act_lo, act_hi);
                        out[oc + 1] =
                            tsk_requant(a1, mult[oc + 1], shift[oc + 1], out_off, act_lo, act_hi);
                        out[oc + 2] =
                            tsk_requant(a2, mult[oc + 2], shift[oc + 2], out_off, act_lo, act_hi);
                        out[oc + 3] =
                            tsk_requant(a3, mult[oc + 3], shift[oc + 3], out_off, act_lo, act_hi);
                    }
                }
#endif
                for (; oc < out_c; ++oc) {
                    int32_t acc = bias[oc];
                    const int8_t *xr = x_start + oc / depth_mult;
                    const int8_t *wr = w_start + oc;
                    for (r = 0; r < rows; ++r, xr += x_row, wr += w_row) {
                        const int8_t *xp = xr;
                        const int8_t *wp = wr;
                        for (c = 0; c < cols; ++c, xp += x_col, wp += out_c) {
                            acc += ((int32_t)*xp + off) * (int32_t)*wp;
                        }
                    }
                    out[oc] = tsk_requant(acc, mult[oc], shift[oc], out_off, act_lo, act_hi);
                }
                out += out_c;
            }
        }
    }
}

/* DEPTHWISE_CONV_2D with depth multiplier 1, inlined into one function per op so the shapes are
   constants. One output row at a time reads a strip holding the k_h input rows it needs, with the
   input zero point around the image so every tap is in bounds ((zp + in_offset) * w is 0, exactly like
   TFLM skipping the tap). wq holds the weights as int16 pairs, [group of 4 channels][k_h * k_w taps]
   {c0 | c2 << 16, c1 | c3 << 16} (zero weights past the last channel), so each word feeds SMLABB/SMLATT
   directly; bias, mult and shift are padded to whole groups. */
#define TSK_DW_STRIP_W(out_w, stride_w, k_w, dil_w) (((out_w) - 1) * (stride_w) + ((k_w) - 1) * (dil_w) + 1)
/* Scratch bytes: the strip plus 4 bytes so the last group may read a whole word. */
#define TSK_DW_SCRATCH(k_h, strip_w, c) ((k_h) * (strip_w) * (c) + 4)

/* Signed low / high halves of a packed int16 pair. */
static inline int32_t tsk_lo16(int32_t v)
{
    return (int32_t)((uint32_t)v & 0xFFFFu) - (int32_t)(((uint32_t)v & 0x8000u) << 1);
}

static inline int32_t tsk_hi16(int32_t v)
{
    return tsk_lo16((int32_t)((uint32_t)v >> 16));
}

TSK_ALWAYS_INLINE void tsk_dw_strip(const int8_t *img, const tsk_conv_params *p, int32_t oy, int8_t *strip)
{
    const int32_t c = p->in_c;
    const int32_t sw = TSK_DW_STRIP_W(p->out_w, p->stride_w, p->k_w, p->dil_w);
    const int8_t zp = (int8_t)(-p->in_offset);
    const int32_t left = p->pad_w < sw ? p->pad_w : sw;
    const int32_t fit = sw - left < p->in_w ? sw - left : p->in_w;
    int32_t ky;
    for (ky = 0; ky < p->k_h; ++ky) {
        int8_t *dst = strip + ky * sw * c;
        const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dil_h;
        if (iy < 0 || iy >= p->in_h) {
            memset(dst, zp, (size_t)(sw * c));
            continue;
        }
        if (left > 0) {
            memset(dst, zp, (size_t)(left * c));
        }
        memcpy(dst + left * c, img + iy * p->in_w * c, (size_t)(fit * c));
        if (left + fit < sw) {
            memset(dst + (left + fit) * c, zp, (size_t)((sw - left - fit) * c));
        }
    }
}

TSK_ALWAYS_INLINE void tsk_dw_store(int8_t *o, int32_t n, int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                    const int32_t *mult, const int32_t *shift, const tsk_conv_params *p)
{
    o[0] = tsk_conv_rq(a0, mult, shift, 0, p);
    if (n > 1) {
        o[1] = tsk_conv_rq(a1, mult, shift, 1, p);
    }
    if (n > 2) {
        o[2] = tsk_conv_rq(a2, mult, shift, 2, p);
    }
    if (n > 3) {
        o[3] = tsk_conv_rq(a3, mult, shift, 3, p);
    }
}

TSK_ALWAYS_INLINE void tsk_dwconv2d_strip_impl(const int8_t *in, const int32_t *wq, const int32_t *bias,
                                               const int32_t *mult, const int32_t *shift,
                                               const tsk_conv_params *p, int8_t *scratch, int8_t *out)
{
    const int32_t c = p->in_c;
    const int32_t groups = (c + 3) / 4;
    const int32_t taps = p->k_h * p->k_w;
    const int32_t sw = TSK_DW_STRIP_W(p->out_w, p->stride_w, p->k_w, p->dil_w);
    const int32_t off = p->in_offset;
    int32_t b, oy, ox, g, ky, kx;
#if TSK_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
#endif
    memset(scratch + p->k_h * sw * c, 0, 4);
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * c;
        for (oy = 0; oy < p->out_h; ++oy) {
            tsk_dw_strip(img, p, oy, scratch);
            for (ox = 0; ox < p->out_w; ++ox, out += c) {
                const int8_t *xg = scratch + ox * p->stride_w * c;
                const int32_t *wg = wq;
                for (g = 0; g < groups; ++g, xg += 4, wg += 2 * taps) {
                    int32_t a0 = bias[4 * g], a1 = bias[4 * g + 1], a2 = bias[4 * g + 2], a3 = bias[4 * g + 3];
                    const int32_t *wp = wg;
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__)
#pragma GCC unroll 16
#endif
                    for (ky = 0; ky < p->k_h; ++ky) {
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__)
#pragma GCC unroll 16
#endif
                        for (kx = 0; kx < p->k_w; ++kx) {
                            const int8_t *xp = xg + (ky * sw + kx * p->dil_w) * c;
#if TSK_USE_DSP
                            uint32_t vx, we, wo, xe, xo;
                            memcpy(&vx, xp, 4);
                            /* One asm block per tap (weights loaded in it, walking wp) keeps the schedule
                               and register pressure as written: GCC otherwise hoists the weight loads,
                               regroups the taps per accumulator and spills. */
                            __asm__("ldrd %[we], %[wo], [%[wp]], #8\n\t"
                                    "sxtab16 %[xe], %[offs], %[vx]\n\t"
                                    "sxtab16 %[xo], %[offs], %[vx], ror #8\n\t"
                                    "smlabb %[a0], %[xe], %[we], %[a0]\n\t"
                                    "smlatt %[a2], %[xe], %[we], %[a2]\n\t"
                                    "smlabb %[a1], %[xo], %[wo], %[a1]\n\t"
                                    "smlatt %[a3], %[xo], %[wo], %[a3]"
                                    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                                      [wp] "+r"(wp), [we] "=&r"(we), [wo] "=&r"(wo), [xe] "=&r"(xe),
                                      [xo] "=&r"(xo)
                                    : [vx] "r"(vx), [offs] "r"(offs)
                                    : "memory");
#else
                            a0 += ((int32_t)xp[0] + off) * tsk_lo16(wp[0]);
                            a2 += ((int32_t)xp[2] + off) * tsk_hi16(wp[0]);
                            a1 += ((int32_t)xp[1] + off) * tsk_lo16(wp[1]);
                            a3 += ((int32_t)xp[3] + off) * tsk_hi16(wp[1]);
                            wp += 2;
#endif
                        }
                    }
                    tsk_dw_store(out + 4 * g, c - 4 * g, a0, a1, a2, a3, mult + (p->fast_rq ? 12 : 4) * g,
                                 shift + 4 * g, p);
                }
            }
        }
    }
}
#endif
"""

CONV_C = r"""#include "tsk_conv.h"
#include "tsk_common.h"

void tsk_conv2d(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                const int32_t *shift, const tsk_conv_params *p, int8_t *scratch, int8_t *out)
{
    tsk_conv2d_impl(in, w, bias, mult, shift, p, scratch, out);
}

void tsk_dwconv2d(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                  const int32_t *shift, int32_t depth_mult, const tsk_conv_params *p, int8_t *out)
{
    tsk_dwconv2d_impl(in, w, bias, mult, shift, depth_mult, p, out);
}
"""

FC_H = r"""#ifndef TSK_FC_H
#define TSK_FC_H
#include <stdint.h>

#include "tsk_common.h"

typedef struct {
    int32_t batches, depth, units, out_offset, act_min, act_max;
} tsk_fc_params;

/* FULLY_CONNECTED; weights [units][depth]; bias folded with in_offset * row sums. */
void tsk_fully_connected(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                         const int32_t *shift, const tsk_fc_params *p, int8_t *out);

/* The body, inlined into one function per op in model.c (specialised for its constant sizes). */
TSK_ALWAYS_INLINE void tsk_fully_connected_impl(const int8_t *in, const int8_t *w, const int32_t *bias,
                                                const int32_t *mult, const int32_t *shift, const tsk_fc_params *p,
                                                int8_t *out)
{
    const int32_t out_off = p->out_offset;
    const int32_t act_lo = p->act_min;
    const int32_t act_hi = p->act_max;
    const int32_t depth = p->depth;
    int32_t b, u;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = in + b * depth;
        for (u = 0; u + 1 < p->units; u += 2) {
            int32_t a0 = bias[u];
            int32_t a1 = bias[u + 1];
            tsk_dot2(x, w + u * depth, w + (u + 1) * depth, depth, 0, &a0, &a1);
            out[u] = tsk_requant(a0, mult[u], shift[u], out_off, act_lo, act_hi);
            out[u + 1] = tsk_requant(a1, mult[u + 1], shift[u + 1], out_off, act_lo, act_hi);
        }
        if (u < p->units) {
            const int32_t a0 = tsk_dot1(x, w + u * depth, depth, 0, bias[u]);
            out[u] = tsk_requant(a0, mult[u], shift[u], out_off, act_lo, act_hi);
        }
        out += p->units;
    }
}
#endif
"""

FC_C = r"""#include "tsk_fc.h"
#include "tsk_common.h"

void tsk_fully_connected(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                         const int32_t *shift, const tsk_fc_params *p, int8_t *out)
{
    tsk_fully_connected_impl(in, w, bias, mult, shift, p, out);
}
"""

POOL_H = r"""#ifndef TSK_POOL_H
#define TSK_POOL_H
#include <stdint.h>

typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int32_t f_h, f_w, stride_h, stride_w, pad_h, pad_w, act_min, act_max;
} tsk_pool_params;

void tsk_avg_pool(const int8_t *in, const tsk_pool_params *p, int8_t *out);
void tsk_max_pool(const int8_t *in, const tsk_pool_params *p, int8_t *out);
#endif
"""

POOL_C = r"""#include "tsk_pool.h"
#include "tsk_common.h"

void tsk_avg_pool(const int8_t *in, const tsk_pool_params *p, int8_t *out)
{
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * p->channels;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            const int32_t y0 = iy0 < 0 ? -iy0 : 0;
            const int32_t y1 = (p->in_h - iy0) < p->f_h ? (p->in_h - iy0) : p->f_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                const int32_t x0 = ix0 < 0 ? -ix0 : 0;
                const int32_t x1 = (p->in_w - ix0) < p->f_w ? (p->in_w - ix0) : p->f_w;
                const int32_t count = (y1 - y0) * (x1 - x0);
                for (c = 0; c < p->channels; ++c) {
                    int32_t acc = 0;
                    for (y = y0; y < y1; ++y) {
                        const int8_t *px = img + ((iy0 + y) * p->in_w + ix0) * p->channels + c;
                        for (x = x0; x < x1; ++x) {
                            acc += px[x * p->channels];
                        }
                    }
                    if (count > 0) {
                        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    *out++ = (int8_t)tsk_clamp(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}

void tsk_max_pool(const int8_t *in, const tsk_pool_params *p, int8_t *out)
{
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * p->channels;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            const int32_t y0 = iy0 < 0 ? -iy0 : 0;
            const int32_t y1 = (p->in_h - iy0) < p->f_h ? (p->in_h - iy0) : p->f_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                const int32_t x0 = ix0 < 0 ? -ix0 : 0;
                const int32_t x1 = (p->in_w - ix0) < p->f_w ? (p->in_w - ix0) : p->f_w;
                for (c = 0; c < p->channels; ++c) {
                    int32_t m = -128;
                    for (y = y0; y < y1; ++y) {
                        const int8_t *px = img + ((iy0 + y) * p->in_w + ix0) * p->channels + c;
                        for (x = x0; x < x1; ++x) {
                            if (px[x * p->channels] > m) {
                                m = px[x * p->channels];
                            }
                        }
                    }
                    *out++ = (int8_t)tsk_clamp(m, p->act_min, p->act_max);
                }
            }
        }
    }
}
"""

MEAN_H = r"""#ifndef TSK_MEAN_H
#define TSK_MEAN_H
#include <stdint.h>

typedef struct {
    int32_t outer, reduced, inner, in_zp, out_zp, mult, shift;
} tsk_mean_params;

/* MEAN over one contiguous block of axes: in is [outer][reduced][inner], out is [outer][inner]. */
void tsk_mean(const int8_t *in, const tsk_mean_params *p, int8_t *out);
#endif
"""

MEAN_C = r"""#include "tsk_mean.h"
#include "tsk_common.h"

void tsk_mean(const int8_t *in, const tsk_mean_params *p, int8_t *out)
{
    int32_t o, r, i;
    const int32_t offset = p->in_zp * p->reduced;
    for (o = 0; o < p->outer; ++o) {
        const int8_t *block = in + o * p->reduced * p->inner;
        for (i = 0; i < p->inner; ++i) {
            int32_t acc = 0;
            for (r = 0; r < p->reduced; ++r) {
                acc += block[r * p->inner + i];
            }
            acc = tsk_mbqm(acc - offset, p->mult, p->shift) + p->out_zp;
            *out++ = (int8_t)tsk_clamp(acc, -128, 127);
        }
    }
}
"""

BINARY_H = r"""#ifndef TSK_BINARY_H
#define TSK_BINARY_H
#include <stdint.h>

typedef struct {
    int32_t op; /* 0 add, 1 sub, 2 mul */
    int32_t in1_offset, in2_offset; /* used by mul only */
    int32_t out_offset, out_mult, out_shift, act_min, act_max;
    int32_t dims[4], stride1[4], stride2[4]; /* broadcast walk; stride 0 repeats */
} tsk_binary_params;

/* ADD / SUB / MUL on int8 with TFLite rescaling. For add/sub, t1/t2[x + 128] hold each input's rescaled
   value (TFLite's shifted, multiplied input), so only the output rescale runs per element.
   n > 0: no broadcast (flat loop of n); n == 0: walk p->dims with the broadcast strides. */
void tsk_binary(const int8_t *a, const int8_t *b, int32_t n, const int32_t *t1, const int32_t *t2,
                const tsk_binary_params *p, int8_t *out);
#endif
"""

BINARY_C = r"""#include "tsk_binary.h"
#include "tsk_common.h"

static inline int32_t tsk_binary_raw(int32_t op, int32_t x, int32_t y, const int32_t *t1, const int32_t *t2,
                                     int32_t o1, int32_t o2)
{
    if (op == 2) {
        return (x + o1) * (y + o2);
    }
    return op == 1 ? t1[x + 128] - t2[y + 128] : t1[x + 128] + t2[y + 128];
}

void tsk_binary(const int8_t *a, const int8_t *b, int32_t n, const int32_t *t1, const int32_t *t2,
                const tsk_binary_params *p, int8_t *out)
{
    const int32_t op = p->op, o1 = p->in1_offset, o2 = p->in2_offset;
    const int32_t m = p->out_mult, s = p->out_shift, oo = p->out_offset, lo = p->act_min, hi = p->act_max;
    int32_t i, i0, i1, i2, i3;
    if (n > 0) {
        if (op == 0) {
            for (i = 0; i < n; ++i) {
                out[i] = tsk_requant(t1[a[i] + 128] + t2[b[i] + 128], m, s, oo, lo, hi);
            }
        } else {
            for (i = 0; i < n; ++i) {
                out[i] = tsk_requant(tsk_binary_raw(op, a[i], b[i], t1, t2, o1, o2), m, s, oo, lo, hi);
            }
        }
        return;
    }
    for (i0 = 0; i0 < p->dims[0]; ++i0) {
        for (i1 = 0; i1 < p->dims[1]; ++i1) {
            for (i2 = 0; i2 < p->dims[2]; ++i2) {
                const int8_t *ra = a + i0 * p->stride1[0] + i1 * p->stride1[1] + i2 * p->stride1[2];
                const int8_t *rb = b + i0 * p->stride2[0] + i1 * p->stride2[1] + i2 * p->stride2[2];
                for (i3 = 0; i3 < p->dims[3]; ++i3) {
                    const int32_t raw =
                        tsk_binary_raw(op, ra[i3 * p->stride1[3]], rb[i3 * p->stride2[3]], t1, t2, o1, o2);
                    *out++ = tsk_requant(raw, m, s, oo, lo, hi);
                }
            }
        }
    }
}
"""

SOFTMAX_H = r"""#ifndef TSK_SOFTMAX_H
#define TSK_SOFTMAX_H
#include <stdint.h>

/* SOFTMAX int8 -> int8 (scale 1/256, zero point -128). exp_table[d] = exp(-d * beta * scale) in Q0.31
   for d = max - x, valid for d <= max_diff. */
void tsk_softmax(const int8_t *in, int32_t rows, int32_t depth, const int32_t *exp_table, int32_t max_diff,
                 int8_t *out);
#endif
"""

SOFTMAX_C = r"""#include "tsk_softmax.h"
#include "tsk_common.h"

static int32_t tsk_sat_lshift(int32_t x, int32_t exponent)
{
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1, Q0.31 in and out. */
static int32_t tsk_one_over_one_plus_x(int32_t a)
{
    int64_t sum = (int64_t)a + INT32_MAX;
    int32_t half_den;
    int32_t x;
    int i;
    sum = sum >= 0 ? sum + 1 : sum - 1;
    half_den = (int32_t)(sum / 2);
    x = tsk_wrap_add(1515870810, tsk_srdhm(half_den, -1010580540));
    for (i = 0; i < 3; ++i) {
        const int32_t hdx = tsk_srdhm(half_den, x);
        const int32_t one_minus = (int32_t)((uint32_t)(1 << 29) - (uint32_t)hdx);
        x = tsk_wrap_add(x, tsk_sat_lshift(tsk_srdhm(x, one_minus), 2));
    }
    return tsk_sat_lshift(x, 1);
}

static int32_t tsk_clz32(uint32_t x)
{
#if defined(__GNUC__)
    return x == 0 ? 32 : __builtin_clz(x);
#else
    int32_t n = 0;
    if (x == 0) {
        return 32;
    }
    while ((x & 0x80000000u) == 0) {
        x <<= 1;
        ++n;
    }
    return n;
#endif
}

void tsk_softmax(const int8_t *in, int32_t rows, int32_t depth, const int32_t *exp_table, int32_t max_diff,
                 int8_t *out)
{
    int32_t r, c;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = in + r * depth;
        int8_t *y = out + r * depth;
        int32_t max_v = -128;
        int32_t sum = 0;
        int32_t headroom;
        int32_t scale;
        int32_t exponent;
        for (c = 0; c < depth; ++c) {
            if (x[c] > max_v) {
                max_v = x[c];
            }
        }
        for (c = 0; c < depth; ++c) {
            const int32_t d = max_v - x[c];
            if (d <= max_diff) {
                sum = tsk_wrap_add(sum, tsk_rdbpot(exp_table[d], 12));
            }
        }
        headroom = tsk_clz32((uint32_t)sum);
        scale = tsk_one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - 0x80000000u));
        exponent = (12 - headroom) + 31 - 8;
        for (c = 0; c < depth; ++c) {
            const int32_t d = max_v - x[c];
            if (d <= max_diff) {
                const int32_t v = tsk_rdbpot(tsk_srdhm(scale, exp_table[d]), exponent) - 128;
                y[c] = (int8_t)tsk_clamp(v, -128, 127);
            } else {
                y[c] = -128;
            }
        }
    }
}
"""

MISC_H = r"""#ifndef TSK_MISC_H
#define TSK_MISC_H
#include <stdint.h>

/* Any int8 -> int8 elementwise op as a 256-entry table indexed by x + 128 (safe in place). */
void tsk_lut(const int8_t *in, const int8_t *table, int32_t n, int8_t *out);

typedef struct {
    int32_t in_dims[4], out_dims[4], before[4];
    int32_t value;
} tsk_pad_params;

void tsk_pad(const int8_t *in, const tsk_pad_params *p, int8_t *out);

/* CONCATENATION: for each of `outer` blocks, copy chunk[k] bytes from each input k in turn. */
void tsk_concat(const int8_t *const *ins, const int32_t *chunk, int32_t count, int32_t outer, int8_t *out);

void tsk_quantize_f32(const float *in, int32_t n, float scale, int32_t zero_point, int8_t *out);
void tsk_dequantize_f32(const int8_t *in, int32_t n, float scale, int32_t zero_point, float *out);
#endif
"""

MISC_C = r"""#include <math.h>
#include <string.h>

#include "tsk_common.h"
#include "tsk_misc.h"

void tsk_lut(const int8_t *in, const int8_t *table, int32_t n, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = table[(int32_t)in[i] + 128];
    }
}

void tsk_pad(const int8_t *in, const tsk_pad_params *p, int8_t *out)
{
    int32_t a, b, c;
    const int32_t *o = p->out_dims;
    memset(out, p->value, (size_t)(o[0] * o[1] * o[2] * o[3]));
    for (a = 0; a < p->in_dims[0]; ++a) {
        for (b = 0; b < p->in_dims[1]; ++b) {
            for (c = 0; c < p->in_dims[2]; ++c) {
                const int32_t dst =
                    (((a + p->before[0]) * o[1] + b + p->before[1]) * o[2] + c + p->before[2]) * o[3] +
                    p->before[3];
                const int32_t src = ((a * p->in_dims[1] + b) * p->in_dims[2] + c) * p->in_dims[3];
                memcpy(out + dst, in + src, (size_t)p->in_dims[3]);
            }
        }
    }
}

void tsk_concat(const int8_t *const *ins, const int32_t *chunk, int32_t count, int32_t outer, int8_t *out)
{
    int32_t o, k;
    for (o = 0; o < outer; ++o) {
        for (k = 0; k < count; ++k) {
            memcpy(out, ins[k] + o * chunk[k], (size_t)chunk[k]);
            out += chunk[k];
        }
    }
}

void tsk_quantize_f32(const float *in, int32_t n, float scale, int32_t zero_point, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        const int32_t v = (int32_t)roundf(in[i] / scale) + zero_point;
        out[i] = (int8_t)tsk_clamp(v, -128, 127);
    }
}

void tsk_dequantize_f32(const int8_t *in, int32_t n, float scale, int32_t zero_point, float *out)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = (float)((double)scale * (double)((int32_t)in[i] - zero_point));
    }
}
"""

SPARSE_H = r"""#ifndef TSK_SPARSE_H
#define TSK_SPARSE_H
#include <stdint.h>

#include "tsk_common.h"

typedef struct {
    int32_t batches, depth, units, out_offset, act_min, act_max, mask_bytes;
} tsk_spfc_params;

/* FULLY_CONNECTED with bitmask-sparse weights: per unit, mask_bytes bytes whose bit j of byte k marks
   column 8k + j as non-zero; vals holds the non-zero weights in row-major order. The bias already holds
   in_offset * (full) row sums, so only the non-zero products are added. */
void tsk_fully_connected_sparse(const int8_t *in, const uint8_t *mask, const int8_t *vals, const int32_t *bias,
                                const int32_t *mult, const int32_t *shift, const tsk_spfc_params *p, int8_t *out);
#endif
"""

SPARSE_C = r"""#include "tsk_sparse.h"
#include "tsk_common.h"

#if defined(__GNUC__)
#define TSK_CTZ(v) ((int32_t)__builtin_ctz(v))
#else
static int32_t TSK_CTZ(uint32_t v)
{
    int32_t n = 0;
    while ((v & 1u) == 0u) {
        v >>= 1;
        ++n;
    }
    return n;
}
#endif

void tsk_fully_connected_sparse(const int8_t *in, const uint8_t *mask, const int8_t *vals, const int32_t *bias,
                                const int32_t *mult, const int32_t *shift, const tsk_spfc_params *p, int8_t *out)
{
    const int32_t out_off = p->out_offset;
    const int32_t act_lo = p->act_min;
    const int32_t act_hi = p->act_max;
    const int32_t mb = p->mask_bytes;
    int32_t b, u, k;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = in + b * p->depth;
        const uint8_t *m = mask;
        const int8_t *v = vals;
        for (u = 0; u < p->units; ++u) {
            int32_t acc = bias[u];
            for (k = 0; k < mb; ++k) {
                const int8_t *xk = x + 8 * k;
                uint32_t bits = m[k];
                while (bits != 0u) {
                    acc += (int32_t)xk[TSK_CTZ(bits)] * (int32_t)*v++;
                    bits &= bits - 1u;
                }
            }
            m += mb;
            out[u] = tsk_requant(acc, mult[u], shift[u], out_off, act_lo, act_hi);
        }
        out += p->units;
    }
}
"""

GROUPS: dict[str, tuple[str, str]] = {
    "conv": (CONV_H, CONV_C),
    "fc": (FC_H, FC_C),
    "sparse": (SPARSE_H, SPARSE_C),
    "pool": (POOL_H, POOL_C),
    "mean": (MEAN_H, MEAN_C),
    "binary": (BINARY_H, BINARY_C),
    "softmax": (SOFTMAX_H, SOFTMAX_C),
    "misc": (MISC_H, MISC_C),
}


def kernel_files(groups: set[str], exact_requant: bool = True) -> dict[str, str]:
    """File name -> contents for the kernel groups a model needs (plus the shared headers).

    ``exact_requant=False`` is only valid when every accumulator of the model is below 2^30 in magnitude.
    """
    config = (
        "/* Generated kernel configuration. */\n#ifndef TSK_CONFIG_H\n#define TSK_CONFIG_H\n"
        f"#define TSK_EXACT_REQUANT {1 if exact_requant else 0}\n#endif\n"
    )
    files = {"tsk_common.h": COMMON_H, "tsk_config.h": config}
    for group in sorted(groups):
        header, source = GROUPS[group]
        files[f"tsk_{group}.h"] = header
        files[f"tsk_{group}.c"] = source
    return files
