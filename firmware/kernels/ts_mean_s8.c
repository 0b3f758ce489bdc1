/* MEAN int8 (see ts_mean_s8.h). */
#include "ts_mean_s8.h"

void ts_mean_s8(const int8_t *in, const ts_mean_params *p, int8_t *out)
{
    int32_t o, r, i;
    const int32_t offset = p->in_zp * p->reduced;
    for (o = 0; o < p->outer; ++o) {
        const int8_t *block = in + o * p->reduced * p->inner;
        for (i = 0; i < p->inner; ++i) {
            int32_t acc = 0;
            for (r = 0; r < p->reduced; ++r) {
                acc += block[r * p->inner + i];
            }
            acc = ts_multiply_by_quantized_multiplier(acc - offset, p->mult, p->shift) + p->out_zp;
            *out++ = (int8_t)ts_clamp(acc, -128, 127);
        }
    }
}
