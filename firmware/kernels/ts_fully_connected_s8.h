/* FULLY_CONNECTED int8 with dense weights [units][depth]. The bias already holds in_offset * row sum, so
   the kernel adds plain products x * w. No scratch. */
#ifndef TS_FULLY_CONNECTED_S8_H
#define TS_FULLY_CONNECTED_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_fully_connected_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                           const int32_t *shift, const ts_fc_params *p, int8_t *out);

#endif
