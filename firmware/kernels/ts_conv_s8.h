/* CONV_2D, int8 with per-channel requantization: any filter size, stride, dilation and padding.

   acc = bias + sum over in-bounds taps of (x + in_offset) * w; weights are [out_c][k_h][k_w][in_c]. */
#ifndef TS_CONV_S8_H
#define TS_CONV_S8_H

#include <stdint.h>
#include <string.h>

#include "ts_nn_support.h"

void ts_conv_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult, const int32_t *shift,
                const ts_conv_params *p, int8_t *scratch, int8_t *out);

/* Scratch bytes ts_conv_s8 needs: two im2col patches, none for a plain 1x1 conv (it reads the input in
   place). The memory planner sizes the op's scratch from this function. */
static inline int32_t ts_conv_s8_get_buffer_size(const ts_conv_params *p)
{
    const int direct = p->k_h == 1 && p->k_w == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_h == 0 &&
                       p->pad_w == 0;
    return direct ? 0 : 2 * p->k_h * p->k_w * p->in_c;
}

#if TS_KERNELS_REFERENCE
/* Reference builds: model.c's per-op functions call the out-of-line reference kernel. */
TS_ALWAYS_INLINE void ts_conv_s8_inline(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                                        const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    ts_conv_s8(in, w, bias, mult, shift, p, scratch, out);
}
#else
#include "ts_nn_dot_s8.h"

/* Copy the receptive field of output pixel (oy, ox) into dst as one contiguous patch; taps outside the
   image get the input zero point, so (x + in_offset) is 0 there, exactly like TFLM skipping them. */
TS_ALWAYS_INLINE void ts_im2col_s8(const int8_t *img, const ts_conv_params *p, int32_t oy, int32_t ox, int8_t *dst)
{
    const int32_t in_c = p->in_c;
    const int32_t row = p->k_w * in_c;
    const int8_t zp = (int8_t)(-p->in_offset);
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox * p->stride_w - p->pad_w;
    int32_t ky0, ky1, kx0, kx1, ky, kx;
    ts_filter_window(iy0, p->dil_h, p->k_h, p->in_h, &ky0, &ky1);
    ts_filter_window(ix0, p->dil_w, p->k_w, p->in_w, &kx0, &kx1);
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

/* The optimised kernel as an always-inline function, so model.c specialises one copy per op for its
   constant shapes (ts_conv_s8 runs the same code, unspecialised): two output pixels times two output
   channels per inner loop, each pixel's receptive field gathered by ts_im2col_s8, or read in place for a
   plain 1x1 conv. Given scratch, a 1x1 conv with a multiple of 4 input channels widens each pixel pair
   once instead (ts_conv_1x1_s8 passes that scratch; ts_conv_s8_get_buffer_size asks for none). */
TS_ALWAYS_INLINE void ts_conv_s8_inline(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                                        const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out)
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
#if TS_USE_DSP && !TS_USE_MVE
    /* A plain 1x1 conv given scratch (ts_conv_1x1_s8) widens each pixel pair once (Helium needs no widening). */
    if (direct && in_c % 4 == 0 && scratch != NULL) {
        const uint32_t offs = ((uint32_t)(uint16_t)off << 16) | (uint32_t)(uint16_t)off;
        uint32_t *wide = (uint32_t *)(void *)scratch;
        for (pix = 0; pix + 1 < pixels; pix += 2) {
            int8_t *o0 = out + pix * out_c;
            int8_t *o1 = o0 + out_c;
            ts_widen_s8_to_s16(in + pix * in_c, 2 * in_c, offs, wide);
            for (oc = 0; oc + 1 < out_c; oc += 2) {
                int32_t acc[4];
                acc[0] = acc[2] = bias[oc];
                acc[1] = acc[3] = bias[oc + 1];
                ts_dot_s8_2x2_widened(wide, w + oc * patch, patch, acc);
                o0[oc] = ts_conv_requantize(acc[0], mult, shift, oc, p);
                o0[oc + 1] = ts_conv_requantize(acc[1], mult, shift, oc + 1, p);
                o1[oc] = ts_conv_requantize(acc[2], mult, shift, oc, p);
                o1[oc + 1] = ts_conv_requantize(acc[3], mult, shift, oc + 1, p);
            }
            if (oc < out_c) {
                o0[oc] = ts_conv_requantize(ts_dot_s8(in + pix * in_c, w + oc * patch, patch, off, bias[oc]), mult,
                                            shift, oc, p);
                o1[oc] = ts_conv_requantize(ts_dot_s8(in + (pix + 1) * in_c, w + oc * patch, patch, off, bias[oc]),
                                            mult, shift, oc, p);
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
                ts_im2col_s8(in + b * p->in_h * p->in_w * in_c, p, r / p->out_w, r % p->out_w, scratch + k * patch);
            }
            x0 = scratch;
            x1 = two ? scratch + patch : scratch;
        }
        for (oc = 0; oc + 1 < out_c; oc += 2) {
            int32_t acc[4];
            acc[0] = acc[2] = bias[oc];
            acc[1] = acc[3] = bias[oc + 1];
            if (two) {
                ts_dot_s8_2x2(x0, w + oc * patch, patch, off, acc);
            } else {
                acc[0] = ts_dot_s8(x0, w + oc * patch, patch, off, acc[0]);
                acc[1] = ts_dot_s8(x0, w + (oc + 1) * patch, patch, off, acc[1]);
            }
            o0[oc] = ts_conv_requantize(acc[0], mult, shift, oc, p);
            o0[oc + 1] = ts_conv_requantize(acc[1], mult, shift, oc + 1, p);
            if (two) {
                o1[oc] = ts_conv_requantize(acc[2], mult, shift, oc, p);
                o1[oc + 1] = ts_conv_requantize(acc[3], mult, shift, oc + 1, p);
            }
        }
        if (oc < out_c) {
            const int8_t *wr = w + oc * patch;
            o0[oc] = ts_conv_requantize(ts_dot_s8(x0, wr, patch, off, bias[oc]), mult, shift, oc, p);
            if (two) {
                o1[oc] = ts_conv_requantize(ts_dot_s8(x1, wr, patch, off, bias[oc]), mult, shift, oc, p);
            }
        }
    }
}
#endif

#endif
