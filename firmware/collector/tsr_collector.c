/* tsr_collector.c - sensor lines from boot for the data-collection firmware (see tsr_collector.h). */
#include "tsr_collector.h"

#include "tsr_hal.h"
#include "tsr_text.h"

#ifndef TSR_COLLECT_INTERVAL_US
#error "the data-collection firmware is built with TSR_COLLECT_INTERVAL_US"
#endif

#ifndef TSR_COLLECT_AXES
#define TSR_COLLECT_AXES "x,y,z"
#endif
#ifndef TSR_COUNTER_PER_US
#define TSR_COUNTER_PER_US 1u /* the host board counts microseconds */
#endif

#define TSR_COLLECT_MAX_AXES 16u
#define TSR_COLLECT_LINE_MAX 512u

static const char g_axes[] = TSR_COLLECT_AXES;

/* Append the name of axis `index` (the index-th comma-separated entry, else "axisN") to line. */
static uint32_t put_name(char *line, uint32_t n, uint32_t index)
{
    uint32_t i = 0;
    uint32_t field = 0;
    uint32_t start = n;
    while (g_axes[i] != '\0' && field < index) {
        if (g_axes[i] == ',') {
            field++;
        }
        i++;
    }
    while (field == index && g_axes[i] != '\0' && g_axes[i] != ',' && n < TSR_COLLECT_LINE_MAX - 40u) {
        line[n++] = g_axes[i++];
    }
    if (n == start) {
        line[n++] = 'a';
        n += (uint32_t)tsr_format_u32(index + 1u, line + n);
    }
    return n;
}

uint32_t tsr_collector_run(void)
{
    static char line[TSR_COLLECT_LINE_MAX];
    float values[TSR_COLLECT_MAX_AXES];
    uint32_t last = tsr_hal_counter();
    uint32_t leftover = 0; /* counter units not yet a whole microsecond */
    uint32_t now_us = 0;
    uint32_t next_us = 0;
    uint32_t slot_us;
    uint32_t sent = 0;
    for (;;) {
        uint32_t now = tsr_hal_counter();
        uint32_t axes;
        uint32_t a;
        uint32_t n;
        leftover += now - last;
        last = now;
        now_us += leftover / TSR_COUNTER_PER_US;
        leftover %= TSR_COUNTER_PER_US;
        if (tsr_hal_uart_poll() >= 0) {
            return sent;
        }
        if ((int32_t)(now_us - next_us) < 0) {
            continue;
        }
        if ((int32_t)(now_us - next_us) > (int32_t)(8u * TSR_COLLECT_INTERVAL_US)) {
            next_us = now_us; /* far behind (the link was full): skip the missed slots, do not burst */
        }
        slot_us = next_us; /* the reading's slot on the sampling grid: exact spacing, as a sensor timer gives */
        next_us += TSR_COLLECT_INTERVAL_US;
        axes = tsr_hal_sensor_read(values, TSR_COLLECT_MAX_AXES);
        if (axes > TSR_COLLECT_MAX_AXES) {
            axes = TSR_COLLECT_MAX_AXES;
        }
        n = 0;
        line[n++] = 't';
        line[n++] = '_';
        line[n++] = 'u';
        line[n++] = 's';
        line[n++] = ':';
        n += (uint32_t)tsr_format_u32(slot_us, line + n);
        for (a = 0; a < axes; a++) {
            line[n++] = ',';
            n = put_name(line, n, a);
            line[n++] = ':';
            n += (uint32_t)tsr_format_float(values[a], 4u, line + n);
        }
        line[n++] = '\n';
        tsr_hal_uart_write((const uint8_t *)line, n);
        sent++;
    }
}
