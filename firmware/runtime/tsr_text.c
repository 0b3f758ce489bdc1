/* tsr_text.c - decimal formatting of floats and integers for sensor lines (see tsr_text.h). */
#include "tsr_text.h"

size_t tsr_format_u32(uint32_t value, char *out)
{
    char tmp[10];
    size_t n = 0;
    size_t i;
    do {
        tmp[n++] = (char)('0' + (value % 10u));
        value /= 10u;
    } while (value != 0u && n < sizeof(tmp));
    for (i = 0; i < n; i++) {
        out[i] = tmp[n - 1u - i];
    }
    return n;
}

size_t tsr_format_float(float value, unsigned decimals, char *out)
{
    static const uint32_t scales[7] = {1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u};
    size_t n = 0;
    uint32_t scale;
    uint32_t whole;
    uint32_t frac;
    float mag;
    if (decimals > 6u) {
        decimals = 6u;
    }
    if (!(value == value) || value > 4.0e9f || value < -4.0e9f) {
        out[0] = 'n';
        out[1] = 'a';
        out[2] = 'n';
        return 3;
    }
    scale = scales[decimals];
    mag = value < 0.0f ? -value : value;
    whole = (uint32_t)mag;
    frac = (uint32_t)((mag - (float)whole) * (float)scale + 0.5f);
    if (frac >= scale) {
        whole += 1u;
        frac -= scale;
    }
    if (value < 0.0f && (whole != 0u || frac != 0u)) {
        out[n++] = '-';
    }
    n += tsr_format_u32(whole, out + n);
    if (decimals > 0u) {
        char digits[10];
        size_t len = tsr_format_u32(frac, digits);
        size_t i;
        out[n++] = '.';
        for (i = len; i < decimals; i++) {
            out[n++] = '0';
        }
        for (i = 0; i < len; i++) {
            out[n++] = digits[i];
        }
    }
    return n;
}
