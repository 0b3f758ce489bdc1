/* tsr_sim_sensor.c - deterministic simulated sensor (no libm: a parabolic sine approximation). */
#include "tsr_sim_sensor.h"

static uint32_t g_tick;

/* sin(2*pi*phase) for phase in [0, 1), within about 0.06 of the true value. */
static float approx_sin(float phase)
{
    float x = phase < 0.5f ? phase : phase - 1.0f; /* [-0.5, 0.5) */
    float y = 8.0f * x * (1.0f - 2.0f * (x < 0.0f ? -x : x));
    return y;
}

static float wave(uint32_t tick, uint32_t period_centi)
{
    uint32_t step = (tick * 100u) % period_centi;
    return approx_sin((float)step / (float)period_centi);
}

uint32_t tsr_sim_sensor_read(float *values, uint32_t max_values)
{
    float sample[3];
    uint32_t i;
    uint32_t n = max_values < 3u ? max_values : 3u;
    sample[0] = wave(g_tick, 10000u);
    sample[1] = 0.5f * wave(g_tick, 4000u) + 0.1f;
    sample[2] = 9.81f + 0.2f * wave(g_tick, 25000u);
    for (i = 0; i < n; i++) {
        values[i] = sample[i];
    }
    g_tick++;
    return n;
}
