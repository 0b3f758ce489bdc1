/* tsr_live.c - live mode (see tsr_live.h): sensor -> window -> DSP + model every hop -> frames to the host. */
#include "tsr_live.h"

#include "tsr_dsp.h"
#include "tsr_hal.h"
#include "tsr_protocol.h"
#include "tsr_sim_sensor.h"

#ifndef TSR_COUNTER_PER_US
#define TSR_COUNTER_PER_US 1u /* the host board counts microseconds */
#endif
#define TSR_LIVE_MAX_AXES 64u
#define TSR_LIVE_WAIT_US 1000u /* longest sleep between looks at the link while waiting for a sample's slot */

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

#if TSR_DSP_KIND != TSR_DSP_NONE

typedef struct {
    int active;
    uint8_t seq;
    uint32_t flags;
    uint32_t axes;
    uint32_t frames;     /* window frames */
    uint32_t hop;        /* frames between classifications */
    uint32_t credit;     /* windows still allowed (when limited) */
    int limited;
    uint32_t row;        /* next row of the window to write */
    uint32_t pending;    /* rows read since the last frame sent */
    uint32_t samples;    /* sample frames read since LIVE_START */
    uint32_t windows;    /* windows classified and sent */
    uint32_t late;       /* sample slots skipped because the board fell behind */
    uint32_t step;       /* paced: one sample slot in whole counter units ... */
    uint32_t step_milli; /* ... plus this many thousandths of a unit */
    uint32_t milli;      /* thousandths of a unit carried so far */
    uint32_t behind_max; /* counter units behind schedule before missed slots are skipped: one window */
    uint32_t due;        /* counter value at which the next sample is due (wraps, compared as a difference) */
} tsr_live_t;

static tsr_live_t g_live;

static void copy_floats(float *dst, const float *src, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        dst[i] = src[i];
    }
}

static void send_samples(float *window)
{
    size_t per_frame = (TSR_MAX_PAYLOAD - 4u) / (4u * g_live.axes);
    uint32_t first = g_live.samples - g_live.pending;
    const float *rows = window + (size_t)(g_live.row - g_live.pending) * g_live.axes;
    while (g_live.pending > 0u) {
        uint32_t n = g_live.pending < per_frame ? g_live.pending : (uint32_t)per_frame;
        uint8_t *p = put_u32(tsr_runner_tx_payload(), first);
        const uint8_t *src = (const uint8_t *)rows;
        size_t bytes = (size_t)n * g_live.axes * 4u;
        size_t i;
        for (i = 0; i < bytes; i++) {
            p[i] = src[i];
        }
        tsr_runner_send(TSR_MSG_LIVE_SAMPLES, g_live.seq, 4u + bytes);
        rows += (size_t)n * g_live.axes;
        first += n;
        g_live.pending -= n;
    }
}

static void classify(float *window)
{
    uint32_t dsp = 0;
    uint32_t nn = 0;
    size_t out_bytes = 0;
    const int8_t *out;
    int status;
    uint8_t *p;
    size_t i;
    size_t top = 0;
    send_samples(window);
    status = tsr_runner_infer(&dsp, &nn);
    out = tsr_runner_output(&out_bytes);
    if (out_bytes > TSR_MAX_PAYLOAD - 32u) {
        out_bytes = TSR_MAX_PAYLOAD - 32u;
    }
    for (i = 1; i < out_bytes; i++) {
        if (out[i] > out[top]) {
            top = i;
        }
    }
    p = tsr_runner_tx_payload();
    p = put_u32(p, g_live.windows);
    p = put_u32(p, g_live.samples);
    p = put_u32(p, (uint32_t)(int32_t)status);
    p = put_u32(p, dsp);
    p = put_u32(p, nn);
    p = put_u32(p, g_live.late);
    p[0] = (uint8_t)top;
    p[1] = 0u; /* int8 scores */
    p[2] = (uint8_t)out_bytes;
    p[3] = (uint8_t)(out_bytes >> 8);
    for (i = 0; i < out_bytes; i++) {
        p[4u + i] = (uint8_t)out[i];
    }
    tsr_runner_send(TSR_MSG_LIVE_WINDOW, g_live.seq, 28u + out_bytes);
    g_live.windows++;
    if (g_live.limited) {
        g_live.credit--;
    }
}

/* Read one sensor frame into the window; classify when a hop is complete. */
static void read_sample(void)
{
    size_t bytes = 0;
    float *window = tsr_runner_raw_window(&bytes);
    float values[TSR_LIVE_MAX_AXES];
    uint32_t got = tsr_hal_sensor_read(values, g_live.axes);
    uint32_t a;
    float *row = window + (size_t)g_live.row * g_live.axes;
    for (a = 0; a < g_live.axes; a++) {
        row[a] = a < got ? values[a] : 0.0f; /* a sensor with fewer axes than the model: the rest are zero */
    }
    g_live.row++;
    g_live.pending++;
    g_live.samples++;
    if (g_live.row == g_live.frames) {
        classify(window);
        copy_floats(window, window + (size_t)g_live.hop * g_live.axes,
                    (size_t)(g_live.frames - g_live.hop) * g_live.axes);
        g_live.row = g_live.frames - g_live.hop;
    }
}

/* One step of live mode between looks at the link: read a sample when its slot has come. */
static void live_step(void)
{
    uint32_t now;
    if (g_live.limited && g_live.credit == 0u) {
        tsr_hal_delay_us(200u); /* wait for a grant without spinning a host board's CPU */
        return;
    }
    if (!(g_live.flags & TSR_LIVE_PACED)) {
        read_sample();
        return;
    }
    now = tsr_hal_counter();
    if ((int32_t)(now - g_live.due) < 0) {
        uint32_t wait_us = (g_live.due - now) / TSR_COUNTER_PER_US;
        if (wait_us > 0u) {
            tsr_hal_delay_us(wait_us < TSR_LIVE_WAIT_US ? wait_us : TSR_LIVE_WAIT_US);
        }
        return;
    }
    if (now - g_live.due > g_live.behind_max) {
        /* far behind (the link or the model is slower than the sensor): skip the missed slots */
        g_live.late += (now - g_live.due) / (g_live.step != 0u ? g_live.step : 1u);
        g_live.due = now;
    }
    g_live.due += g_live.step;
    g_live.milli += g_live.step_milli;
    if (g_live.milli >= 1000u) {
        g_live.due++;
        g_live.milli -= 1000u;
    }
    read_sample();
}

static void start(uint8_t seq, const uint8_t *payload, size_t len)
{
    size_t bytes = 0;
    uint32_t tape_axes = 0;
    uint32_t tape_frames = tsr_sim_sensor_tape(&tape_axes);
    uint32_t hop;
    uint32_t interval_ns;
    uint32_t axes;
    uint8_t *p;
    (void)tsr_runner_raw_window(&bytes);
    if (len != 15u) {
        tsr_runner_error(seq, TSR_ERR_BAD_PAYLOAD, "LIVE_START takes hop, interval, credit, axes and flags");
        return;
    }
    hop = get_u32(payload);
    interval_ns = get_u32(payload + 4);
    axes = (uint32_t)payload[12] | ((uint32_t)payload[13] << 8);
    if (axes == 0u || axes > TSR_LIVE_MAX_AXES || 4u * axes > TSR_MAX_PAYLOAD - 4u || bytes % (4u * axes) != 0u) {
        tsr_runner_error(seq, TSR_ERR_BAD_PAYLOAD, "LIVE_START axes do not divide the model's window");
        return;
    }
    if (hop == 0u || hop > bytes / (4u * axes) || ((payload[14] & TSR_LIVE_PACED) && interval_ns == 0u)) {
        tsr_runner_error(seq, TSR_ERR_BAD_PAYLOAD, "LIVE_START hop or interval out of range");
        return;
    }
    g_live.seq = seq;
    g_live.flags = payload[14];
    g_live.axes = axes;
    g_live.frames = (uint32_t)(bytes / (4u * axes));
    g_live.hop = hop;
    g_live.credit = get_u32(payload + 8);
    g_live.limited = g_live.credit != 0u;
    g_live.row = 0;
    g_live.pending = 0;
    g_live.samples = 0;
    g_live.windows = 0;
    g_live.late = 0;
    /* interval_ns * units per us / 1000 as whole units and thousandths, in 32 bits (no 64-bit division) */
    g_live.step = (interval_ns / 1000u) * TSR_COUNTER_PER_US + (interval_ns % 1000u) * TSR_COUNTER_PER_US / 1000u;
    g_live.step_milli = (interval_ns % 1000u) * TSR_COUNTER_PER_US % 1000u;
    g_live.milli = 0;
    g_live.behind_max = g_live.step < 0x7FFFFFFFu / g_live.frames ? g_live.step * g_live.frames : 0x7FFFFFFFu;
    g_live.due = tsr_hal_counter();
    p = tsr_runner_tx_payload();
    p = put_u32(p, g_live.frames);
    p = put_u32(p, axes);
    p = put_u32(p, hop);
    p = put_u32(p, tape_frames);
    put_u32(p, tape_axes);
    tsr_runner_send(TSR_MSG_LIVE_START | TSR_MSG_RESPONSE, seq, 20u);
    g_live.active = 1;
}

static void control(uint8_t seq, const uint8_t *payload, size_t len)
{
    uint8_t *p;
    if (len != 5u || payload[0] > TSR_LIVE_GRANT) {
        tsr_runner_error(seq, TSR_ERR_BAD_PAYLOAD, "LIVE_CONTROL takes an op and a window count");
        return;
    }
    if (payload[0] == TSR_LIVE_STOP) {
        if (g_live.active) {
            /* the rows read since the last window go out before the answer, so the count it gives was sent */
            size_t bytes = 0;
            send_samples(tsr_runner_raw_window(&bytes));
        }
        g_live.active = 0;
    } else if (g_live.limited) {
        g_live.credit += get_u32(payload + 1);
    }
    p = tsr_runner_tx_payload();
    p = put_u32(p, g_live.windows);
    p = put_u32(p, g_live.samples);
    p = put_u32(p, g_live.credit);
    p[0] = (uint8_t)g_live.active;
    tsr_runner_send(TSR_MSG_LIVE_CONTROL | TSR_MSG_RESPONSE, seq, 13u);
}

void tsr_live_request(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len)
{
    if (type == TSR_MSG_LIVE_START) {
        start(seq, payload, len);
    } else {
        control(seq, payload, len);
    }
}

int tsr_live_getc(void)
{
    for (;;) {
        int c = tsr_hal_uart_poll();
        if (c >= 0) {
            return c;
        }
        if (!g_live.active) {
            return tsr_hal_uart_getc();
        }
        live_step();
    }
}

#else /* a firmware whose host computes the features: its raw window is the model input, not sensor samples */

void tsr_live_request(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len)
{
    (void)type;
    (void)payload;
    (void)len;
    (void)put_u32;
    (void)get_u32;
    tsr_runner_error(seq, TSR_ERR_BAD_PAYLOAD, "live mode needs the DSP block on the board");
}

int tsr_live_getc(void) { return tsr_hal_uart_getc(); }

#endif
