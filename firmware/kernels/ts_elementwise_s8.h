/* ADD, SUB and MUL int8 with TFLite's rescaling, optionally broadcast. No scratch.

   n > 0: same shapes, a flat loop of n elements; n == 0: walk p->dims with the broadcast strides. */
#ifndef TS_ELEMENTWISE_S8_H
#define TS_ELEMENTWISE_S8_H

#include <stdint.h>

#include "ts_nn_support.h"

/* ADD (p->op 0) or SUB (p->op 1): t1/t2[x + 128] hold each input's rescaled value (TFLite's shifted,
   multiplied input), so only the output rescale runs per element. */
void ts_elementwise_add_s8(const int8_t *a, const int8_t *b, int32_t n, const int32_t *t1, const int32_t *t2,
                           const ts_elementwise_params *p, int8_t *out);

/* MUL: (a + in1_offset) * (b + in2_offset), rescaled to the output. */
void ts_elementwise_mul_s8(const int8_t *a, const int8_t *b, int32_t n, const ts_elementwise_params *p,
                           int8_t *out);

#endif
