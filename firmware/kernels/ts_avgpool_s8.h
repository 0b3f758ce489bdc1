/* AVERAGE_POOL_2D int8: the rounded mean of the in-bounds window (TFLite rounds half away from zero). No scratch. */
#ifndef TS_AVGPOOL_S8_H
#define TS_AVGPOOL_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_avgpool_s8(const int8_t *in, const ts_pool_params *p, int8_t *out);

#endif
