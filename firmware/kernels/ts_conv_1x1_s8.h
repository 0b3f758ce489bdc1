/* CONV_2D int8 for a plain 1x1 filter (stride 1, no padding): every output pixel is a dot product of
   one input pixel with each filter row, so the input is read in place. */
#ifndef TS_CONV_1X1_S8_H
#define TS_CONV_1X1_S8_H

#include <stdint.h>
#include <string.h>

#include "ts_conv_s8.h"
#include "ts_nn_support.h"

void ts_conv_1x1_s8(const int8_t *in, const int8_t *w, const int32_t *bias, const int32_t *mult,
                    const int32_t *shift, const ts_conv_params *p, int8_t *scratch, int8_t *out);

/* Scratch bytes ts_conv_1x1_s8 needs: a pixel pair widened to int16 pairs (4 bytes per input channel)
   when the channel count is a multiple of 4, else none. The same for every build, since the memory plan
   is made before the folder is compiled; kernels that do not widen ignore it. */
static inline int32_t ts_conv_1x1_s8_get_buffer_size(const ts_conv_params *p)
{
    return p->in_c % 4 == 0 ? 4 * p->in_c : 0;
}

#if TS_KERNELS_REFERENCE
/* Reference builds: model.c's per-op functions call the out-of-line reference kernel. */
TS_ALWAYS_INLINE void ts_conv_1x1_s8_inline(const int8_t *in, const int8_t *w, const int32_t *bias,
                                            const int32_t *mult, const int32_t *shift, const ts_conv_params *p,
                                            int8_t *scratch, int8_t *out)
{
    ts_conv_1x1_s8(in, w, bias, mult, shift, p, scratch, out);
}
#else
/* Optimised builds: the 1x1 path of the convolution body, specialised per op by model.c. */
TS_ALWAYS_INLINE void ts_conv_1x1_s8_inline(const int8_t *in, const int8_t *w, const int32_t *bias,
                                            const int32_t *mult, const int32_t *shift, const ts_conv_params *p,
                                            int8_t *scratch, int8_t *out)
{
    ts_conv_s8_inline(in, w, bias, mult, shift, p, scratch, out);
}
#endif

#endif
