/* ADD / SUB int8 (see ts_elementwise_s8.h). */
#include "ts_elementwise_s8.h"

static inline int32_t ts_add_or_sub(int32_t op, int32_t x, int32_t y, const int32_t *t1, const int32_t *t2)
{
    return op == 1 ? t1[x + 128] - t2[y + 128] : t1[x + 128] + t2[y + 128];
}

void ts_elementwise_add_s8(const int8_t *a, const int8_t *b, int32_t n, const int32_t *t1, const int32_t *t2,
                           const ts_elementwise_params *p, int8_t *out)
{
    const int32_t op = p->op;
    const int32_t m = p->out_mult, s = p->out_shift, oo = p->out_offset, lo = p->act_min, hi = p->act_max;
    int32_t i, i0, i1, i2, i3;
    if (n > 0) {
        if (op == 0) {
            for (i = 0; i < n; ++i) {
                out[i] = ts_requantize(t1[a[i] + 128] + t2[b[i] + 128], m, s, oo, lo, hi);
            }
        } else {
            for (i = 0; i < n; ++i) {
                out[i] = ts_requantize(ts_add_or_sub(op, a[i], b[i], t1, t2), m, s, oo, lo, hi);
            }
        }
        return;
    }
    for (i0 = 0; i0 < p->dims[0]; ++i0) {
        for (i1 = 0; i1 < p->dims[1]; ++i1) {
            for (i2 = 0; i2 < p->dims[2]; ++i2) {
                const int8_t *ra = a + i0 * p->stride1[0] + i1 * p->stride1[1] + i2 * p->stride1[2];
                const int8_t *rb = b + i0 * p->stride2[0] + i1 * p->stride2[1] + i2 * p->stride2[2];
                for (i3 = 0; i3 < p->dims[3]; ++i3) {
                    const int32_t raw = ts_add_or_sub(op, ra[i3 * p->stride1[3]], rb[i3 * p->stride2[3]], t1, t2);
                    *out++ = ts_requantize(raw, m, s, oo, lo, hi);
                }
            }
        }
    }
}
