/* MUL int8 (see ts_elementwise_s8.h). */
#include "ts_elementwise_s8.h"

void ts_elementwise_mul_s8(const int8_t *a, const int8_t *b, int32_t n, const ts_elementwise_params *p,
                           int8_t *out)
{
    const int32_t o1 = p->in1_offset, o2 = p->in2_offset;
    const int32_t m = p->out_mult, s = p->out_shift, oo = p->out_offset, lo = p->act_min, hi = p->act_max;
    int32_t i, i0, i1, i2, i3;
    if (n > 0) {
        for (i = 0; i < n; ++i) {
            out[i] = ts_requantize((a[i] + o1) * (b[i] + o2), m, s, oo, lo, hi);
        }
        return;
    }
    for (i0 = 0; i0 < p->dims[0]; ++i0) {
        for (i1 = 0; i1 < p->dims[1]; ++i1) {
            for (i2 = 0; i2 < p->dims[2]; ++i2) {
                const int8_t *ra = a + i0 * p->stride1[0] + i1 * p->stride1[1] + i2 * p->stride1[2];
                const int8_t *rb = b + i0 * p->stride2[0] + i1 * p->stride2[1] + i2 * p->stride2[2];
                for (i3 = 0; i3 < p->dims[3]; ++i3) {
                    const int32_t x = ra[i3 * p->stride1[3]] + o1;
                    const int32_t y = rb[i3 * p->stride2[3]] + o2;
                    *out++ = ts_requantize(x * y, m, s, oo, lo, hi);
                }
            }
        }
    }
}
