/*
 * model.h - the data-collection firmware's stand-in for a model: the runner without a network. It answers
 * HELLO (model "data-collection") and STREAM; INFER reports status -1. This folder is the model folder of the
 * data-collection build, so tsr_collector.c (the streaming from boot) is compiled only into that image.
 */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <stdint.h>

#define TS_MODEL_NAME "data-collection"
#define TS_MODEL_HASH "0000000000000000"
#define TS_MODEL_OP_COUNT 0
#define TS_MODEL_ARENA_BYTES 0

#define TS_MODEL_INPUT_BYTES 1
#define TS_MODEL_INPUT_RANK 1
#define TS_MODEL_INPUT_SHAPE {1}
#define TS_MODEL_INPUT_SCALE 1.0f
#define TS_MODEL_INPUT_ZERO_POINT 0

#define TS_MODEL_OUTPUT_BYTES 1
#define TS_MODEL_OUTPUT_RANK 1
#define TS_MODEL_OUTPUT_SHAPE {1}
#define TS_MODEL_OUTPUT_SCALE 1.0f
#define TS_MODEL_OUTPUT_ZERO_POINT 0

/* No network: always -1. */
int ts_model_invoke(const int8_t *input, int8_t *output);

#endif
