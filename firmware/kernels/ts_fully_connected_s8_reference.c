/* FULLY_CONNECTED int8, reference: one plain dot product per output unit. */
#include "ts_fully_connected_s8.h"

#if TS_KERNELS_REFERENCE
void ts_fully_connected_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                           const int32_t *shift, const ts_fc_params *p, int8_t *out)
{
    int32_t b, u, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = in + b * p->depth;
        for (u = 0; u < p->units; ++u) {
            const int8_t *row = w + u * p->depth;
            int32_t acc = bias[u];
            for (d = 0; d < p->depth; ++d) {
                acc += (int32_t)x[d] * (int32_t)row[d];
            }
            *out++ = ts_requantize(acc, mult[u], shift[u], p->out_offset, p->act_min, p->act_max);
        }
    }
}
#endif
