/* QUANTIZE float32 -> int8 (see ts_quantize_s8.h). */
#include <math.h>
#include "ts_quantize_s8.h"

void ts_quantize_s8(const float *in, int32_t n, float scale, int32_t zero_point, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        const int32_t v = (int32_t)roundf(in[i] / scale) + zero_point;
        out[i] = (int8_t)ts_clamp(v, -128, 127);
    }
}
