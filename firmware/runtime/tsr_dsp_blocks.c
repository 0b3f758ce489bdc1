/* tsr_dsp_blocks.c - float32 DSP blocks mirroring tinystudio/core/dsp (see tsr_dsp_blocks.h). */
#include "tsr_dsp_blocks.h"

#include <math.h>

#define TSR_EPS 1e-10f
#define TSR_TEN_OVER_LN10 4.342945f /* 10 / ln 10 (1e-10 gives exactly -100 dB), as logf.py */
#define TSR_ONE_OVER_LN10 0.4342945f /* float32(1 / ln 10), as logf.py */

static uint32_t bits_of(float x)
{
    union {
        float f;
        uint32_t u;
    } v;
    v.f = x;
    return v.u;
}

static float float_of(uint32_t u)
{
    union {
        float f;
        uint32_t u;
    } v;
    v.u = u;
    return v.f;
}

/* musl's logf (from FreeBSD e_logf.c: Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
   Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and distribute
   this software is freely granted, provided that this notice is preserved.) Inputs below the smallest
   normal float give ln(2^-126); see tinystudio/core/dsp/logf.py. */
float tsr_logf(float x)
{
    const float ln2_hi = 6.9313812256e-01f;
    const float ln2_lo = 9.0580006145e-06f;
    const float lg1 = 0xaaaaaa.0p-24f;
    const float lg2 = 0xccce13.0p-25f;
    const float lg3 = 0x91e9ee.0p-25f;
    const float lg4 = 0xf89e26.0p-26f;
    uint32_t ix = bits_of(x);
    int32_t k;
    float f, s, z, w, t1, t2, r, hfsq, dk;
    if (ix < 0x00800000u || (ix >> 31) != 0u) {
        ix = 0x00800000u;
    } else if (ix >= 0x7f800000u) {
        return x;
    }
    ix += 0x3f800000u - 0x3f3504f3u;
    k = (int32_t)(ix >> 23) - 0x7f;
    f = float_of((ix & 0x007fffffu) + 0x3f3504f3u) - 1.0f;
    s = f / (2.0f + f);
    z = s * s;
    w = z * z;
    t1 = w * (lg2 + w * lg4);
    t2 = z * (lg1 + w * lg3);
    r = t2 + t1;
    hfsq = 0.5f * f * f;
    dk = (float)k;
    return s * (hfsq + r) + dk * ln2_lo - hfsq + f + dk * ln2_hi;
}

/* One radix-4 butterfly on p0..p3 (interleaved complex), the twiddle products b1..b3 already taken. */
#define TSR_RADIX4(p0, p1, p2, p3, x0r, x0i, b1r, b1i, b2r, b2i, b3r, b3i)                                  \
    do {                                                                                                    \
        float s0r = (x0r) + (b1r), s0i = (x0i) + (b1i), d0r = (x0r) - (b1r), d0i = (x0i) - (b1i);           \
        float s1r = (b2r) + (b3r), s1i = (b2i) + (b3i), d1r = (b2r) - (b3r), d1i = (b2i) - (b3i);           \
        (p0)[0] = s0r + s1r;                                                                                \
        (p0)[1] = s0i + s1i;                                                                                \
        (p1)[0] = d0r + d1i;                                                                                \
        (p1)[1] = d0i - d1r;                                                                                \
        (p2)[0] = s0r - s1r;                                                                                \
        (p2)[1] = s0i - s1i;                                                                                \
        (p3)[0] = d0r - d1i;                                                                                \
        (p3)[1] = d0i + d1r;                                                                                \
    } while (0)

void tsr_cfft(uint32_t m, const float *stages, float *z)
{
    float *end = z + 2u * m;
    uint32_t bits = 0;
    uint32_t h = 1u;
    uint32_t t;
    for (t = m; t > 1u; t >>= 1) {
        bits++;
    }
    if (bits & 1u) {
        float *p;
        for (p = z; p < end; p += 4) {
            float ar = p[0], ai = p[1], br = p[2], bi = p[3];
            p[0] = ar + br;
            p[1] = ai + bi;
            p[2] = ar - br;
            p[3] = ai - bi;
        }
        h = 2u;
    }
    for (; h < m; h *= 4u) {
        uint32_t q = 2u * h;  /* floats from one quarter to the next */
        uint32_t span = 4u * q; /* floats per group */
        uint32_t j;
        float *p;
        for (p = z; p < end; p += span) { /* j = 0: u = 1 */
            float *p1 = p + q, *p2 = p1 + q, *p3 = p2 + q;
            TSR_RADIX4(p, p1, p2, p3, p[0], p[1], p1[0], p1[1], p2[0], p2[1], p3[0], p3[1]);
        }
        for (j = 1u; j < h; j++) {
            const float *u = stages + 6u * j;
            float ur = u[0], ui = u[1], u2r = u[2], u2i = u[3], u3r = u[4], u3i = u[5];
            for (p = z + 2u * j; p < end; p += span) {
                float *p1 = p + q, *p2 = p1 + q, *p3 = p2 + q;
                float x1r = p1[0], x1i = p1[1], x2r = p2[0], x2i = p2[1], x3r = p3[0], x3i = p3[1];
                float b1r = u2r * x1r - u2i * x1i, b1i = u2r * x1i + u2i * x1r;
                float b2r = ur * x2r - ui * x2i, b2i = ur * x2i + ui * x2r;
                float b3r = u3r * x3r - u3i * x3i, b3i = u3r * x3i + u3i * x3r;
                TSR_RADIX4(p, p1, p2, p3, p[0], p[1], b1r, b1i, b2r, b2i, b3r, b3i);
            }
        }
        stages += 6u * h;
    }
}

void tsr_rfft_power(const tsr_rfft_t *fft, float *z, float scale, float *power)
{
    uint32_t m = fft->n / 2u;
    uint32_t q = m / 2u;
    float q4 = scale * 0.25f;
    const float *w = fft->split;
    const float *a;
    const float *b;
    uint32_t k;
    tsr_cfft(m, fft->stages, z);
    {
        float s = z[0] + z[1];
        float d = z[0] - z[1];
        float zr = z[2u * q];
        float zi = z[2u * q + 1u];
        power[0] = s * s * scale;
        power[m] = d * d * scale;
        power[q] = (zr * zr + zi * zi) * scale;
    }
    a = z + 2;
    b = z + 2u * (m - 1u);
    for (k = 1u; k < q; k++, a += 2, b -= 2, w += 2) {
        float er = a[0] + b[0], ei = a[1] - b[1], o_r = a[0] - b[0], oi = a[1] + b[1];
        float tr = w[0] * o_r - w[1] * oi;
        float ti = w[0] * oi + w[1] * o_r;
        float yr = er + ti, yi = ei - tr;
        power[k] = (yr * yr + yi * yi) * q4;
        yr = er - ti;
        yi = ei + tr;
        power[m - k] = (yr * yr + yi * yi) * q4;
    }
}

void tsr_dsp_raw(const float *x, uint32_t count, float scale, float *out)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        out[i] = x[i] * scale;
    }
}

/* z[rev[k]] = (v[2k] * win[2k], v[2k+1] * win[2k+1]) for 2k+1 < count, zeros past count (up to n/2 pairs). */
static void pack(const tsr_rfft_t *fft, const float *v, uint32_t count, const float *win, float *z)
{
    const uint16_t *rev = fft->rev;
    uint32_t m = fft->n / 2u;
    uint32_t pairs = count / 2u;
    uint32_t k;
    for (k = 0; k < pairs; k++) {
        float *d = z + 2u * rev[k];
        d[0] = v[2u * k] * win[2u * k];
        d[1] = v[2u * k + 1u] * win[2u * k + 1u];
    }
    if (count & 1u) {
        float *d = z + 2u * rev[k];
        d[0] = v[2u * k] * win[2u * k];
        d[1] = 0.0f;
        k++;
    }
    for (; k < m; k++) {
        float *d = z + 2u * rev[k];
        d[0] = 0.0f;
        d[1] = 0.0f;
    }
}

void tsr_dsp_spectral(const tsr_spectral_t *cfg, const float *x, float *work, float *out)
{
    uint32_t n = cfg->fft->n;
    uint32_t half = n / 2u;
    uint32_t frames = cfg->frames;
    float *d = work;
    float *z = work + frames;
    float *power = z + n;
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
            uint32_t at = s * half;
            uint32_t count = frames - at < n ? frames - at : n;
            pack(cfg->fft, d + at, count, cfg->hann, z);
            tsr_rfft_power(cfg->fft, z, 1.0f, power);
            for (k = 0; k < half; k++) {
                o[5u + k] += power[k + 1u];
            }
        }
        for (k = 0; k < half; k++) {
            float p = o[5u + k] * cfg->norm * cfg->inv_segments;
            o[5u + k] = cfg->log ? tsr_logf(p + TSR_EPS) * TSR_ONE_OVER_LN10 : p;
        }
    }
}

void tsr_mel_energies(const tsr_framer_t *cfg, const float *x, uint32_t f, float *work, float *out)
{
    const tsr_rfft_t *fft = cfg->fft;
    uint32_t m = fft->n / 2u;
    float *z = work;
    float *power = work + fft->n;
    const float *src = x + f * cfg->hop * cfg->axes;
    const float *win = cfg->window;
    const float *wt = cfg->mel_w;
    uint32_t pairs = cfg->frame / 2u;
    uint32_t k;
    uint32_t b;
    if (cfg->axes == 1u && cfg->scale == 1.0f) { /* x * 1 is x: the common case skips the multiply */
        pack(fft, src, cfg->frame, win, z);
    } else {
        const uint16_t *rev = fft->rev;
        uint32_t stride = cfg->axes;
        float scale = cfg->scale;
        for (k = 0; k < pairs; k++) {
            float *d = z + 2u * rev[k];
            d[0] = src[2u * k * stride] * scale * win[2u * k];
            d[1] = src[(2u * k + 1u) * stride] * scale * win[2u * k + 1u];
        }
        if (cfg->frame & 1u) {
            float *d = z + 2u * rev[k];
            d[0] = src[2u * k * stride] * scale * win[2u * k];
            d[1] = 0.0f;
            k++;
        }
        for (; k < m; k++) {
            float *d = z + 2u * rev[k];
            d[0] = 0.0f;
            d[1] = 0.0f;
        }
    }
    tsr_rfft_power(fft, z, cfg->inv_n_fft, power);
    for (b = 0; b < cfg->n_mels; b++) {
        const float *p = power + cfg->mel_start[b];
        uint32_t len = cfg->mel_len[b];
        float e = 0.0f;
        for (k = 0; k < len; k++) {
            e += wt[k] * p[k];
        }
        wt += len;
        out[b] = e;
    }
}

static float db(float energy) { return tsr_logf(energy + TSR_EPS) * TSR_TEN_OVER_LN10; }

void tsr_dsp_mfe(const tsr_framer_t *cfg, float noise_floor_db, const float *x, float *work, float *out)
{
    float *mel = work + cfg->fft->n * 3u / 2u + 1u;
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
    float *mel = work + cfg->fft->n * 3u / 2u + 1u;
    uint32_t f;
    uint32_t j;
    uint32_t m;
    for (f = 0; f < cfg->n_frames; f++) {
        tsr_mel_energies(cfg, x, f, work, mel);
        for (m = 0; m < cfg->n_mels; m++) {
            mel[m] = db(mel[m]);
        }
        for (j = 0; j < n_coeffs; j++) {
            const float *row = dct + j * cfg->n_mels;
            float c = 0.0f;
            for (m = 0; m < cfg->n_mels; m++) {
                c += row[m] * mel[m];
            }
            out[f * n_coeffs + j] = c;
        }
    }
}

void tsr_quantize(const float *f, uint32_t count, float scale, int32_t zero_point, int8_t *q)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        float v = f[i] / scale;
        float frac;
        int32_t iv;
        if (!(v == v)) {
            v = 0.0f;
        } else if (v > 2.0e9f) {
            v = 2.0e9f;
        } else if (v < -2.0e9f) {
            v = -2.0e9f;
        }
        iv = (int32_t)v;           /* toward zero; v - iv is exact (Sterbenz), so this rounds as roundf */
        frac = v - (float)iv;
        if (frac >= 0.5f) {
            iv++;
        } else if (frac <= -0.5f) {
            iv--;
        }
        iv += zero_point;
        q[i] = (int8_t)(iv > 127 ? 127 : (iv < -128 ? -128 : iv));
    }
}
