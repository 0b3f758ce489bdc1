/* FULLY_CONNECTED int8, optimised: two weight rows per input pass (ts_dot_s8_1x2). */
#include "ts_fully_connected_s8.h"
#include "ts_nn_dot_s8.h"

#if !TS_KERNELS_REFERENCE
void ts_fully_connected_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                           const int32_t *shift, const ts_fc_params *p, int8_t *out)
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
            ts_dot_s8_1x2(x, w + u * depth, w + (u + 1) * depth, depth, 0, &a0, &a1);
            out[u] = ts_requantize(a0, mult[u], shift[u], out_off, act_lo, act_hi);
            out[u + 1] = ts_requantize(a1, mult[u + 1], shift[u + 1], out_off, act_lo, act_hi);
        }
        if (u < p->units) {
            const int32_t a0 = ts_dot_s8(x, w + u * depth, depth, 0, bias[u]);
            out[u] = ts_requantize(a0, mult[u], shift[u], out_off, act_lo, act_hi);
        }
        out += p->units;
    }
}
#endif
