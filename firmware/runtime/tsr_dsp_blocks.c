/* tsr_dsp_blocks.c - float32 DSP blocks mirroring tinystudio/core/dsp (see tsr_dsp_blocks.h). */
#include "tsr_dsp_blocks.h"

#include <math.h>

#define TSR_EPS 1e-10f

void tsr_fft(const tsr_fft_t *fft, float *re, float *im)
{
    uint32_t n = fft->n;
    uint32_t i;
    uint32_t m;
    for (i = 0; i < n; i++) {
        uint32_t j = fft->rev[i];
        if (i < j) {
            float t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (m = 2; m <= n; m *= 2u) {
        uint32_t half = m / 2u;
        uint32_t step = n / m;
        uint32_t base;
        for (base = 0; base < n; base += m) {
            uint32_t j;
            for (j = 0; j < half; j++) {
                float wr = fft->cos[j * step];
                float wi = -fft->sin[j * step];
                uint32_t a = base + j;
                uint32_t b = a + half;
                float br = re[b];
                float bi = im[b];
                float p1 = wr * br;
                float p2 = wi * bi;
                float p3 = wr * bi;
                float p4 = wi * br;
                float tr = p1 - p2;
                float ti = p3 + p4;
                float ar = re[a];
                float ai = im[a];
                re[a] = ar + tr;
                im[a] = ai + ti;
                re[b] = ar - tr;
                im[b] = ai - ti;
            }
        }
    }
}

void tsr_rfft_power(const tsr_fft_t *fft, float *re, float *im, float *power)
{
    uint32_t k;
    for (k = 0; k < fft->n; k++) {
        im[k] = 0.0f;
    }
    tsr_fft(fft, re, im);
    for (k = 0; k <= fft->n / 2u; k++) {
        float r2 = re[k] * re[k];
        float i2 = im[k] * im[k];
        power[k] = r2 + i2;
    }
}

void tsr_dsp_raw(const float *x, uint32_t count, float scale, float *out)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        out[i] = x[i] * scale;
    }
}

void tsr_dsp_spectral(const tsr_spectral_t *cfg, const float *x, float *work, float *out)
{
    uint32_t n = cfg->fft->n;
    uint32_t half = n / 2u;
    uint32_t frames = cfg->frames;
    float *d = work;
    float *re = work + frames;
    float *im = re + n;
    float *power = im + n;
    uint32_t axis;
    for (axis = 0; axis < cfg->axes; axis++) {
        float x1 = 0.0f, x2 = 0.0f, y1 = 0.0f, y2 = 0.0f;
        float sum = 0.0f, sum_sq = 0.0f, var_sum = 0.0f, m3_sum = 0.0f, m4_sum = 0.0f;
        float mean, var, std, rms, m3, m4, skew = 0.0f, kurt = 0.0f;
        float *o = out + axis * (5u + half);
        uint32_t t;
        uint32_t s;
        uint32_t k;
        for (t = 0; t < frames; t++) {
            float v = x[t * cfg->axes + axis] * cfg->scale;
            if (cfg->filter) {
                float y = cfg->b[0] * v;
                y = y + cfg->b[1] * x1;
                y = y + cfg->b[2] * x2;
                y = y - cfg->a[0] * y1;
                y = y - cfg->a[1] * y2;
                x2 = x1;
                x1 = v;
                y2 = y1;
                y1 = y;
                v = y;
            }
            d[t] = v;
            sum += v;
            sum_sq += v * v;
        }
        mean = sum * cfg->inv_frames;
        for (t = 0; t < frames; t++) {
            float dv = d[t] - mean;
            float d2 = dv * dv;
            d[t] = dv;
            var_sum += d2;
            m3_sum += d2 * dv;
            m4_sum += d2 * d2;
        }
        var = var_sum * cfg->inv_frames;
        std = sqrtf(var);
        rms = sqrtf(sum_sq * cfg->inv_frames);
        m3 = m3_sum * cfg->inv_frames;
        m4 = m4_sum * cfg->inv_frames;
        if (var >= TSR_EPS) {
            skew = m3 / (var * sqrtf(var));
            kurt = m4 / (var * var) - 3.0f;
        }
        o[0] = mean;
        o[1] = rms;
        o[2] = std;
        o[3] = skew;
        o[4] = kurt;
        for (k = 0; k < half; k++) {
            o[5u + k] = 0.0f;
        }
        for (s = 0; s < cfg->segments; s++) {
            for (k = 0; k < n; k++) {
                uint32_t at = s * half + k;
                float v = at < frames ? d[at] : 0.0f;
                re[k] = v * cfg->hann[k];
            }
            tsr_rfft_power(cfg->fft, re, im, power);
            for (k = 0; k < half; k++) {
                o[5u + k] += power[k + 1u];
            }
        }
        for (k = 0; k < half; k++) {
            float p = o[5u + k] * cfg->norm * cfg->inv_segments;
            o[5u + k] = cfg->log ? log10f(p + TSR_EPS) : p;
        }
    }
}

void tsr_mel_energies(const tsr_framer_t *cfg, const float *x, uint32_t f, float *work, float *out)
{
    uint32_t n = cfg->fft->n;
    uint32_t bins = n / 2u + 1u;
    float *re = work;
    float *im = work + n;
    float *power = im + n;
    uint32_t k;
    uint32_t m;
    for (k = 0; k < n; k++) {
        re[k] = 0.0f;
    }
    for (k = 0; k < cfg->frame; k++) {
        float v = x[(f * cfg->hop + k) * cfg->axes] * cfg->scale;
        re[k] = v * cfg->window[k];
    }
    tsr_rfft_power(cfg->fft, re, im, power);
    for (k = 0; k < bins; k++) {
        power[k] = power[k] * cfg->inv_n_fft;
    }
    for (m = 0; m < cfg->n_mels; m++) {
        const float *w = cfg->bank + m * bins;
        float e = 0.0f;
        for (k = 0; k < bins; k++) {
            e += w[k] * power[k];
        }
        out[m] = e;
    }
}

static float db(float energy) { return 10.0f * log10f(energy + TSR_EPS); }

void tsr_dsp_mfe(const tsr_framer_t *cfg, float noise_floor_db, const float *x, float *work, float *out)
{
    uint32_t n = cfg->fft->n;
    float *mel = work + 2u * n + n / 2u + 1u;
    uint32_t f;
    uint32_t m;
    for (f = 0; f < cfg->n_frames; f++) {
        tsr_mel_energies(cfg, x, f, work, mel);
        for (m = 0; m < cfg->n_mels; m++) {
            float v = (db(mel[m]) - noise_floor_db) / -noise_floor_db;
            out[f * cfg->n_mels + m] = v > 0.0f ? v : 0.0f;
        }
    }
}

void tsr_dsp_mfcc(const tsr_framer_t *cfg, const float *dct, uint32_t n_coeffs, const float *x, float *work,
                  float *out)
{
    uint32_t n = cfg->fft->n;
    float *mel = work + 2u * n + n / 2u + 1u;
    uint32_t f;
    uint32_t j;
    uint32_t m;
    for (f = 0; f < cfg->n_frames; f++) {
        tsr_mel_energies(cfg, x, f, work, mel);
        for (m = 0; m < cfg->n_mels; m++) {
            mel[m] = db(mel[m]);
        }
        for (j = 0; j < n_coeffs; j++) {
            float c = 0.0f;
            for (m = 0; m < cfg->n_mels; m++) {
                c += dct[j * cfg->n_mels + m] * mel[m];
            }
            out[f * n_coeffs + j] = c;
        }
    }
}

void tsr_quantize(const float *f, uint32_t count, float scale, int32_t zero_point, int8_t *q)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        float r = roundf(f[i] / scale); /* half away from zero */
        int32_t iv;
        if (!(r == r)) {
            r = 0.0f;
        } else if (r > 2.0e9f) {
            r = 2.0e9f;
        } else if (r < -2.0e9f) {
            r = -2.0e9f;
        }
        iv = (int32_t)r + zero_point;
        q[i] = (int8_t)(iv > 127 ? 127 : (iv < -128 ? -128 : iv));
    }
}
