/* Inner dot products of the optimised int8 kernels: with the Arm DSP extension each word of four int8
   values is widened to two int16 pairs (SXTB16 / SXTAB16, the input offset added on the way) and
   multiplied-accumulated two at a time (SMLAD); the plain C tail handles the remainder (and everything
   on targets without the extension). With Helium (TS_USE_MVE) 16 int8 lanes are multiplied and summed
   per instruction (VMLADAVA), the last block predicated (VCTP), and the input offset is added once as
   off * sum(w) (VADDVA), the same int32 arithmetic reordered. The reference kernels do not use this
   header. */
#ifndef TS_NN_DOT_S8_H
#define TS_NN_DOT_S8_H

#include <stdint.h>
#include <string.h>

#include "ts_nn_support.h"

#if TS_USE_DSP
/* SXTB16 / SXTAB16 with the rotate folded in (GCC's intrinsics emit a separate ROR). */
static inline uint32_t ts_sxtb16_ror8(uint32_t v)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

static inline uint32_t ts_sxtab16_ror8(uint32_t a, uint32_t v)
{
    uint32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
    return r;
}

/* One step of a 2 x 2 block: four int8 weights of each row w0, w1 against two inputs already widened to
   int16 pairs (x0e, x0o: the even and odd lanes of input 0; x1e, x1o: of input 1):
   a[0] += x0.w0, a[1] += x0.w1, a[2] += x1.w0, a[3] += x1.w1. */
TS_ALWAYS_INLINE void ts_mac_2x2_widened(uint32_t x0e, uint32_t x0o, uint32_t x1e, uint32_t x1o, const int8_t *w0,
                                         const int8_t *w1, int32_t *a)
{
    uint32_t v, we, wo;
    memcpy(&v, w0, 4);
    we = __sxtb16(v);
    wo = ts_sxtb16_ror8(v);
    a[0] = (int32_t)__smlad(x0e, we, (uint32_t)a[0]);
    a[0] = (int32_t)__smlad(x0o, wo, (uint32_t)a[0]);
    a[2] = (int32_t)__smlad(x1e, we, (uint32_t)a[2]);
    a[2] = (int32_t)__smlad(x1o, wo, (uint32_t)a[2]);
    memcpy(&v, w1, 4);
    we = __sxtb16(v);
    wo = ts_sxtb16_ror8(v);
    a[1] = (int32_t)__smlad(x0e, we, (uint32_t)a[1]);
    a[1] = (int32_t)__smlad(x0o, wo, (uint32_t)a[1]);
    a[3] = (int32_t)__smlad(x1e, we, (uint32_t)a[3]);
    a[3] = (int32_t)__smlad(x1o, wo, (uint32_t)a[3]);
}
#endif

/* acc0 += sum((x[i] + off) * w0[i]), acc1 += sum((x[i] + off) * w1[i]): one input load feeds two rows. */
static inline void ts_dot_s8_1x2(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n, int32_t off,
                                 int32_t *acc0, int32_t *acc1)
{
    int32_t a0 = *acc0;
    int32_t a1 = *acc1;
    int32_t i = 0;
#if TS_USE_MVE
    int32_t s0 = 0, s1 = 0;
    for (; i < n; i += 16) {
        const mve_pred16_t p = vctp8q((uint32_t)(n - i));
        const int8x16_t vx = vldrbq_z_s8(x + i, p);
        const int8x16_t v0 = vldrbq_z_s8(w0 + i, p);
        const int8x16_t v1 = vldrbq_z_s8(w1 + i, p);
        a0 = vmladavaq_s8(a0, vx, v0);
        a1 = vmladavaq_s8(a1, vx, v1);
        s0 = vaddvaq_s8(s0, v0);
        s1 = vaddvaq_s8(s1, v1);
    }
    a0 = ts_wrapping_add(a0, (int32_t)((uint32_t)off * (uint32_t)s0));
    a1 = ts_wrapping_add(a1, (int32_t)((uint32_t)off * (uint32_t)s1));
#elif TS_USE_DSP
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
        xo = ts_sxtab16_ror8(offs, vx);
        a0 = (int32_t)__smlad(xe, __sxtb16(v0), (uint32_t)a0);
        a0 = (int32_t)__smlad(xo, ts_sxtb16_ror8(v0), (uint32_t)a0);
        a1 = (int32_t)__smlad(xe, __sxtb16(v1), (uint32_t)a1);
        a1 = (int32_t)__smlad(xo, ts_sxtb16_ror8(v1), (uint32_t)a1);
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
static inline void ts_dot_s8_2x2(const int8_t *x, const int8_t *w, int32_t n, int32_t off, int32_t *acc)
{
    int32_t a[4] = {acc[0], acc[1], acc[2], acc[3]};
    int32_t i = 0;
#if TS_USE_MVE
    int32_t s0 = 0, s1 = 0;
    for (; i < n; i += 16) {
        const mve_pred16_t p = vctp8q((uint32_t)(n - i));
        const int8x16_t vx0 = vldrbq_z_s8(x + i, p);
        const int8x16_t vx1 = vldrbq_z_s8(x + n + i, p);
        const int8x16_t vw0 = vldrbq_z_s8(w + i, p);
        const int8x16_t vw1 = vldrbq_z_s8(w + n + i, p);
        a[0] = vmladavaq_s8(a[0], vx0, vw0);
        a[1] = vmladavaq_s8(a[1], vx0, vw1);
        a[2] = vmladavaq_s8(a[2], vx1, vw0);
        a[3] = vmladavaq_s8(a[3], vx1, vw1);
        s0 = vaddvaq_s8(s0, vw0);
        s1 = vaddvaq_s8(s1, vw1);
    }
    s0 = (int32_t)((uint32_t)off * (uint32_t)s0);
    s1 = (int32_t)((uint32_t)off * (uint32_t)s1);
    a[0] = ts_wrapping_add(a[0], s0);
    a[2] = ts_wrapping_add(a[2], s0);
    a[1] = ts_wrapping_add(a[1], s1);
    a[3] = ts_wrapping_add(a[3], s1);
#elif TS_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
    for (; i + 4 <= n; i += 4) {
        uint32_t v0, v1;
        memcpy(&v0, x + i, 4);
        memcpy(&v1, x + n + i, 4);
        ts_mac_2x2_widened(__sxtab16(offs, v0), ts_sxtab16_ror8(offs, v0), __sxtab16(offs, v1),
                           ts_sxtab16_ror8(offs, v1), w + i, w + n + i, a);
    }
#endif
    for (; i < n; ++i) {
        const int32_t v0 = (int32_t)x[i] + off;
        const int32_t v1 = (int32_t)x[n + i] + off;
        a[0] += v0 * (int32_t)w[i];
        a[1] += v0 * (int32_t)w[n + i];
        a[2] += v1 * (int32_t)w[i];
        a[3] += v1 * (int32_t)w[n + i];
    }
    memcpy(acc, a, sizeof(a));
}

#if TS_USE_DSP
/* (x[i] + off) for n (a multiple of 4) inputs as SMLAD operands: {x0 | x2 << 16, x1 | x3 << 16} per 4. */
static inline void ts_widen_s8_to_s16(const int8_t *x, int32_t n, uint32_t offs, uint32_t *dst)
{
    int32_t i;
    for (i = 0; i < n; i += 4, dst += 2) {
        uint32_t v;
        memcpy(&v, x + i, 4);
        dst[0] = __sxtab16(offs, v);
        dst[1] = ts_sxtab16_ror8(offs, v);
    }
}

/* ts_dot_s8_2x2 on inputs already widened by ts_widen_s8_to_s16 (x1 = x + n / 2 words): the input
   extension is done once per pixel instead of once per output channel pair. */
static inline void ts_dot_s8_2x2_widened(const uint32_t *x, const int8_t *w, int32_t n, int32_t *acc)
{
    int32_t a[4] = {acc[0], acc[1], acc[2], acc[3]};
    int32_t i;
    for (i = 0; i < n; i += 4, x += 2) {
        ts_mac_2x2_widened(x[0], x[1], x[n / 2], x[n / 2 + 1], w + i, w + n + i, a);
    }
    memcpy(acc, a, sizeof(a));
}
#endif

/* acc += sum((x[i] + off) * w[i]). */
static inline int32_t ts_dot_s8(const int8_t *x, const int8_t *w, int32_t n, int32_t off, int32_t acc)
{
    int32_t i = 0;
#if TS_USE_MVE
    int32_t s = 0;
    for (; i < n; i += 16) {
        const mve_pred16_t p = vctp8q((uint32_t)(n - i));
        const int8x16_t vw = vldrbq_z_s8(w + i, p);
        acc = vmladavaq_s8(acc, vldrbq_z_s8(x + i, p), vw);
        s = vaddvaq_s8(s, vw);
    }
    acc = ts_wrapping_add(acc, (int32_t)((uint32_t)off * (uint32_t)s));
#elif TS_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
    for (; i + 4 <= n; i += 4) {
        uint32_t vx, vw;
        memcpy(&vx, x + i, 4);
        memcpy(&vw, w + i, 4);
        acc = (int32_t)__smlad(__sxtab16(offs, vx), __sxtb16(vw), (uint32_t)acc);
        acc = (int32_t)__smlad(ts_sxtab16_ror8(offs, vx), ts_sxtb16_ror8(vw), (uint32_t)acc);
    }
#endif
    for (; i < n; ++i) {
        acc += ((int32_t)x[i] + off) * (int32_t)w[i];
    }
    return acc;
}

#endif
