/*
 * tsr_dsp.h - the hook between the raw window the host uploads and the model input.
 * With TSR_DSP_KIND == TSR_DSP_NONE (default) the raw window is the model's int8 input itself;
 * otherwise it is float32 samples (TSR_DSP_RAW_BYTES bytes) that a generated tsr_dsp_config.c turns
 * into float features with the tsr_dsp_blocks.h mirrors, which the runner then quantizes.
 */
#ifndef TSR_DSP_H
#define TSR_DSP_H

#include <stdint.h>

#define TSR_DSP_NONE 0u
#define TSR_DSP_RAW 1u
#define TSR_DSP_SPECTRAL 2u
#define TSR_DSP_MFE 3u
#define TSR_DSP_MFCC 4u
#define TSR_DSP_STATISTICS 5u
#define TSR_DSP_SPECTRAL_STATISTICS 6u /* both blocks' features, spectral first */

#ifndef TSR_DSP_KIND
#define TSR_DSP_KIND TSR_DSP_NONE
#endif

#if TSR_DSP_KIND != TSR_DSP_NONE
/* Features of one float32 raw window (row-major frames x axes); 0 = ok. */
int tsr_dsp_features(const float *raw, float *features);
#endif

#endif /* TSR_DSP_H */
