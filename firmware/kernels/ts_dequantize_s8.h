/* DEQUANTIZE int8 -> float32. No scratch. */
#ifndef TS_DEQUANTIZE_S8_H
#define TS_DEQUANTIZE_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_dequantize_s8(const int8_t *in, int32_t n, float scale, int32_t zero_point, float *out);

#endif
