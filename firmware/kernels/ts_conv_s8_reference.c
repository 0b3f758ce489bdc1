/* CONV_2D int8, reference: plain loops over output pixels, channels and in-bounds taps (as TFLM's
   reference kernel), no scratch. */
#include "ts_conv_s8.h"

#if TS_KERNELS_REFERENCE
void ts_conv_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult, const int32_t *shift,
                const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    int32_t b, oy, ox, oc, ky, kx, ic;
    (void)scratch;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * p->in_c;
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                for (oc = 0; oc < p->out_c; ++oc) {
                    int32_t acc = bias[oc];
                    for (ky = 0; ky < p->k_h; ++ky) {
                        const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dil_h;
                        if (iy < 0 || iy >= p->in_h) {
                            continue;
                        }
                        for (kx = 0; kx < p->k_w; ++kx) {
                            const int32_t ix = ox * p->stride_w - p->pad_w + kx * p->dil_w;
                            const int8_t *x;
                            const int8_t *f;
                            if (ix < 0 || ix >= p->in_w) {
                                continue;
                            }
                            x = img + (iy * p->in_w + ix) * p->in_c;
                            f = w + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
                            for (ic = 0; ic < p->in_c; ++ic) {
                                acc += ((int32_t)x[ic] + p->in_offset) * (int32_t)f[ic];
                            }
                        }
                    }
                    *out++ = ts_conv_requantize(acc, mult, shift, oc, p);
                }
            }
        }
    }
}
#endif
