/*
 * tsr_live.h - live mode: the board classifies its own sensor stream until the host stops it.
 *
 * LIVE_START (0x12): u32 hop frames | u32 sample interval in us | u32 credit | u16 axes | u8 flags.
 *   The board keeps the last window of sensor samples (frames x axes float32, the DSP block's raw window) and,
 *   every hop frames, runs the DSP block and the model on it. flags bit0 (TSR_LIVE_PACED): read one sample per
 *   interval on the board's own clock; without it the sensor is read as fast as the board computes (an emulated
 *   board's simulated sensor has no real time). credit: windows the board may send before it waits for a
 *   LIVE_CONTROL grant (0 = no limit), so a host can pace a free-running board to the wall clock.
 *   Answer (0x92): u32 window frames | u32 axes | u32 hop | u32 sensor axes | u32 tape frames (recordings the
 *   simulated sensor plays from memory; 0 = its built-in waves or a real sensor) | u32 tape axes.
 * LIVE_CONTROL (0x13): u8 op (TSR_LIVE_STOP, TSR_LIVE_GRANT) | u32 windows to add to the credit.
 *   Answer (0x93): u32 windows sent | u32 samples read | u32 credit left | u8 still live. A stop first sends
 *   the samples read since the last window (LIVE_SAMPLES), so every sample it counts has reached the host.
 * While live, each request's answer goes out as usual; the board also sends, with LIVE_START's seq:
 *   LIVE_SAMPLES (0x94): u32 index of the first sample | float32 samples (whole frames of all axes): every
 *   sample read since the previous frame, so the host holds the exact signal the board classified;
 *   LIVE_WINDOW (0x95): u32 window index | u32 end sample (one past the window's last) | i32 status |
 *   u32 DSP count | u32 NN count | u32 late slots | u8 top class | u8 score kind (0 = int8) | u16 count | scores.
 * BYE ends live mode with the board. No dynamic memory: the window is the runner's raw input buffer.
 */
#ifndef TSR_LIVE_H
#define TSR_LIVE_H

#include <stddef.h>
#include <stdint.h>

#define TSR_LIVE_PACED 1u /* LIVE_START flags: one sample per interval on the board's clock */
#define TSR_LIVE_STOP 0u  /* LIVE_CONTROL ops */
#define TSR_LIVE_GRANT 1u

/* Handle LIVE_START or LIVE_CONTROL. */
void tsr_live_request(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len);
/* The next received byte; while live mode is on, the sensor is read and windows classified meanwhile. */
int tsr_live_getc(void);

/* What the runner lends live mode (tsr_runner.c). */
uint8_t *tsr_runner_tx_payload(void);
void tsr_runner_send(uint8_t type, uint8_t seq, size_t payload_len);
void tsr_runner_error(uint8_t seq, uint8_t code, const char *message);
/* The raw window (float32 samples with a DSP block, else NULL) and its size in bytes. */
float *tsr_runner_raw_window(size_t *bytes);
/* DSP and model on the raw window: status, counts, and the int8 output and its size. */
int tsr_runner_infer(uint32_t *dsp_count, uint32_t *nn_count);
const int8_t *tsr_runner_output(size_t *bytes);

#endif /* TSR_LIVE_H */
