/*
 * tsr_input.h - how test windows travel to the board: the session's sample format (FORMAT message) and
 * the conversion of received bytes into the raw window the DSP block or the model takes.
 *
 * The raw window is float32 samples when the board runs a DSP block, else the model's input bytes. An
 * int16 window (DSP firmware) is half the bytes of its float32 samples: each sample becomes
 * (float)value * scale + offset, computed in float32 exactly as the host checks it, so the DSP sees the
 * very floats it would have received.
 */
#ifndef TSR_INPUT_H
#define TSR_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "tsr_dsp.h"

/* A model taking float32 features (TS_MODEL_INPUT_F32, tree models) gets the DSP output as it is;
   TS_MODEL_INPUT_COUNT is its number of input values (int8 models: one byte each). */
#ifndef TS_MODEL_INPUT_F32
#define TS_MODEL_INPUT_F32 0
#endif
#ifndef TS_MODEL_INPUT_COUNT
#define TS_MODEL_INPUT_COUNT TS_MODEL_INPUT_BYTES
#endif

/* Raw window: the model's input, or float32 samples for a DSP block. */
#if TSR_DSP_KIND == TSR_DSP_NONE
#define TSR_RAW_BYTES TS_MODEL_INPUT_BYTES
#else
#define TSR_RAW_BYTES TSR_DSP_RAW_BYTES
#endif

/* The TSR_CAP_INPUT_* bits this firmware supports. */
uint32_t tsr_input_caps(void);
/* Choose the sample format (TSR_FORMAT_*) of later windows; 0, or -1 when this firmware lacks it. */
int tsr_input_set_format(uint32_t format, float scale, float offset);
/* The current format and the bytes of one window in it. */
uint32_t tsr_input_format(void);
size_t tsr_input_window_bytes(void);
/* Convert n bytes at byte offset of a window in the current format into the raw window; 0, or -1 when
   they reach past the window or split a sample. */
int tsr_input_write(uint8_t *raw, size_t offset, const uint8_t *src, size_t n);

#endif /* TSR_INPUT_H */
