/* DEQUANTIZE int8 (see ts_dequantize_s8.h). */
#include "ts_dequantize_s8.h"

void ts_dequantize_s8(const int8_t *in, int32_t n, float scale, int32_t zero_point, float *out)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = (float)((double)scale * (double)((int32_t)in[i] - zero_point));
    }
}
