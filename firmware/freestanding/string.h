/*
 * string.h - the few string functions the firmware uses, for the zig (clang) build, which has no libc.
 * Calls go through the compiler builtins so that small fixed-size copies stay inline (a freestanding
 * clang would otherwise call memcpy even for 4 bytes); the out-of-line memcpy, memmove and memset come
 * from zig's compiler_rt. The gcc build uses newlib's header instead of this one.
 */
#ifndef TSR_FREESTANDING_STRING_H
#define TSR_FREESTANDING_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#define memcpy(dst, src, n) __builtin_memcpy((dst), (src), (n))
#define memmove(dst, src, n) __builtin_memmove((dst), (src), (n))
#define memset(dst, c, n) __builtin_memset((dst), (c), (n))

#endif
