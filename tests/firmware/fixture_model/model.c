/* Fixture model: output[j] = clamp((sum_i input[i] * ((i * 7 + j * 13) % 5 - 2)) >> 6, -128, 127). */
#include "model.h"

static int32_t ts_model_arena[4];

int ts_model_invoke(const int8_t *input, int8_t *output)
{
    int j;
    for (j = 0; j < 4; j++) {
        int32_t acc = 0;
        int i;
        for (i = 0; i < TS_MODEL_INPUT_BYTES; i++) {
            acc += (int32_t)input[i] * (int32_t)((i * 7 + j * 13) % 5 - 2);
        }
        ts_model_arena[j] = acc;
        acc >>= 6;
        output[j] = (int8_t)(acc > 127 ? 127 : (acc < -128 ? -128 : acc));
    }
    return ts_model_arena[0] == 0x7fffffff ? 1 : 0;
}
