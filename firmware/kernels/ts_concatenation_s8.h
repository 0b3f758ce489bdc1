/* CONCATENATION int8: for each of `outer` blocks, copy chunk[k] bytes from each input k in turn. No scratch. */
#ifndef TS_CONCATENATION_S8_H
#define TS_CONCATENATION_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_concatenation_s8(const int8_t *const *ins, const int32_t *chunk, int32_t count, int32_t outer, int8_t *out);

#endif
