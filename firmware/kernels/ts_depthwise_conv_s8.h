/* DEPTHWISE_CONV_2D int8, any depth multiplier, stride, dilation and padding; weights [k_h][k_w][out_c],
   output channel oc reads input channel oc / depth_mult. No scratch. */
#ifndef TS_DEPTHWISE_CONV_S8_H
#define TS_DEPTHWISE_CONV_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

void ts_depthwise_conv_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                          const int32_t *shift, int32_t depth_mult, const ts_conv_params *p, int8_t *out);

#endif
