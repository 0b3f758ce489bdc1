/*
 * tsr_runner.c - the request/response loop of the runner protocol on top of the HAL and the
 * generated model (model.h). No dynamic memory: every buffer below is static and sized at compile
 * time from TSR_MAX_PAYLOAD and the model's macros.
 */
#include "tsr_runner.h"

#include "model.h"
#include "tsr_dsp.h"
#include "tsr_dsp_blocks.h"
#include "tsr_bulk.h"
#include "tsr_hal.h"
#include "tsr_profile.h"
#include "tsr_live.h"
#include "tsr_input.h"
#include "tsr_protocol.h"
#include "tsr_text.h"

#ifdef TSR_COLLECT_INTERVAL_US
#include "tsr_collector.h" /* the data-collection firmware: firmware/collector is its model folder */
#endif

#define TSR_SENSOR_MAX_AXES 16u
#define TSR_STREAM_LINE_MAX (TSR_SENSOR_MAX_AXES * 26u + 2u)

/* Capabilities a build may withhold, to behave as an older firmware without them (TSR_CAP_* bits). */
#ifndef TSR_CAPS_WITHHELD
#define TSR_CAPS_WITHHELD 0u
#endif

static uint32_t g_raw_words[(TSR_RAW_BYTES + 3u) / 4u];
#if TSR_DSP_KIND != TSR_DSP_NONE
#if !TS_MODEL_INPUT_F32
static uint32_t g_model_in_words[(TS_MODEL_INPUT_BYTES + 3u) / 4u];
#endif
static float g_features[TS_MODEL_INPUT_COUNT];
#endif
static uint32_t g_model_out_words[(TS_MODEL_OUTPUT_BYTES + 3u) / 4u];

static uint8_t g_rx[TSR_MAX_ENCODED];
static size_t g_rx_len;
static int g_rx_overflow;
static uint8_t g_frame[TSR_MAX_FRAME];
static uint8_t g_tx_raw[TSR_MAX_FRAME];
static uint8_t g_tx_enc[TSR_MAX_ENCODED + 1u];

#ifdef TS_MODEL_PROFILE_OPS
static uint32_t g_last_nn_count; /* of the last inference, for PROFILE of the last inference */
#endif

static const uint32_t g_in_shape[] = TS_MODEL_INPUT_SHAPE;
static const uint32_t g_out_shape[] = TS_MODEL_OUTPUT_SHAPE;

static uint8_t *raw_bytes(void) { return (uint8_t *)g_raw_words; }
static int8_t *model_output(void) { return (int8_t *)g_model_out_words; }

static void copy_bytes(uint8_t *dst, const uint8_t *src, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        dst[i] = src[i];
    }
}

static uint8_t *put_u8(uint8_t *p, uint32_t v)
{
    *p = (uint8_t)v;
    return p + 1;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static uint8_t *put_f32(uint8_t *p, float v)
{
    union {
        float f;
        uint32_t u;
    } bits;
    bits.f = v;
    return put_u32(p, bits.u);
}

static uint8_t *put_str(uint8_t *p, const char *s)
{
    uint8_t n = 0;
    while (s[n] != '\0' && n < 64u) {
        p[1u + n] = (uint8_t)s[n];
        n++;
    }
    p[0] = n;
    return p + 1u + n;
}

static uint32_t get_u16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Payload area of the transmit buffer: handlers build their answer in place. */
static uint8_t *tx_payload(void) { return g_tx_raw + TSR_HEADER_BYTES; }

static void send_frame(uint8_t type, uint8_t seq, size_t payload_len)
{
    size_t raw_len = TSR_HEADER_BYTES + payload_len;
    uint16_t crc;
    size_t enc_len;
    g_tx_raw[0] = type;
    g_tx_raw[1] = seq;
    g_tx_raw[2] = (uint8_t)payload_len;
    g_tx_raw[3] = (uint8_t)(payload_len >> 8);
    crc = tsr_crc16(g_tx_raw, raw_len, 0xFFFFu);
    g_tx_raw[raw_len] = (uint8_t)crc;
    g_tx_raw[raw_len + 1u] = (uint8_t)(crc >> 8);
    enc_len = tsr_cobs_encode(g_tx_raw, raw_len + TSR_CRC_BYTES, g_tx_enc);
    g_tx_enc[enc_len] = 0;
    tsr_hal_uart_write(g_tx_enc, enc_len + 1u);
}

static void send_error(uint8_t seq, uint8_t code, const char *message)
{
    uint8_t *p = tx_payload();
    size_t n = 0;
    p[0] = code;
    while (message[n] != '\0' && n < 120u) {
        p[1u + n] = (uint8_t)message[n];
        n++;
    }
    send_frame(TSR_MSG_ERROR, seq, 1u + n);
}

/* Run DSP (if any) and the model on the raw window; return the model status. */
static int run_once(uint32_t *dsp_count, uint32_t *nn_count)
{
    uint32_t t0;
    uint32_t t1;
    uint32_t t2;
    int status;
    const int8_t *model_in;
    t0 = tsr_hal_counter();
#if TSR_DSP_KIND == TSR_DSP_NONE
    model_in = (const int8_t *)g_raw_words;
    t1 = t0;
#else
    status = tsr_dsp_features((const float *)g_raw_words, g_features);
#if TS_MODEL_INPUT_F32
    model_in = (const int8_t *)(const void *)g_features;
#else
#if defined(TS_MODEL_INPUT_STANDARDISED) && TS_MODEL_INPUT_STANDARDISED
    tsr_standardise_quantize(g_features, (uint32_t)TS_MODEL_INPUT_BYTES, ts_model_input_mean, ts_model_input_std,
                             (uint32_t)TS_MODEL_INPUT_CHANNELS, (float)TS_MODEL_INPUT_SCALE,
                             (int32_t)TS_MODEL_INPUT_ZERO_POINT, (int8_t *)g_model_in_words);
#else
    tsr_quantize(g_features, (uint32_t)TS_MODEL_INPUT_BYTES, (float)TS_MODEL_INPUT_SCALE,
                 (int32_t)TS_MODEL_INPUT_ZERO_POINT, (int8_t *)g_model_in_words);
#endif
    model_in = (const int8_t *)g_model_in_words;
#endif
    t1 = tsr_hal_counter();
    if (status != 0) {
        *dsp_count = t1 - t0;
        *nn_count = 0;
        return status;
    }
#endif
    status = ts_model_invoke(model_in, model_output());
    t2 = tsr_hal_counter();
    *dsp_count = t1 - t0;
    *nn_count = t2 - t1;
#ifdef TS_MODEL_PROFILE_OPS
    g_last_nn_count = *nn_count;
#endif
    return status;
}

#ifdef TSR_BULK_ADDR
/* The emulated board's launcher can place the whole test set in memory at TSR_BULK_ADDR (a 16-byte header:
   TSR_BULK_MAGIC, window count, window bytes, sample format; then the windows in that format, each padded to a
   multiple of 4 bytes so that every window is word-aligned), so the host asks for windows by index instead of
   sending their bytes over the slow emulated UART. */
static const uint8_t *bulk_set(void)
{
    const uint8_t *bulk = (const uint8_t *)(uintptr_t)(TSR_BULK_ADDR);
    return get_u32(bulk) == TSR_BULK_MAGIC ? bulk : NULL;
}
#endif

/* What this build offers (TSR_CAP_*): the input formats, pipelined INFER where the link holds requests sent
   ahead (flow control on the emulated and host links), and a test set found in memory. */
static uint32_t capabilities(void)
{
    uint32_t caps = tsr_input_caps();
#ifdef TSR_LINK_FLOW_CONTROL
    caps |= TSR_CAP_PIPELINED;
#endif
#ifdef TSR_BULK_ADDR
    if (bulk_set() != NULL) {
        caps |= TSR_CAP_BULK;
    }
#endif
#ifdef TS_MODEL_PROFILE_OPS
    caps |= TSR_CAP_PROFILE; /* a profiling build: PROFILE and PROFILE_READ */
#endif
#if TSR_DSP_KIND != TSR_DSP_NONE
    caps |= TSR_CAP_LIVE; /* the board computes its model input from sensor samples (tsr_live.c) */
#endif
    return caps & ~(uint32_t)(TSR_CAPS_WITHHELD);
}

static void handle_hello(uint8_t seq)
{
    const tsr_board_info_t *board = tsr_hal_board();
    uint8_t *start = tx_payload();
    uint8_t *p = start;
    size_t i;
    uint32_t stack_bytes = (uint32_t)((uint8_t *)board->stack_high - (uint8_t *)board->stack_low);
    p = put_u8(p, TSR_PROTOCOL_VERSION);
    p = put_u8(p, TSR_FIRMWARE_VERSION_MAJOR);
    p = put_u8(p, TSR_FIRMWARE_VERSION_MINOR);
    p = put_u8(p, board->counter_kind);
    p = put_u32(p, board->clock_hz);
    p = put_u32(p, TSR_MAX_PAYLOAD);
    p = put_u32(p, (uint32_t)TS_MODEL_ARENA_BYTES);
    p = put_u32(p, board->flash_budget);
    p = put_u32(p, board->ram_budget);
    p = put_u32(p, board->flash_used);
    p = put_u32(p, board->ram_used);
    p = put_u32(p, stack_bytes);
    p = put_u32(p, (uint32_t)TSR_RAW_BYTES);
    p = put_u32(p, (uint32_t)TS_MODEL_INPUT_BYTES);
    p = put_u32(p, (uint32_t)TS_MODEL_OUTPUT_BYTES);
    p = put_u32(p, (uint32_t)TS_MODEL_OP_COUNT);
    p = put_f32(p, (float)TS_MODEL_INPUT_SCALE);
    p = put_u32(p, (uint32_t)(int32_t)TS_MODEL_INPUT_ZERO_POINT);
    p = put_f32(p, (float)TS_MODEL_OUTPUT_SCALE);
    p = put_u32(p, (uint32_t)(int32_t)TS_MODEL_OUTPUT_ZERO_POINT);
    p = put_u8(p, TSR_DSP_KIND);
    p = put_u8(p, (uint32_t)TS_MODEL_INPUT_RANK);
    for (i = 0; i < (size_t)TS_MODEL_INPUT_RANK && i < 8u; i++) {
        p = put_u32(p, g_in_shape[i]);
    }
    p = put_u8(p, (uint32_t)TS_MODEL_OUTPUT_RANK);
    for (i = 0; i < (size_t)TS_MODEL_OUTPUT_RANK && i < 8u; i++) {
        p = put_u32(p, g_out_shape[i]);
    }
    p = put_str(p, board->name);
    p = put_str(p, TS_MODEL_NAME);
    p = put_str(p, TS_MODEL_HASH);
#ifndef TSR_HELLO_WITHOUT_CAPS /* protocol 1 as first released ended here */
    p = put_u32(p, capabilities());
#endif
    send_frame(TSR_MSG_HELLO | TSR_MSG_RESPONSE, seq, (size_t)(p - start));
}

/* INFER's answer after a run: status, DSP and NN counts, output bytes and as much output as fits room. */
static size_t put_infer_answer(uint8_t *p, int status, uint32_t dsp_count, uint32_t nn_count, size_t room)
{
    size_t inline_bytes = (size_t)TS_MODEL_OUTPUT_BYTES;
    if (inline_bytes > room - 16u) {
        inline_bytes = room - 16u;
    }
    p = put_u32(p, (uint32_t)(int32_t)status);
    p = put_u32(p, dsp_count);
    p = put_u32(p, nn_count);
    p = put_u32(p, (uint32_t)TS_MODEL_OUTPUT_BYTES);
    copy_bytes(p, (const uint8_t *)model_output(), inline_bytes);
    return 16u + inline_bytes;
}

/* Copy a whole window in the session format into the raw window; 0, or -1 (an error was sent). */
static int take_window(uint8_t seq, const uint8_t *window, size_t len, const char *message)
{
    if (len != tsr_input_window_bytes() || tsr_input_write(raw_bytes(), 0u, window, len) != 0) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, message);
        return -1;
    }
    return 0;
}

/* INFER (and INFER_AT, whose answer has the same layout under its own type). */
static void handle_infer(uint8_t seq, const uint8_t *payload, size_t len, uint8_t type)
{
    uint32_t dsp_count = 0;
    uint32_t nn_count = 0;
    int status;
    if (len != 0u && take_window(seq, payload, len, "INFER takes the whole window or nothing") != 0) {
        return;
    }
    status = run_once(&dsp_count, &nn_count);
    send_frame((uint8_t)(type | TSR_MSG_RESPONSE), seq,
               put_infer_answer(tx_payload(), status, dsp_count, nn_count, TSR_MAX_PAYLOAD));
}

/* Run the model on the raw window and answer with RUN_PART frames (see tsr_protocol.h). */
static void run_parts(uint8_t seq, uint8_t type, uint32_t index, uint32_t flags)
{
    uint32_t dsp_count = 0;
    uint32_t nn_count = 0;
    int status = run_once(&dsp_count, &nn_count);
    uint8_t *p = tx_payload();
    size_t n;
    put_u32(p, index);
    p[4] = 0u;
    p[5] = 0u;
    n = put_infer_answer(p + 6, status, dsp_count, nn_count, TSR_MAX_PAYLOAD - 6u);
    send_frame((uint8_t)(type | TSR_MSG_RESPONSE), seq, 6u + n);
#if TSR_DSP_KIND != TSR_DSP_NONE
    if (flags & TSR_RUN_FEATURES) {
        size_t done = 0;
        uint32_t part = 1u;
        while (done < sizeof(g_features)) {
            n = sizeof(g_features) - done;
            if (n > TSR_MAX_PAYLOAD - 6u) {
                n = TSR_MAX_PAYLOAD - 6u;
            }
            put_u32(p, index);
            p[4] = (uint8_t)part;
            p[5] = (uint8_t)(part >> 8);
            copy_bytes(p + 6, (const uint8_t *)g_features + done, n);
            send_frame((uint8_t)(type | TSR_MSG_RESPONSE), seq, 6u + n);
            done += n;
            part++;
        }
    }
#else
    (void)flags;
#endif
}

/* INFER_ALL: u8 flags | [whole window]: INFER answered as RUN_PART frames (with the features if asked). */
static void handle_infer_all(uint8_t seq, const uint8_t *payload, size_t len)
{
    if (len < 1u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "INFER_ALL takes flags");
        return;
    }
    if (len > 1u && take_window(seq, payload + 1, len - 1u, "INFER_ALL takes the whole window or nothing") != 0) {
        return;
    }
    run_parts(seq, TSR_MSG_INFER_ALL, 0u, payload[0]);
}
#ifdef TSR_BULK_ADDR
/* Load window index of the test set in memory into the raw window; 0, or -1 (an error was sent). */
static int load_bulk_window(uint8_t seq, uint32_t index)
{
    const uint8_t *bulk = bulk_set();
    size_t bytes = tsr_input_window_bytes();
    size_t stride = (bytes + 3u) & ~(size_t)3u;
    if (bulk == NULL || get_u32(bulk + 8) != (uint32_t)bytes || get_u32(bulk + 12) != tsr_input_format()) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "no test set of this window size and format in memory");
        return -1;
    }
    if (index >= get_u32(bulk + 4)) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "past the last window in memory");
        return -1;
    }
    (void)tsr_input_write(raw_bytes(), 0u, bulk + 16u + (size_t)index * stride, bytes);
    return 0;
}

static void handle_infer_at(uint8_t seq, const uint8_t *payload, size_t len)
{
    if (len != 4u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "INFER_AT takes a window index");
        return;
    }
    if (load_bulk_window(seq, get_u32(payload)) == 0) {
        handle_infer(seq, payload, 0u, TSR_MSG_INFER_AT);
    }
}

/* INFER_RUN: u32 first | u32 count | u8 flags: each window of the range in turn, answered as RUN_PART frames
   without a request per window, then an end frame (part TSR_RUN_END, u32 windows done). */
static void handle_infer_run(uint8_t seq, const uint8_t *payload, size_t len)
{
    uint32_t first;
    uint32_t count;
    uint32_t i;
    uint8_t *p;
    if (len != 9u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "INFER_RUN takes first, count and flags");
        return;
    }
    first = get_u32(payload);
    count = get_u32(payload + 4);
    for (i = 0; i < count; i++) {
        if (load_bulk_window(seq, first + i) != 0) {
            break;
        }
        run_parts(seq, TSR_MSG_INFER_RUN, first + i, payload[8]);
    }
    p = tx_payload();
    put_u32(p, first + i);
    p[4] = (uint8_t)TSR_RUN_END;
    p[5] = (uint8_t)(TSR_RUN_END >> 8);
    put_u32(p + 6, i);
    send_frame(TSR_MSG_INFER_RUN | TSR_MSG_RESPONSE, seq, 10u);
}
#endif
static void handle_upload(uint8_t seq, const uint8_t *payload, size_t len)
{
    uint32_t offset;
    size_t count;
    if (len < 4u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "UPLOAD needs an offset");
        return;
    }
    offset = get_u32(payload);
    count = len - 4u;
    if (tsr_input_write(raw_bytes(), offset, payload + 4, count) != 0) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "UPLOAD past the end of the input window");
        return;
    }
    put_u32(tx_payload(), offset + (uint32_t)count);
    send_frame(TSR_MSG_UPLOAD | TSR_MSG_RESPONSE, seq, 4u);
}

/* FORMAT: u8 format | f32 scale | f32 offset -> u32 bytes of one window in that format. */
static void handle_format(uint8_t seq, const uint8_t *payload, size_t len)
{
    union {
        uint32_t u;
        float f;
    } scale, offset;
    uint32_t format;
    uint32_t needs;
    if (len != 9u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "FORMAT takes format, scale and offset");
        return;
    }
    format = payload[0];
    scale.u = get_u32(payload + 1);
    offset.u = get_u32(payload + 5);
    needs = format == TSR_FORMAT_I16 ? TSR_CAP_INPUT_I16 : format == TSR_FORMAT_I8 ? TSR_CAP_INPUT_I8 : 0u;
    if ((needs & ~capabilities()) != 0u || tsr_input_set_format(format, scale.f, offset.f) != 0) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "this firmware does not take that sample format");
        return;
    }
    put_u32(tx_payload(), (uint32_t)tsr_input_window_bytes());
    send_frame(TSR_MSG_FORMAT | TSR_MSG_RESPONSE, seq, 4u);
}

static void handle_read(uint8_t seq, const uint8_t *payload, size_t len)
{
    uint32_t offset;
    uint32_t count;
    if (len != 6u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "READ takes offset and count");
        return;
    }
    offset = get_u32(payload);
    count = get_u16(payload + 4);
    if (count > TSR_MAX_PAYLOAD || offset > (uint32_t)TS_MODEL_OUTPUT_BYTES ||
        count > (uint32_t)TS_MODEL_OUTPUT_BYTES - offset) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "READ past the end of the output");
        return;
    }
    copy_bytes(tx_payload(), (const uint8_t *)model_output() + offset, count);
    send_frame(TSR_MSG_READ | TSR_MSG_RESPONSE, seq, count);
}

static void handle_features(uint8_t seq, const uint8_t *payload, size_t len)
{
#if TSR_DSP_KIND == TSR_DSP_NONE
    (void)payload;
    (void)len;
    send_error(seq, TSR_ERR_BAD_PAYLOAD, "this firmware has no DSP block");
#else
    uint32_t offset;
    uint32_t count;
    if (len != 6u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "FEATURES takes offset and count");
        return;
    }
    offset = get_u32(payload);
    count = get_u16(payload + 4);
    if (count > TSR_MAX_PAYLOAD || offset > (uint32_t)sizeof(g_features) ||
        count > (uint32_t)sizeof(g_features) - offset) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "FEATURES past the end of the features");
        return;
    }
    copy_bytes(tx_payload(), (const uint8_t *)g_features + offset, count);
    send_frame(TSR_MSG_FEATURES | TSR_MSG_RESPONSE, seq, count);
#endif
}

static void handle_bench(uint8_t seq, const uint8_t *payload, size_t len)
{
    uint32_t runs;
    uint32_t i;
    uint32_t nn_min = 0xFFFFFFFFu, nn_max = 0, dsp_min = 0xFFFFFFFFu, dsp_max = 0;
    uint64_t nn_sum = 0, dsp_sum = 0;
    int status = 0;
    uint8_t *p = tx_payload();
    if (len != 2u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "BENCH takes a run count");
        return;
    }
    runs = get_u16(payload);
    if (runs == 0u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "BENCH needs at least one run");
        return;
    }
    for (i = 0; i < runs && status == 0; i++) {
        uint32_t dsp_count;
        uint32_t nn_count;
        status = run_once(&dsp_count, &nn_count);
        nn_sum += nn_count;
        dsp_sum += dsp_count;
        nn_min = nn_count < nn_min ? nn_count : nn_min;
        nn_max = nn_count > nn_max ? nn_count : nn_max;
        dsp_min = dsp_count < dsp_min ? dsp_count : dsp_min;
        dsp_max = dsp_count > dsp_max ? dsp_count : dsp_max;
    }
    p = put_u32(p, (uint32_t)(int32_t)status);
    p = put_u32(p, i);
    p = put_u32(p, nn_min);
    p = put_u32(p, (uint32_t)(nn_sum / i));
    p = put_u32(p, nn_max);
    p = put_u32(p, dsp_min);
    p = put_u32(p, (uint32_t)(dsp_sum / i));
    put_u32(p, dsp_max);
    send_frame(TSR_MSG_BENCH | TSR_MSG_RESPONSE, seq, 32u);
}

#ifdef TS_MODEL_PROFILE_OPS
/* PROFILE: per-op counts of the last inference (runs = 0) or min / median over runs of the current window. */
static void handle_profile(uint8_t seq, const uint8_t *payload, size_t len)
{
    uint32_t runs;
    uint32_t i = 0;
    int status = 0;
    if (len != 2u || get_u16(payload) > TSR_PROFILE_MAX_RUNS) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "PROFILE takes a run count of at most 15");
        return;
    }
    runs = get_u16(payload);
    if (runs == 0u) {
        tsr_profile_keep(0u, g_last_nn_count);
        i = 1u;
    }
    while (i < runs && status == 0) {
        uint32_t dsp_count;
        uint32_t nn_count;
        status = run_once(&dsp_count, &nn_count);
        tsr_profile_keep(i++, nn_count);
    }
    tsr_profile_summarize(i);
    send_frame(TSR_MSG_PROFILE | TSR_MSG_RESPONSE, seq, tsr_profile_header(tx_payload(), status, i));
}

static void handle_profile_read(uint8_t seq, const uint8_t *payload, size_t len)
{
    size_t n = 0;
    if (len == 4u && get_u16(payload + 2) <= (TSR_MAX_PAYLOAD / TSR_PROFILE_ENTRY_BYTES)) {
        n = tsr_profile_entries(tx_payload(), get_u16(payload), get_u16(payload + 2));
    }
    if (n == 0u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "PROFILE_READ past the last op");
        return;
    }
    send_frame(TSR_MSG_PROFILE_READ | TSR_MSG_RESPONSE, seq, n);
}
#endif

uint32_t tsr_stack_peak(void)
{
    const tsr_board_info_t *board = tsr_hal_board();
    const uint32_t *w = board->stack_low;
    while (w < board->stack_high && *w == TSR_STACK_PAINT) {
        w++;
    }
    return (uint32_t)((const uint8_t *)board->stack_high - (const uint8_t *)w);
}

static void handle_stack(uint8_t seq)
{
    const tsr_board_info_t *board = tsr_hal_board();
    uint8_t *p = tx_payload();
    p = put_u32(p, (uint32_t)((uint8_t *)board->stack_high - (uint8_t *)board->stack_low));
    put_u32(p, tsr_stack_peak());
    send_frame(TSR_MSG_STACK | TSR_MSG_RESPONSE, seq, 8u);
}

static size_t format_sensor_line(char *line)
{
    float values[TSR_SENSOR_MAX_AXES];
    uint32_t axes = tsr_hal_sensor_read(values, TSR_SENSOR_MAX_AXES);
    uint32_t a;
    size_t n = 0;
    if (axes > TSR_SENSOR_MAX_AXES) {
        axes = TSR_SENSOR_MAX_AXES;
    }
    for (a = 0; a < axes; a++) {
        if (a > 0u) {
            line[n++] = ',';
        }
        n += tsr_format_float(values[a], 4u, line + n);
    }
    line[n++] = '\n';
    return n;
}

static void handle_stream(uint8_t seq, const uint8_t *payload, size_t len)
{
    static char line[TSR_STREAM_LINE_MAX];
    static const uint8_t zero = 0;
    uint32_t lines;
    uint32_t interval_us;
    uint32_t mode;
    uint32_t sent = 0;
    if (len != 9u) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "STREAM takes lines, interval and mode");
        return;
    }
    lines = get_u32(payload);
    interval_us = get_u32(payload + 4);
    mode = payload[8];
    if (mode > TSR_STREAM_TEXT || (lines == 0u && mode != TSR_STREAM_TEXT)) {
        send_error(seq, TSR_ERR_BAD_PAYLOAD, "STREAM mode or line count out of range");
        return;
    }
    put_u32(tx_payload(), lines);
    send_frame(TSR_MSG_STREAM | TSR_MSG_RESPONSE, seq, 4u);
    /* lines == 0 in text mode streams until any byte arrives (send 0x00 to stop). */
    while (lines == 0u || sent < lines) {
        size_t n = format_sensor_line(line);
        if (mode == TSR_STREAM_TEXT) {
            tsr_hal_uart_write((const uint8_t *)line, n);
        } else {
            copy_bytes(tx_payload(), (const uint8_t *)line, n);
            send_frame(TSR_MSG_STREAM_LINE, seq, n);
        }
        sent++;
        if (tsr_hal_uart_poll() >= 0) {
            break;
        }
        if (interval_us != 0u) {
            tsr_hal_delay_us(interval_us);
        }
    }
    if (mode == TSR_STREAM_TEXT) {
        tsr_hal_uart_write(&zero, 1u);
    }
    put_u32(tx_payload(), sent);
    send_frame(TSR_MSG_STREAM_END, seq, 4u);
}

/* What live mode (tsr_live.c) borrows: the transmit buffer, the raw window and one inference. */
uint8_t *tsr_runner_tx_payload(void) { return tx_payload(); }
void tsr_runner_send(uint8_t type, uint8_t seq, size_t payload_len) { send_frame(type, seq, payload_len); }
void tsr_runner_error(uint8_t seq, uint8_t code, const char *message) { send_error(seq, code, message); }
int tsr_runner_infer(uint32_t *dsp_count, uint32_t *nn_count) { return run_once(dsp_count, nn_count); }

float *tsr_runner_raw_window(size_t *bytes)
{
    *bytes = TSR_DSP_KIND == TSR_DSP_NONE ? 0u : (size_t)TSR_RAW_BYTES;
    return TSR_DSP_KIND == TSR_DSP_NONE ? (float *)0 : (float *)(void *)g_raw_words;
}

const int8_t *tsr_runner_output(size_t *bytes)
{
    *bytes = (size_t)TS_MODEL_OUTPUT_BYTES;
    return model_output();
}

static void handle_frame(size_t enc_len)
{
    size_t n = 0;
    size_t payload_len;
    uint16_t crc;
    uint8_t type;
    uint8_t seq;
    const uint8_t *payload;
    if (tsr_cobs_decode(g_rx, enc_len, g_frame, sizeof(g_frame), &n) != 0 ||
        n < TSR_HEADER_BYTES + TSR_CRC_BYTES) {
        send_error(0, TSR_ERR_BAD_FRAME, "bad frame encoding");
        return;
    }
    type = g_frame[0];
    seq = g_frame[1];
    payload_len = get_u16(g_frame + 2);
    if (payload_len != n - TSR_HEADER_BYTES - TSR_CRC_BYTES) {
        send_error(seq, TSR_ERR_BAD_FRAME, "length field does not match the frame");
        return;
    }
    crc = (uint16_t)get_u16(g_frame + TSR_HEADER_BYTES + payload_len);
    if (crc != tsr_crc16(g_frame, TSR_HEADER_BYTES + payload_len, 0xFFFFu)) {
        send_error(seq, TSR_ERR_BAD_CRC, "CRC mismatch");
        return;
    }
    payload = g_frame + TSR_HEADER_BYTES;
    switch (type) {
    case TSR_MSG_HELLO:
        handle_hello(seq);
        break;
    case TSR_MSG_INFER:
        handle_infer(seq, payload, payload_len, TSR_MSG_INFER);
        break;
    case TSR_MSG_UPLOAD:
        handle_upload(seq, payload, payload_len);
        break;
    case TSR_MSG_READ:
        handle_read(seq, payload, payload_len);
        break;
    case TSR_MSG_BENCH:
        handle_bench(seq, payload, payload_len);
        break;
    case TSR_MSG_STACK:
        handle_stack(seq);
        break;
    case TSR_MSG_STREAM:
        handle_stream(seq, payload, payload_len);
        break;
    case TSR_MSG_FEATURES:
        handle_features(seq, payload, payload_len);
        break;
    case TSR_MSG_FORMAT:
        handle_format(seq, payload, payload_len);
        break;
#ifdef TSR_BULK_ADDR
    case TSR_MSG_INFER_AT:
        handle_infer_at(seq, payload, payload_len);
        break;
    case TSR_MSG_INFER_RUN:
        if (capabilities() & TSR_CAP_PIPELINED) {
            handle_infer_run(seq, payload, payload_len);
        } else {
            send_error(seq, TSR_ERR_UNKNOWN, "unknown message type");
        }
        break;
#endif
#ifdef TS_MODEL_PROFILE_OPS
    case TSR_MSG_PROFILE:
        handle_profile(seq, payload, payload_len);
        break;
    case TSR_MSG_PROFILE_READ:
        handle_profile_read(seq, payload, payload_len);
        break;
#endif
    case TSR_MSG_LIVE_START:
    case TSR_MSG_LIVE_CONTROL:
        tsr_live_request(type, seq, payload, payload_len);
        break;
    case TSR_MSG_INFER_ALL:
        if (capabilities() & TSR_CAP_PIPELINED) {
            handle_infer_all(seq, payload, payload_len);
        } else {
            send_error(seq, TSR_ERR_UNKNOWN, "unknown message type");
        }
        break;
    case TSR_MSG_BYE:
        send_frame(TSR_MSG_BYE | TSR_MSG_RESPONSE, seq, 0u);
        tsr_hal_exit(0);
        break;
    default:
        send_error(seq, TSR_ERR_UNKNOWN, "unknown message type");
        break;
    }
}

void tsr_runner_feed(uint8_t byte)
{
    if (byte == 0u) {
        if (g_rx_overflow) {
            send_error(0, TSR_ERR_TOO_LONG, "frame too long");
        } else if (g_rx_len > 0u) {
            handle_frame(g_rx_len);
        }
        g_rx_len = 0;
        g_rx_overflow = 0;
        return;
    }
    if (g_rx_len < sizeof(g_rx)) {
        g_rx[g_rx_len++] = byte;
    } else {
        g_rx_overflow = 1;
    }
}

void tsr_runner_run(void)
{
#ifdef TSR_COLLECT_INTERVAL_US
    (void)tsr_collector_run(); /* the data-collection firmware streams first, until the host sends a byte */
#endif
    for (;;) {
        int c = tsr_live_getc(); /* the UART, classifying the sensor meanwhile while live mode is on */
        if (c < 0) {
            return;
        }
        tsr_runner_feed((uint8_t)c);
    }
}
