/* LUT int8 (see ts_lut_s8.h). */
#include "ts_lut_s8.h"

void ts_lut_s8(const int8_t *in, const int8_t *table, int32_t n, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = table[(int32_t)in[i] + 128];
    }
}
