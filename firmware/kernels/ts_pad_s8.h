/* PAD int8 of up to 4 dimensions with a constant value. No scratch. */
#ifndef TS_PAD_S8_H
#define TS_PAD_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_pad_s8(const int8_t *in, const ts_pad_params *p, int8_t *out);

#endif
