/* DEPTHWISE_CONV_2D int8 with packed weights, reference: plain loops over output pixels, channels and
   in-bounds taps, reading each weight from its int16 lane of wq. No scratch. */
#include "ts_depthwise_conv_strip_s8.h"

#if TS_KERNELS_REFERENCE
void ts_depthwise_conv_strip_s8(const int8_t *in, const int32_t *wq, const int32_t *bias, const int32_t *mult,
                                const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    const int32_t taps = p->k_h * p->k_w;
    int32_t b, oy, ox, c, ky, kx;
    (void)scratch;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * p->in_c;
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                for (c = 0; c < p->in_c; ++c) {
                    /* Lanes 0 and 2 share word 0 of a tap, lanes 1 and 3 word 1 (low half, high half). */
                    const int32_t *wg = wq + (c / 4) * 2 * taps + (c % 4) % 2;
                    const int high = (c % 4) >= 2;
                    int32_t acc = bias[c];
                    for (ky = 0; ky < p->k_h; ++ky) {
                        const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dil_h;
                        if (iy < 0 || iy >= p->in_h) {
                            continue;
                        }
                        for (kx = 0; kx < p->k_w; ++kx) {
                            const int32_t ix = ox * p->stride_w - p->pad_w + kx * p->dil_w;
                            const int32_t word = wg[2 * (ky * p->k_w + kx)];
                            if (ix < 0 || ix >= p->in_w) {
                                continue;
                            }
                            acc += ((int32_t)img[(iy * p->in_w + ix) * p->in_c + c] + p->in_offset) *
                                   (high ? ts_high16(word) : ts_low16(word));
                        }
                    }
                    *out++ = ts_conv_requantize(acc, mult, shift, c, p);
                }
            }
        }
    }
}
#endif
