/* DEPTHWISE_CONV_2D int8 with packed weights, optimised: the out-of-line instance of
   ts_depthwise_conv_strip_s8_inline (ts_depthwise_conv_strip_s8.h). */
#include "ts_depthwise_conv_strip_s8.h"

#if !TS_KERNELS_REFERENCE
void ts_depthwise_conv_strip_s8(const int8_t *in, const int32_t *wq, const int32_t *bias, const int32_t *mult,
                                const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    ts_depthwise_conv_strip_s8_inline(in, wq, bias, mult, shift, p, scratch, out);
}
#endif
