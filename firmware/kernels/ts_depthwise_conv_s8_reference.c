/* DEPTHWISE_CONV_2D int8, reference: plain loops over output pixels, channels and in-bounds taps (as
   TFLM's reference kernel). */
#include "ts_depthwise_conv_s8.h"

#if TS_KERNELS_REFERENCE
void ts_depthwise_conv_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                          const int32_t *shift, int32_t depth_mult, const ts_conv_params *p, int8_t *out)
{
    int32_t b, oy, ox, oc, ky, kx;
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
                            if (ix < 0 || ix >= p->in_w) {
                                continue;
                            }
                            acc += ((int32_t)img[(iy * p->in_w + ix) * p->in_c + oc / depth_mult] + p->in_offset) *
                                   (int32_t)w[(ky * p->k_w + kx) * p->out_c + oc];
                        }
                    }
                    *out++ = ts_requantize(acc, mult[oc], shift[oc], p->out_offset, p->act_min, p->act_max);
                }
            }
        }
    }
}
#endif
