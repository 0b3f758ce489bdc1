/* PAD int8 (see ts_pad_s8.h). */
#include <string.h>
#include "ts_pad_s8.h"

void ts_pad_s8(const int8_t *in, const ts_pad_params *p, int8_t *out)
{
    int32_t a, b, c;
    const int32_t *o = p->out_dims;
    memset(out, p->value, (size_t)(o[0] * o[1] * o[2] * o[3]));
    for (a = 0; a < p->in_dims[0]; ++a) {
        for (b = 0; b < p->in_dims[1]; ++b) {
            for (c = 0; c < p->in_dims[2]; ++c) {
                const int32_t dst =
                    (((a + p->before[0]) * o[1] + b + p->before[1]) * o[2] + c + p->before[2]) * o[3] +
                    p->before[3];
                const int32_t src = ((a * p->in_dims[1] + b) * p->in_dims[2] + c) * p->in_dims[3];
                memcpy(out + dst, in + src, (size_t)p->in_dims[3]);
            }
        }
    }
}
