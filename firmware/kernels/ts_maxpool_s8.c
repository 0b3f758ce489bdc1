/* MAX_POOL_2D int8 (see ts_maxpool_s8.h).

   Channels are innermost, so each pixel of a window is a run of `channels` bytes: the output pixel starts
   as the window's first pixel and every further pixel is folded in with a per-channel maximum over the whole
   run (with the Arm DSP extension four channels per instruction pair: SSUB8 sets a flag per byte where the
   first operand is not smaller, SEL keeps those bytes). The window's in-bounds part is found once per output
   pixel, so no element is bounds-tested. TFLite starts the maximum at -128 and clamps it to the activation
   range after: an empty window gives act_min, and the clamp pass runs only for a fused activation. */
#include "ts_maxpool_s8.h"

#if TS_USE_DSP
/* Per-byte signed maximum (pick = "%1, %2") or minimum (pick = "%2, %1") of four int8 lanes: one asm block,
   so that nothing can come between the SSUB8 that sets the flags and the SEL that reads them. */
#define TS_SEL_S8X4(pick, a, b, r) __asm__("ssub8 %0, %1, %2\n\tsel %0, " pick : "=&r"(r) : "r"(a), "r"(b) : "cc")
#endif

/* out[c] = max(a[c], b[c]) for c < n (out may be a). */
TS_ALWAYS_INLINE void ts_max_s8_run(const int8_t *a, const int8_t *b, int32_t n, int8_t *out)
{
    int32_t c = 0;
#if TS_USE_DSP
    for (; c + 4 <= n; c += 4) {
        uint32_t va, vb, r;
        memcpy(&va, a + c, 4);
        memcpy(&vb, b + c, 4);
        TS_SEL_S8X4("%1, %2", va, vb, r);
        memcpy(out + c, &r, 4);
    }
#endif
    for (; c < n; ++c) {
        out[c] = a[c] > b[c] ? a[c] : b[c];
    }
}

/* Every byte of out[0..n) clamped to [lo, hi]. */
static void ts_clamp_s8_run(int8_t *out, int32_t n, int32_t lo, int32_t hi)
{
    int32_t c = 0;
#if TS_USE_DSP
    const uint32_t lo4 = (uint32_t)(uint8_t)lo * 0x01010101u;
    const uint32_t hi4 = (uint32_t)(uint8_t)hi * 0x01010101u;
    for (; c + 4 <= n; c += 4) {
        uint32_t v, r;
        memcpy(&v, out + c, 4);
        TS_SEL_S8X4("%1, %2", v, lo4, r);
        TS_SEL_S8X4("%2, %1", r, hi4, v);
        memcpy(out + c, &v, 4);
    }
#endif
    for (; c < n; ++c) {
        out[c] = (int8_t)ts_clamp(out[c], lo, hi);
    }
}

/* out = the per-channel maximum of n >= 0 pixels of `run` bytes, step bytes apart from first (-128 when n is 0). */
TS_ALWAYS_INLINE void ts_max_line_s8(const int8_t *first, int32_t n, int32_t step, int32_t run, int8_t *out)
{
    int32_t k;
    if (n <= 0) {
        memset(out, 0x80, (size_t)run);
    } else if (n == 1) {
        memcpy(out, first, (size_t)run);
    } else {
        ts_max_s8_run(first, first + step, run, out);
        for (k = 2; k < n; ++k) {
            ts_max_s8_run(out, first + k * step, run, out);
        }
    }
}

/* Pooling along one axis (in_w == f_w == 1): `batches` blocks of in_h positions of `channels` bytes. The code
   generator brings pooling along either axis of a 2-D input to this form when the other axis is not pooled. */
static void ts_maxpool_1d_s8(const int8_t *in, const ts_pool_params *p, int8_t *out)
{
    const int32_t run = p->channels, len = p->in_h, f = p->f_h, stride = p->stride_h, pad = p->pad_h;
    const int32_t outer = p->batches, out_len = p->out_h, act_min = p->act_min, act_max = p->act_max;
    const int clamp = act_min > -128 || act_max < 127;
    int32_t b, o;
    for (b = 0; b < outer; ++b, in += len * run) {
        for (o = 0; o < out_len; ++o, out += run) {
            const int32_t i0 = o * stride - pad;
            const int32_t lo = i0 < 0 ? 0 : i0;
            const int32_t hi = i0 + f < len ? i0 + f : len;
            ts_max_line_s8(in + lo * run, hi - lo, run, run, out);
            if (clamp) {
                ts_clamp_s8_run(out, run, act_min, act_max);
            }
        }
    }
}

void ts_maxpool_s8(const int8_t *in, const ts_pool_params *p, int8_t *out)
{
    const int32_t ch = p->channels;
    const int32_t row = p->in_w * ch; /* bytes from one input row to the next */
    const int clamp = p->act_min > -128 || p->act_max < 127;
    int32_t b, oy, ox, y, x;
    if (p->in_w == 1 && p->f_w == 1) {
        ts_maxpool_1d_s8(in, p, out);
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * row;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            const int32_t y0 = iy0 < 0 ? 0 : iy0;
            const int32_t y1 = iy0 + p->f_h < p->in_h ? iy0 + p->f_h : p->in_h;
            for (ox = 0; ox < p->out_w; ++ox, out += ch) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                const int32_t x0 = ix0 < 0 ? 0 : ix0;
                const int32_t x1 = ix0 + p->f_w < p->in_w ? ix0 + p->f_w : p->in_w;
                const int8_t *first = img + y0 * row + x0 * ch;
                ts_max_line_s8(first, y1 > y0 ? x1 - x0 : 0, ch, ch, out); /* the window's first row */
                for (y = 1; y < y1 - y0; ++y) {
                    for (x = 0; x < x1 - x0; ++x) {
                        ts_max_s8_run(out, first + y * row + x * ch, ch, out);
                    }
                }
                if (clamp) {
                    ts_clamp_s8_run(out, ch, p->act_min, p->act_max);
                }
            }
        }
    }
}
