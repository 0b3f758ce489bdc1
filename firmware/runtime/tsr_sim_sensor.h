/* tsr_sim_sensor.h - the simulated sensor of boards without a real one: recordings placed in memory (a
 * "tape"), else three deterministic built-in waves. */
#ifndef TSR_SIM_SENSOR_H
#define TSR_SIM_SENSOR_H

#include <stddef.h>
#include <stdint.h>

/* Header of a tape: TSR_TAPE_MAGIC, frames, axes, 0; then frames x axes float32 samples, row-major. */
#define TSR_TAPE_MAGIC 0x31545354u /* "TST1" */

/* Next sample: the tape's next frame (it loops), or three slow waves (about 1, 2.5 and 0.4 cycles per
   100 samples); returns the axis count written (at most max_values). */
uint32_t tsr_sim_sensor_read(float *values, uint32_t max_values);
/* Play the tape at `tape` (`bytes` long, 4-byte aligned) from its start; an invalid tape is ignored. Boards
   built with TSR_BULK_ADDR or TSR_BULK_IN_FLASH (tsr_bulk.h: the memory an emulated board's launcher fills)
   look for a tape there. */
void tsr_sim_sensor_use_tape(const void *tape, size_t bytes);
/* Frames of the tape being played (0 = the built-in waves); *axes gets its axis count. */
uint32_t tsr_sim_sensor_tape(uint32_t *axes);

#endif /* TSR_SIM_SENSOR_H */
