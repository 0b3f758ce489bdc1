/* CONV_2D int8, optimised: the out-of-line instance of ts_conv_s8_inline (ts_conv_s8.h). */
#include "ts_conv_s8.h"

#if !TS_KERNELS_REFERENCE
void ts_conv_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult, const int32_t *shift,
                const ts_conv_params *p, int8_t *scratch, int8_t *out)
{
    ts_conv_s8_inline(in, w, bias, mult, shift, p, scratch, out);
}
#endif
