/*
 * tsr_profile.c - min and median of each op's count over up to TSR_PROFILE_MAX_RUNS runs of a
 * profiling build; compiles to nothing in a normal build.
 */
#include "tsr_profile.h"

#ifdef TS_MODEL_PROFILE_OPS

#define TSR_PROFILE_COLUMNS ((uint32_t)TS_MODEL_PROFILE_OPS + 1u) /* every op, then the whole NN count */

static uint32_t g_kept[TSR_PROFILE_MAX_RUNS][TSR_PROFILE_COLUMNS];
static uint32_t g_min[TSR_PROFILE_COLUMNS];
static uint32_t g_median[TSR_PROFILE_COLUMNS];

static uint8_t *put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p = put_u16(p, v);
    return put_u16(p, v >> 16);
}

void tsr_profile_keep(uint32_t run, uint32_t whole)
{
    uint32_t k;
    if (run >= TSR_PROFILE_MAX_RUNS) {
        return;
    }
    for (k = 0; k < (uint32_t)TS_MODEL_PROFILE_OPS; k++) {
        g_kept[run][k] = ts_model_op_counts[k];
    }
    g_kept[run][TS_MODEL_PROFILE_OPS] = whole;
}

void tsr_profile_summarize(uint32_t runs)
{
    uint32_t values[TSR_PROFILE_MAX_RUNS];
    uint32_t k;
    uint32_t i;
    if (runs > TSR_PROFILE_MAX_RUNS) {
        runs = TSR_PROFILE_MAX_RUNS;
    }
    if (runs == 0u) {
        return;
    }
    for (k = 0; k < TSR_PROFILE_COLUMNS; k++) {
        for (i = 0; i < runs; i++) { /* insertion sort of one column */
            uint32_t v = g_kept[i][k];
            uint32_t j = i;
            while (j > 0u && values[j - 1u] > v) {
                values[j] = values[j - 1u];
                j--;
            }
            values[j] = v;
        }
        g_min[k] = values[0];
        g_median[k] = (uint32_t)(((uint64_t)values[(runs - 1u) / 2u] + values[runs / 2u]) / 2u);
    }
}

size_t tsr_profile_header(uint8_t *p, int32_t status, uint32_t runs)
{
    p = put_u32(p, (uint32_t)status);
    p = put_u32(p, runs);
    p = put_u32(p, (uint32_t)TS_MODEL_PROFILE_OPS);
    p = put_u32(p, g_min[TS_MODEL_PROFILE_OPS]);
    put_u32(p, g_median[TS_MODEL_PROFILE_OPS]);
    return TSR_PROFILE_HEADER_BYTES;
}

size_t tsr_profile_entries(uint8_t *p, uint32_t first, uint32_t count)
{
    uint32_t k;
    if (count == 0u || first >= (uint32_t)TS_MODEL_PROFILE_OPS || count > (uint32_t)TS_MODEL_PROFILE_OPS - first) {
        return 0u;
    }
    for (k = first; k < first + count; k++) {
        p = put_u16(p, ts_model_op_index[k]);
        p = put_u32(p, g_min[k]);
        p = put_u32(p, g_median[k]);
    }
    return (size_t)count * TSR_PROFILE_ENTRY_BYTES;
}

#else

typedef int tsr_profile_unused; /* a normal build: ISO C wants at least one declaration */

#endif /* TS_MODEL_PROFILE_OPS */
