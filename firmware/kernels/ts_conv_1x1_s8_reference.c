/* CONV_2D 1x1 int8, reference: one plain dot product per output pixel and channel, no scratch. */
#include "ts_conv_1x1_s8.h"

#if TS_KERNELS_REFERENCE
void ts_conv_1x1_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                    const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    const int32_t pixels = p->batches * p->out_h * p->out_w;
    int32_t pix, oc, ic;
    (void)scratch;
    for (pix = 0; pix < pixels; ++pix) {
        const int8_t *x = in + pix * p->in_c;
        for (oc = 0; oc < p->out_c; ++oc) {
            const int8_t *f = w + oc * p->in_c;
            int32_t acc = bias[oc];
            for (ic = 0; ic < p->in_c; ++ic) {
                acc += ((int32_t)x[ic] + p->in_offset) * (int32_t)f[ic];
            }
            *out++ = ts_conv_requantize(acc, mult, shift, oc, p);
        }
    }
}
#endif
