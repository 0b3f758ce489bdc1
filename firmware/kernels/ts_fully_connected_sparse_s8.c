/* FULLY_CONNECTED int8 with bitmask-sparse weights (see ts_fully_connected_sparse_s8.h). */
#include "ts_fully_connected_sparse_s8.h"

#if defined(__GNUC__)
#define TS_COUNT_TRAILING_ZEROS(v) ((int32_t)__builtin_ctz(v))
#else
static int32_t TS_COUNT_TRAILING_ZEROS(uint32_t v)
{
    int32_t n = 0;
    while ((v & 1u) == 0u) {
        v >>= 1;
        ++n;
    }
    return n;
}
#endif

void ts_fully_connected_sparse_s8(const int8_t *in, const uint8_t *mask, const int8_t *vals, const int32_t *bias,
                                  const int32_t *mult, const int32_t *shift, const ts_fc_sparse_params *p,
                                  int8_t *out)
{
    const int32_t out_off = p->out_offset;
    const int32_t act_lo = p->act_min;
    const int32_t act_hi = p->act_max;
    const int32_t mb = p->mask_bytes;
    int32_t b, u, k;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = in + b * p->depth;
        const uint8_t *m = mask;
        const int8_t *v = vals;
        for (u = 0; u < p->units; ++u) {
            int32_t acc = bias[u];
            for (k = 0; k < mb; ++k) {
                const int8_t *xk = x + 8 * k;
                uint32_t bits = m[k];
                while (bits != 0u) {
                    acc += (int32_t)xk[TS_COUNT_TRAILING_ZEROS(bits)] * (int32_t)*v++;
                    bits &= bits - 1u;
                }
            }
            m += mb;
            out[u] = ts_requantize(acc, mult[u], shift[u], out_off, act_lo, act_hi);
        }
        out += p->units;
    }
}
