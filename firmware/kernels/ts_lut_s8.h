/* LUT int8: any elementwise int8 -> int8 op (activations, requantization) as a 256-entry table
   indexed by x + 128; safe in place. No scratch. */
#ifndef TS_LUT_S8_H
#define TS_LUT_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_lut_s8(const int8_t *in, const int8_t *table, int32_t n, int8_t *out);

#endif
