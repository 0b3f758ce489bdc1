/* Hand-written stand-in for a generated model: one int8 dense layer 100x6 -> 4 with a fixed rule. */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <stdint.h>

#define TS_MODEL_NAME "fixture_dense"
#define TS_MODEL_HASH "0123456789abcdef"
#define TS_MODEL_INPUT_BYTES 600
#define TS_MODEL_OUTPUT_BYTES 4
#define TS_MODEL_ARENA_BYTES 16
#define TS_MODEL_INPUT_SCALE 0.05f
#define TS_MODEL_INPUT_ZERO_POINT -3
#define TS_MODEL_OUTPUT_SCALE 0.00390625f
#define TS_MODEL_OUTPUT_ZERO_POINT -128
#define TS_MODEL_INPUT_RANK 3
#define TS_MODEL_OUTPUT_RANK 2
#define TS_MODEL_INPUT_SHAPE {1, 100, 6}
#define TS_MODEL_OUTPUT_SHAPE {1, 4}
#define TS_MODEL_OP_COUNT 1

int ts_model_invoke(const int8_t *input, int8_t *output);

#endif
