/* SOFTMAX int8 (see ts_softmax_s8.h). */
#include "ts_softmax_s8.h"

static int32_t ts_saturating_left_shift(int32_t x, int32_t exponent)
{
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1, Q0.31 in and out. */
static int32_t ts_one_over_one_plus_x(int32_t a)
{
    int64_t sum = (int64_t)a + INT32_MAX;
    int32_t half_den;
    int32_t x;
    int i;
    sum = sum >= 0 ? sum + 1 : sum - 1;
    half_den = (int32_t)(sum / 2);
    x = ts_wrapping_add(1515870810, ts_saturating_rounding_doubling_high_mul(half_den, -1010580540));
    for (i = 0; i < 3; ++i) {
        const int32_t hdx = ts_saturating_rounding_doubling_high_mul(half_den, x);
        const int32_t one_minus = (int32_t)((uint32_t)(1 << 29) - (uint32_t)hdx);
        x = ts_wrapping_add(x, ts_saturating_left_shift(ts_saturating_rounding_doubling_high_mul(x, one_minus), 2));
    }
    return ts_saturating_left_shift(x, 1);
}

static int32_t ts_count_leading_zeros(uint32_t x)
{
#if defined(__GNUC__)
    return x == 0 ? 32 : __builtin_clz(x);
#else
    int32_t n = 0;
    if (x == 0) {
        return 32;
    }
    while ((x & 0x80000000u) == 0) {
        x <<= 1;
        ++n;
    }
    return n;
#endif
}

void ts_softmax_s8(const int8_t *in, int32_t rows, int32_t depth, const int32_t *exp_table, int32_t max_diff,
                   int8_t *out)
{
    int32_t r, c;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = in + r * depth;
        int8_t *y = out + r * depth;
        int32_t max_v = -128;
        int32_t sum = 0;
        int32_t headroom;
        int32_t scale;
        int32_t exponent;
        for (c = 0; c < depth; ++c) {
            if (x[c] > max_v) {
                max_v = x[c];
            }
        }
        for (c = 0; c < depth; ++c) {
            const int32_t d = max_v - x[c];
            if (d <= max_diff) {
                sum = ts_wrapping_add(sum, ts_rounding_divide_by_power_of_two(exp_table[d], 12));
            }
        }
        headroom = ts_count_leading_zeros((uint32_t)sum);
        scale = ts_one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - 0x80000000u));
        exponent = (12 - headroom) + 31 - 8;
        for (c = 0; c < depth; ++c) {
            const int32_t d = max_v - x[c];
            if (d <= max_diff) {
                const int32_t prob = ts_saturating_rounding_doubling_high_mul(scale, exp_table[d]);
                const int32_t v = ts_rounding_divide_by_power_of_two(prob, exponent) - 128;
                y[c] = (int8_t)ts_clamp(v, -128, 127);
            } else {
                y[c] = -128;
            }
        }
    }
}
