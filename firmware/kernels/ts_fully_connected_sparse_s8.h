/* FULLY_CONNECTED int8 with bitmask-sparse weights: per unit, mask_bytes bytes whose bit j of byte k
   marks column 8k + j as non-zero; vals holds the non-zero weights in row-major order. The bias already
   holds in_offset * (full) row sums, so only the non-zero products are added. Plain C, one version for
   every build. No scratch. */
#ifndef TS_FULLY_CONNECTED_SPARSE_S8_H
#define TS_FULLY_CONNECTED_SPARSE_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_fully_connected_sparse_s8(const int8_t *in, const uint8_t *mask, const int8_t *vals, const int32_t *bias,
                                  const int32_t *mult, const int32_t *shift, const ts_fc_sparse_params *p,
                                  int8_t *out);

#endif
