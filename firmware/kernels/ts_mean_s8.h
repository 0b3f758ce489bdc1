/* MEAN int8 over one contiguous block of axes: in is [outer][reduced][inner], out is [outer][inner].
   mult and shift already hold the 1 / reduced factor. No scratch. */
#ifndef TS_MEAN_S8_H
#define TS_MEAN_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_mean_s8(const int8_t *in, const ts_mean_params *p, int8_t *out);

#endif
