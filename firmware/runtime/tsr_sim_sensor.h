/* tsr_sim_sensor.h - a deterministic simulated 3-axis sensor for boards without a real one. */
#ifndef TSR_SIM_SENSOR_H
#define TSR_SIM_SENSOR_H

#include <stdint.h>

/* Next sample of three slow waves (about 1, 2.5 and 0.4 cycles per 100 samples); returns 3. */
uint32_t tsr_sim_sensor_read(float *values, uint32_t max_values);

#endif /* TSR_SIM_SENSOR_H */
