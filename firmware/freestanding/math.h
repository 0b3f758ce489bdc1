/*
 * math.h - the three float functions the firmware's DSP blocks use, for the zig (clang) build, which
 * has no libc. sqrtf is the FPU's VSQRT (correctly rounded); roundf and log10f are in tsr_libm.c.
 * The gcc build uses newlib's header instead of this one.
 */
#ifndef TSR_FREESTANDING_MATH_H
#define TSR_FREESTANDING_MATH_H

float sqrtf(float x);
float roundf(float x);
float log10f(float x);

#define sqrtf(x) __builtin_sqrtf(x)

#endif
