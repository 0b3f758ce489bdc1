/* MAX_POOL_2D int8: the largest value of the in-bounds window. No scratch. */
#ifndef TS_MAXPOOL_S8_H
#define TS_MAXPOOL_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_maxpool_s8(const int8_t *in, const ts_pool_params *p, int8_t *out);

#endif
