/*
 * tsr_dsp_blocks.h - float32 C mirrors of the Python DSP blocks (tinystudio/core/dsp): raw scaling, a
 * radix-4 real-input FFT, spectral statistics with Welch band powers, window statistics (mean, std, min, max,
 * percentiles), mel energies from a sparse filterbank, MFE and MFCC, plus the int8 quantization of features.
 * Tables (bit reversal, twiddles, windows, filters, DCT, percentile positions) are computed by the Python side
 * and compiled in, and every float32 step runs in the order the Python
 * block documents (sums left to right, no fused multiply-add, the same logf), so the board's features
 * match the host's. On cores with a single-precision FPU (M4F, M7, M33, M55) the hot loops (windowing with the
 * FFT's first stage, the radix-4 stages, the split step, the mel filterbank, the DCT) run in inline assembly
 * that performs the same float32 operations with multi-register loads and stores; other cores run the C.
 * The spectral block's statistics passes run in assembly on those cores too, and its default FFT length (16)
 * has a fused per-segment loop of its own (windowing, FFT, split step and running sum in registers; its
 * windowing in assembly on those cores).
 */
#ifndef TSR_DSP_BLOCKS_H
#define TSR_DSP_BLOCKS_H

#include <stdint.h>

typedef struct {
    uint32_t n;            /* real length N, a power of two of at least 4; the complex FFT has N/2 points */
    const uint16_t *rev;   /* bit reversal of N/2 indices */
    const float *stages;   /* radix-4 twiddles, stage after stage: per j < h, u, u^2, u^3 (re, im) */
    const float *split;    /* (cos, -sin)(2*pi*k/N) for k = 1 .. N/4 - 1 */
} tsr_rfft_t;

/* Natural logarithm in float32 steps (mirrored by tinystudio/core/dsp/logf.py). */
float tsr_logf(float x);

/* In-place complex FFT of m points, interleaved (re, im), bit-reversed input, natural-order output. */
void tsr_cfft(uint32_t m, const float *stages, float *z);
/* power[k] = 4 * |X_k|^2 for k = 0..N/2 of the real signal packed in z (z[rev[n]] = x[2n] + i x[2n+1]); the
   factor 4 (the split step's 2X squared) is a power of two, so callers fold it into their constants and get
   the same bits as the host's |X_k|^2 times theirs. z is overwritten. */
void tsr_rfft_power4(const tsr_rfft_t *fft, float *z, float *power);

/* out[i] = x[i] * scale. */
void tsr_dsp_raw(const float *x, uint32_t count, float scale, float *out);

typedef struct {
    uint32_t frames;
    uint32_t axes;
    float scale;
    int filter;      /* 0 none, 1 biquad b/a below */
    float b[3];      /* b0, b1, b2 */
    float a[2];      /* a1, a2 */
    float inv_frames; /* float32(1/frames) */
    const tsr_rfft_t *fft;
    const float *hann; /* periodic Hann window of fft->n */
    float norm4;       /* float32(1 / sum(hann^2)) / 4 (power4 is 4 |X|^2) */
    float inv_segments;
    uint32_t segments;
    int log;
    uint32_t batch;    /* segments that go through the FFT together (1 .. segments) */
} tsr_spectral_t;

/* work: frames + fft->n * batch floats. out: axes * (5 + n/2) floats. */
void tsr_dsp_spectral(const tsr_spectral_t *cfg, const float *x, float *work, float *out);

typedef struct {
    uint32_t frames;
    uint32_t axes;
    float scale;
    int filter;           /* 0 none, 1 biquad b/a below */
    float b[3];           /* b0, b1, b2 */
    float a[2];           /* a1, a2 */
    float inv_frames;     /* float32(1/frames) */
    uint32_t taps;        /* percentiles per axis: 0 (min and max by comparison) or the count of the arrays below */
    const uint32_t *lo;   /* per percentile: i, the sorted index at or below its position */
    const uint32_t *hi;   /* j = min(i + 1, frames - 1) */
    const float *frac;    /* f = float32(position - i) */
} tsr_statistics_t;

/* Per axis [mean, std, min, max, percentiles...] (see tinystudio/core/dsp/statistics.py); the percentiles by
   a merge sort of the axis in work. work: 2 * frames floats (frames without percentiles). out: axes * (4 + taps)
   floats. */
void tsr_dsp_statistics(const tsr_statistics_t *cfg, const float *x, float *work, float *out);

typedef struct {
    uint32_t axes;
    uint32_t frame;
    uint32_t hop;
    uint32_t n_frames;
    uint32_t n_mels;
    float scale;
    const float *window;       /* periodic Hann of `frame` samples */
    const uint16_t *mel_start; /* first FFT bin of each mel filter */
    const uint16_t *mel_len;   /* number of bins of each filter (its weights follow each other in mel_w) */
    const float *mel_w;        /* the filters' nonzero span of weights / (4 n_fft), filter after filter */
    const tsr_rfft_t *fft;
} tsr_framer_t;

/* Mel energies of frame f of axis 0: out[n_mels]. work: n_fft * 3 / 2 + 1 floats. */
void tsr_mel_energies(const tsr_framer_t *cfg, const float *x, uint32_t f, float *work, float *out);
/* MFE: out[n_frames * n_mels]. work: n_fft * 3 / 2 + 1 + n_mels floats. */
void tsr_dsp_mfe(const tsr_framer_t *cfg, float noise_floor_db, const float *x, float *work, float *out);
/* MFCC: out[n_frames * n_coeffs] with the DCT stored transposed, dct_t[m * n_coeffs + j] = D[j, m] (a mel's
   column of every coefficient together). work as for MFE. */
void tsr_dsp_mfcc(const tsr_framer_t *cfg, const float *dct_t, uint32_t n_coeffs, const float *x, float *work,
                  float *out);

/* q = clamp(round_half_away(f / scale) + zero_point, -128, 127), as TFLite's QUANTIZE. */
void tsr_quantize(const float *f, uint32_t count, float scale, int32_t zero_point, int8_t *q);
/* The same after standardising each feature in float32: z = (f[i] - mean[c]) / std[c], c = i % channels
   (channels >= 1), in that order, as TinyStudio's host reference does (core/input_standardisation.py). */
void tsr_standardise_quantize(const float *f, uint32_t count, const float *mean, const float *std,
                              uint32_t channels, float scale, int32_t zero_point, int8_t *q);

#endif /* TSR_DSP_BLOCKS_H */
