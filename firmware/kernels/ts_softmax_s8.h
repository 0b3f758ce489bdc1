/* SOFTMAX int8 -> int8 (scale 1/256, zero point -128), as TFLite's integer softmax. exp_table[d] =
   exp(-d * beta * scale) in Q0.31 for d = max - x, valid for d <= max_diff. No scratch. */
#ifndef TS_SOFTMAX_S8_H
#define TS_SOFTMAX_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_softmax_s8(const int8_t *in, int32_t rows, int32_t depth, const int32_t *exp_table, int32_t max_diff,
                   int8_t *out);

#endif
