/* CONCATENATION int8 (see ts_concatenation_s8.h). */
#include <string.h>
#include "ts_concatenation_s8.h"

void ts_concatenation_s8(const int8_t *const *ins, const int32_t *chunk, int32_t count, int32_t outer, int8_t *out)
{
    int32_t o, k;
    for (o = 0; o < outer; ++o) {
        for (k = 0; k < count; ++k) {
            memcpy(out, ins[k] + o * chunk[k], (size_t)chunk[k]);
            out += chunk[k];
        }
    }
}
