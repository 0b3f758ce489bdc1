/* DEPTHWISE_CONV_2D int8, optimised: only the in-bounds taps of each output pixel are walked; with the
   DSP extension and depth multiplier 1, four channels share each load (SMLABB / SMLATT). */
#include <string.h>

#include "ts_depthwise_conv_s8.h"
#include "ts_nn_dot_s8.h"

#if !TS_KERNELS_REFERENCE
void ts_depthwise_conv_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                          const int32_t *shift, int32_t depth_mult, const ts_conv_params *p, int8_t *out)
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
            ts_filter_window(iy0, p->dil_h, p->k_h, p->in_h, &ky0, &ky1);
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int32_t kx0, kx1, rows, cols;
                const int8_t *x_start;
                const int8_t *w_start;
                ts_filter_window(ix0, p->dil_w, p->k_w, p->in_w, &kx0, &kx1);
                rows = ky1 - ky0;
                cols = kx1 - kx0;
                x_start = img + ((iy0 + ky0 * p->dil_h) * p->in_w + ix0 + kx0 * p->dil_w) * in_c;
                w_start = w + (ky0 * p->k_w + kx0) * out_c;
                oc = 0;
#if TS_USE_DSP
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
                                xo = ts_sxtab16_ror8(offs, vx);
                                we = __sxtb16(vw);
                                wo = ts_sxtb16_ror8(vw);
                                a0 = __smlabb((int32_t)xe, (int32_t)we, a0);
                                a2 = __smlatt((int32_t)xe, (int32_t)we, a2);
                                a1 = __smlabb((int32_t)xo, (int32_t)wo, a1);
                                a3 = __smlatt((int32_t)xo, (int32_t)wo, a3);
                            }
                        }
                        out[oc] = ts_requantize(a0, mult[oc], shift[oc], out_off, act_lo, act_hi);
                        out[oc + 1] =
                            ts_requantize(a1, mult[oc + 1], shift[oc + 1], out_off, act_lo, act_hi);
                        out[oc + 2] =
                            ts_requantize(a2, mult[oc + 2], shift[oc + 2], out_off, act_lo, act_hi);
                        out[oc + 3] =
                            ts_requantize(a3, mult[oc + 3], shift[oc + 3], out_off, act_lo, act_hi);
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
                    out[oc] = ts_requantize(acc, mult[oc], shift[oc], out_off, act_lo, act_hi);
                }
                out += out_c;
            }
        }
    }
}
#endif
