/* Fixed-point helpers shared by every int8 kernel, with TensorFlow Lite's integer rounding semantics.

   Build choice: TS_KERNELS_REFERENCE=1 compiles the portable reference kernels (plain C loops, exact
   rounding everywhere); otherwise the optimised kernels are compiled, using the Arm DSP extension's SIMD
   instructions when the target has it (TS_USE_DSP) and Helium's for the dot products where the target has
   that (TS_USE_MVE). All give the same output bytes. */
#ifndef TS_NN_SUPPORT_H
#define TS_NN_SUPPORT_H

#include <stdint.h>
#include <string.h>

#include "ts_kernels_config.h"
#include "ts_nn_types.h"

#ifndef TS_KERNELS_REFERENCE
#define TS_KERNELS_REFERENCE 0
#endif

#if !TS_KERNELS_REFERENCE && defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define TS_USE_DSP 1
#else
#define TS_USE_DSP 0
#endif

/* Helium (M-profile vector extension, Cortex-M55/M85): the dot products run 16 int8 lanes at a time.
   TS_KERNELS_MVE=0 keeps the DSP path on such a core (for comparison builds). */
#ifndef TS_KERNELS_MVE
#define TS_KERNELS_MVE 1
#endif
#if !TS_KERNELS_REFERENCE && TS_KERNELS_MVE && defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TS_USE_MVE 1
#else
#define TS_USE_MVE 0
#endif

#if defined(__GNUC__)
#define TS_ALWAYS_INLINE static inline __attribute__((always_inline))
/* Per-op functions in model.c stay separate: one huge inlined function is register-starved. */
#define TS_NOINLINE __attribute__((noinline))
#else
#define TS_ALWAYS_INLINE static inline
#define TS_NOINLINE
#endif

static inline int32_t ts_wrapping_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* Saturating rounding doubling high multiply (gemmlowp). For b > 0 (all multipliers here),
   floor((a*b + 2^30) / 2^31) equals gemmlowp's truncating form, and compiles to one SMLAL. */
static inline int32_t ts_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* Rounding (half away from zero) division by 2^exponent. */
static inline int32_t ts_rounding_divide_by_power_of_two(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)((1u << exponent) - 1u);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier: x * multiplier * 2^shift, rounded as TFLite rounds. */
static inline int32_t ts_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    return ts_rounding_divide_by_power_of_two(
        ts_saturating_rounding_doubling_high_mul((int32_t)((uint32_t)x << left), multiplier), right);
}

static inline int32_t ts_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* First and one-past-last filter tap whose input position o + k * d lies in [0, size). */
static inline void ts_filter_window(int32_t o, int32_t d, int32_t k, int32_t size, int32_t *k0, int32_t *k1)
{
    int32_t lo = o < 0 ? (-o + d - 1) / d : 0;
    int32_t hi = size - o <= 0 ? 0 : (size - o + d - 1) / d;
    *k0 = lo;
    *k1 = hi < k ? hi : k;
}

/* Accumulator to int8 output: ts_multiply_by_quantized_multiplier + output offset + clamp, for positive
   multipliers (every per-channel multiplier). */
static inline int8_t ts_requantize(int32_t acc, int32_t mult, int32_t shift, int32_t out_offset, int32_t lo,
                                   int32_t hi)
{
#if TS_KERNELS_REFERENCE
    return (int8_t)ts_clamp(ts_multiply_by_quantized_multiplier(acc, mult, shift) + out_offset, lo, hi);
#else
    /* mult > 0, so the high multiply cannot saturate and needs no INT32_MIN guard. */
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    int32_t x = (int32_t)(((int64_t)(int32_t)((uint32_t)acc << left) * mult + ((int64_t)1 << 30)) >> 31);
    if (right > 0) {
#if TS_EXACT_REQUANT
        x = ts_rounding_divide_by_power_of_two(x, right);
#else
        /* Same result as ts_rounding_divide_by_power_of_two while x + 2^(right-1) cannot overflow; the
           generator proved |acc| < 2^30 for every op of this model (and |x| <= |acc|). */
        x = (x + (int32_t)(1u << (right - 1)) + (x >> 31)) >> right;
#endif
    }
    return (int8_t)ts_clamp(x + out_offset, lo, hi);
#endif
}

/* ts_requantize for ops whose generator proved |acc| < 2^30, no left shift and a right shift r >= 1 on
   every channel, with q = {mult, 2^(r-1) + out_offset * 2^r, r}: the saturating rounding doubling high
   multiply is SMMULR(2 * acc, mult), the rounding term and the output offset ride in its accumulate, and
   the sign of acc stands in for the sign of the product (they differ only where the product rounds to 0,
   which the shift keeps at 0). */
static inline int8_t ts_requantize_folded(int32_t acc, const int32_t *q, int32_t lo, int32_t hi)
{
    int32_t x;
#if TS_USE_DSP
    __asm__("smmlar %0, %1, %2, %3" : "=r"(x) : "r"(acc * 2), "r"(q[0]), "r"(q[1]));
#else
    x = (int32_t)(((int64_t)q[1] * ((int64_t)1 << 32) + (int64_t)(acc * 2) * q[0] + ((int64_t)1 << 31)) >> 32);
#endif
    x = (x + (acc >> 31)) >> q[2];
    return (int8_t)ts_clamp(x, lo, hi);
}

/* Requantize output channel ch of a convolution (per-channel mult/shift or folded triples). */
TS_ALWAYS_INLINE int8_t ts_conv_requantize(int32_t acc, const int32_t *mult, const int32_t *shift, int32_t ch,
                                           const ts_conv_params *p)
{
#if TS_KERNELS_REFERENCE
    if (p->fast_rq) {
        return ts_requantize(acc, mult[3 * ch], -mult[3 * ch + 2], p->out_offset, p->act_min, p->act_max);
    }
#else
    if (p->fast_rq) {
        return ts_requantize_folded(acc, mult + 3 * ch, p->act_min, p->act_max);
    }
#endif
    return ts_requantize(acc, mult[ch], shift[ch], p->out_offset, p->act_min, p->act_max);
}

/* Signed low / high halves of a packed int16 pair. */
static inline int32_t ts_low16(int32_t v)
{
    return (int32_t)((uint32_t)v & 0xFFFFu) - (int32_t)(((uint32_t)v & 0x8000u) << 1);
}

static inline int32_t ts_high16(int32_t v)
{
    return ts_low16((int32_t)((uint32_t)v >> 16));
}

#endif
