/*
 * tsr_dsp_blocks.h - float32 C mirrors of the Python DSP blocks (tinystudio/core/dsp): raw scaling,
 * radix-2 FFT, spectral statistics with Welch band powers, mel energies, MFE and MFCC, plus the int8
 * quantization of features. Tables (twiddles, windows, filterbanks, DCT) are computed by the Python
 * side and compiled in, so both sides use identical float32 constants; sums run left to right
 * (numpy uses pairwise sums), so results agree within a small tolerance, not bit for bit.
 */
#ifndef TSR_DSP_BLOCKS_H
#define TSR_DSP_BLOCKS_H

#include <stdint.h>

typedef struct {
    uint32_t n;          /* power of two */
    const uint16_t *rev; /* bit-reversal permutation, n entries */
    const float *cos;    /* cos(2*pi*t/n), t < n/2 */
    const float *sin;    /* sin(2*pi*t/n), t < n/2 */
} tsr_fft_t;

/* In-place complex FFT of (re, im), decimation in time, no fused multiply-add. */
void tsr_fft(const tsr_fft_t *fft, float *re, float *im);
/* power[k] = |FFT(re)_k|^2 for k = 0..n/2 of a real signal in re (re and im are overwritten). */
void tsr_rfft_power(const tsr_fft_t *fft, float *re, float *im, float *power);

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
    const tsr_fft_t *fft;
    const float *hann; /* periodic Hann window of fft->n */
    float norm;        /* float32(1 / sum(hann^2)) */
    float inv_segments;
    uint32_t segments;
    int log;
} tsr_spectral_t;

/* work: frames + fft->n * 3 floats. out: axes * (5 + n/2) floats. */
void tsr_dsp_spectral(const tsr_spectral_t *cfg, const float *x, float *work, float *out);

typedef struct {
    uint32_t axes;
    uint32_t frame;
    uint32_t hop;
    uint32_t n_frames;
    uint32_t n_mels;
    float scale;
    float inv_n_fft; /* float32(1/n_fft) */
    const float *window; /* periodic Hann of `frame` samples */
    const float *bank;   /* n_mels x (n_fft/2 + 1) */
    const tsr_fft_t *fft;
} tsr_framer_t;

/* Mel energies of frame f of axis 0: out[n_mels]. work: 2 * n_fft + n_fft/2 + 1 floats. */
void tsr_mel_energies(const tsr_framer_t *cfg, const float *x, uint32_t f, float *work, float *out);
/* MFE: out[n_frames * n_mels]. work: 2 * n_fft + n_fft/2 + 1 + n_mels floats. */
void tsr_dsp_mfe(const tsr_framer_t *cfg, float noise_floor_db, const float *x, float *work, float *out);
/* MFCC: out[n_frames * n_coeffs] with dct (n_coeffs x n_mels). work as for MFE. */
void tsr_dsp_mfcc(const tsr_framer_t *cfg, const float *dct, uint32_t n_coeffs, const float *x, float *work,
                  float *out);

/* q = clamp(round_half_away(f / scale) + zero_point, -128, 127), as TFLite's QUANTIZE. */
void tsr_quantize(const float *f, uint32_t count, float scale, int32_t zero_point, int8_t *q);

#endif /* TSR_DSP_BLOCKS_H */
