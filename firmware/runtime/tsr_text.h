/* tsr_text.h - tiny number formatting for the sensor text lines (no printf in the firmware). */
#ifndef TSR_TEXT_H
#define TSR_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Write value with `decimals` digits after the point (0..6) into out; return chars written.
 * out needs room for 24 chars. Non-finite values are written as "nan". */
size_t tsr_format_float(float value, unsigned decimals, char *out);
/* Write an unsigned decimal into out (room for 10 chars); return chars written. */
size_t tsr_format_u32(uint32_t value, char *out);

#endif /* TSR_TEXT_H */
