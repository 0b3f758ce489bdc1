/*
 * tsr_dsp.h - the hook between the raw window the host uploads and the model input.
 * With TSR_DSP_KIND == TSR_DSP_NONE (default) the raw window is the model's int8 input itself.
 */
#ifndef TSR_DSP_H
#define TSR_DSP_H

#include <stdint.h>

#define TSR_DSP_NONE 0u

#ifndef TSR_DSP_KIND
#define TSR_DSP_KIND TSR_DSP_NONE
#endif

#if TSR_DSP_KIND != TSR_DSP_NONE
/* Turn a float32 raw window (TSR_DSP_RAW_BYTES bytes) into the quantized model input; 0 = ok. */
int tsr_dsp_run(const float *raw, int8_t *model_input);
#endif

#endif /* TSR_DSP_H */
