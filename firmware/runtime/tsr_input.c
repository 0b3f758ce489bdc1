/*
 * tsr_input.c - the session's sample format and the conversion of received window bytes (tsr_input.h).
 */
#include "tsr_input.h"

#include "tsr_protocol.h"

static uint32_t g_format = TSR_FORMAT_RAW;
static float g_scale; /* set with the format: zero-initialised, so the image has no .data of its own */
static float g_offset;

uint32_t tsr_input_caps(void)
{
#if TSR_DSP_KIND != TSR_DSP_NONE
    return TSR_CAP_INPUT_I16;
#elif !TS_MODEL_INPUT_F32
    return TSR_CAP_INPUT_I8;
#else
    return 0u;
#endif
}

int tsr_input_set_format(uint32_t format, float scale, float offset)
{
    if (format == TSR_FORMAT_I16 && !(tsr_input_caps() & TSR_CAP_INPUT_I16)) {
        return -1;
    }
    if (format == TSR_FORMAT_I8 && !(tsr_input_caps() & TSR_CAP_INPUT_I8)) {
        return -1;
    }
    if (format > TSR_FORMAT_I8) {
        return -1;
    }
    g_format = format;
    g_scale = scale;
    g_offset = offset;
    return 0;
}

uint32_t tsr_input_format(void) { return g_format; }

size_t tsr_input_window_bytes(void)
{
    return g_format == TSR_FORMAT_I16 ? (size_t)TSR_RAW_BYTES / 2u : (size_t)TSR_RAW_BYTES;
}

int tsr_input_write(uint8_t *raw, size_t offset, const uint8_t *src, size_t n)
{
    size_t total = tsr_input_window_bytes();
    size_t i;
    if (offset > total || n > total - offset) {
        return -1;
    }
    if (g_format != TSR_FORMAT_I16) {
        for (i = 0; i < n; i++) {
            raw[offset + i] = src[i];
        }
        return 0;
    }
    if ((offset | n) & 1u) {
        return -1;
    }
    for (i = 0; i < n; i += 2u) {
        int16_t v = (int16_t)(uint16_t)((uint32_t)src[i] | ((uint32_t)src[i + 1u] << 8));
        float sample = (float)v * g_scale + g_offset;
        uint8_t *dst = raw + 2u * (offset + i);
        union {
            float f;
            uint8_t b[4];
        } bits;
        bits.f = sample;
        dst[0] = bits.b[0];
        dst[1] = bits.b[1];
        dst[2] = bits.b[2];
        dst[3] = bits.b[3];
    }
    return 0;
}
