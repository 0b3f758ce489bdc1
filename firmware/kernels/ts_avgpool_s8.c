/* AVERAGE_POOL_2D int8 (see ts_avgpool_s8.h). */
#include "ts_avgpool_s8.h"

void ts_avgpool_s8(const int8_t *in, const ts_pool_params *p, int8_t *out)
{
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *img = in + b * p->in_h * p->in_w * p->channels;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            const int32_t y0 = iy0 < 0 ? -iy0 : 0;
            const int32_t y1 = (p->in_h - iy0) < p->f_h ? (p->in_h - iy0) : p->f_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                const int32_t x0 = ix0 < 0 ? -ix0 : 0;
                const int32_t x1 = (p->in_w - ix0) < p->f_w ? (p->in_w - ix0) : p->f_w;
                const int32_t count = (y1 - y0) * (x1 - x0);
                for (c = 0; c < p->channels; ++c) {
                    int32_t acc = 0;
                    for (y = y0; y < y1; ++y) {
                        const int8_t *px = img + ((iy0 + y) * p->in_w + ix0) * p->channels + c;
                        for (x = x0; x < x1; ++x) {
                            acc += px[x * p->channels];
                        }
                    }
                    if (count > 0) {
                        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    *out++ = (int8_t)ts_clamp(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}
