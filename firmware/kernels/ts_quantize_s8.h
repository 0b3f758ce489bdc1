/* QUANTIZE float32 -> int8 (round half away from zero, as TFLite). No scratch. */
#ifndef TS_QUANTIZE_S8_H
#define TS_QUANTIZE_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_quantize_s8(const float *in, int32_t n, float scale, int32_t zero_point, int8_t *out);

#endif
