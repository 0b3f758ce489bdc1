/* Parameter blocks of the int8 kernels. The generator fills them with C99 designated initializers, so
   the field names here are the ones tinystudio/core/codegen/lower.py writes. */
#ifndef TS_NN_TYPES_H
#define TS_NN_TYPES_H

#include <stdint.h>

/* CONV_2D and DEPTHWISE_CONV_2D. */
typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
    int32_t in_offset, out_offset, act_min, act_max;
    int32_t fast_rq; /* 1: mult holds ts_requantize_folded triples per channel and shift is unused */
} ts_conv_params;

/* FULLY_CONNECTED with dense weights. */
typedef struct {
    int32_t batches, depth, units, out_offset, act_min, act_max;
} ts_fc_params;

/* FULLY_CONNECTED with bitmask-sparse weights. */
typedef struct {
    int32_t batches, depth, units, out_offset, act_min, act_max, mask_bytes;
} ts_fc_sparse_params;

/* AVERAGE_POOL_2D and MAX_POOL_2D. */
typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int32_t f_h, f_w, stride_h, stride_w, pad_h, pad_w, act_min, act_max;
} ts_pool_params;

/* MEAN over one contiguous block of axes. */
typedef struct {
    int32_t outer, reduced, inner, in_zp, out_zp, mult, shift;
} ts_mean_params;

/* ADD, SUB and MUL. */
typedef struct {
    int32_t op; /* 0 add, 1 sub, 2 mul */
    int32_t in1_offset, in2_offset; /* used by mul only */
    int32_t out_offset, out_mult, out_shift, act_min, act_max;
    int32_t dims[4], stride1[4], stride2[4]; /* broadcast walk; stride 0 repeats */
} ts_elementwise_params;

/* PAD of up to 4 dimensions. */
typedef struct {
    int32_t in_dims[4], out_dims[4], before[4];
    int32_t value;
} ts_pad_params;

#endif
