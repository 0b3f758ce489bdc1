/* DEPTHWISE_CONV_2D int8 with depth multiplier 1, weights packed for the DSP extension.

   One output row at a time reads a strip holding the k_h input rows it needs, with the input zero point
   around the image so every tap is in bounds ((zp + in_offset) * w is 0, exactly like TFLM skipping the
   tap). wq holds the weights as int16 pairs, [group of 4 channels][k_h * k_w taps]
   {c0 | c2 << 16, c1 | c3 << 16} (zero weights past the last channel), so each word feeds SMLABB/SMLATT
   directly; bias, mult and shift are padded to whole groups. */
#ifndef TS_DEPTHWISE_CONV_STRIP_S8_H
#define TS_DEPTHWISE_CONV_STRIP_S8_H

#include <stdint.h>
#include <string.h>

#include "ts_nn_support.h"

void ts_depthwise_conv_strip_s8(const int8_t *in, const int32_t *wq, const int32_t *bias, const int32_t *mult,
                                const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out);

/* Input columns one output row reads, padding included. */
static inline int32_t ts_depthwise_conv_strip_width(const ts_conv_params *p)
{
    return (p->out_w - 1) * p->stride_w + (p->k_w - 1) * p->dil_w + 1;
}

/* Scratch bytes ts_depthwise_conv_strip_s8 needs: the strip plus 4 bytes so the last group may read a
   whole word. The memory planner sizes the op's scratch from this function. */
static inline int32_t ts_depthwise_conv_strip_s8_get_buffer_size(const ts_conv_params *p)
{
    return p->k_h * ts_depthwise_conv_strip_width(p) * p->in_c + 4;
}

#if TS_KERNELS_REFERENCE
/* Reference builds: model.c's per-op functions call the out-of-line reference kernel. */
TS_ALWAYS_INLINE void ts_depthwise_conv_strip_s8_inline(const int8_t *in, const int32_t *wq, const int32_t *bias,
                                                        const int32_t *mult, const int32_t *shift,
                                                        const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    ts_depthwise_conv_strip_s8(in, wq, bias, mult, shift, p, scratch, out);
}
#else
/* The optimised kernel as an always-inline function, so model.c specialises one copy per op. */
TS_ALWAYS_INLINE void ts_depthwise_conv_fill_strip(const int8_t *img, const ts_conv_params *p, int32_t oy,
                                                   int8_t *strip)
{
    const int32_t c = p->in_c;
    const int32_t sw = ts_depthwise_conv_strip_width(p);
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

TS_ALWAYS_INLINE void ts_depthwise_conv_store4(int8_t *o, int32_t n, int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                               const int32_t *mult, const int32_t *shift, const ts_conv_params *p)
{
    o[0] = ts_conv_requantize(a0, mult, shift, 0, p);
    if (n > 1) {
        o[1] = ts_conv_requantize(a1, mult, shift, 1, p);
    }
    if (n > 2) {
        o[2] = ts_conv_requantize(a2, mult, shift, 2, p);
    }
    if (n > 3) {
        o[3] = ts_conv_requantize(a3, mult, shift, 3, p);
    }
}

TS_ALWAYS_INLINE void ts_depthwise_conv_strip_s8_inline(const int8_t *in, const int32_t *wq, const int32_t *bias,
                                                        const int32_t *mult, const int32_t *shift,
                                                        const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    const int32_t c = p->in_c;
    const int32_t groups = (c + 3) / 4;
    const int32_t taps = p->k_h * p->k_w;
    const int32_t sw = ts_depthwise_conv_strip_width(p);
    const int32_t off = p->in_offset;
    int32_t b, oy, ox, g, ky, kx;
#if TS_USE_DSP
    const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
#endif
    memset(scratch + p->k_h * sw * c, 0, 4);
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * c;
        for (oy = 0; oy < p->out_h; ++oy) {
            ts_depthwise_conv_fill_strip(img, p, oy, scratch);
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
#if TS_USE_DSP
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
                            a0 += ((int32_t)xp[0] + off) * ts_low16(wp[0]);
                            a2 += ((int32_t)xp[2] + off) * ts_high16(wp[0]);
                            a1 += ((int32_t)xp[1] + off) * ts_low16(wp[1]);
                            a3 += ((int32_t)xp[3] + off) * ts_high16(wp[1]);
                            wp += 2;
#endif
                        }
                    }
                    ts_depthwise_conv_store4(out + 4 * g, c - 4 * g, a0, a1, a2, a3, mult + (p->fast_rq ? 12 : 4) * g,
                                             shift + 4 * g, p);
                }
            }
        }
    }
}
#endif

#endif
