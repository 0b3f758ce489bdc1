/*
 * tsr_runner.h - the runner loop: reads protocol frames from the HAL UART, runs the compiled model
 * (and DSP block) on request, and answers HELLO / INFER / UPLOAD / READ / BENCH / STACK / STREAM / BYE.
 */
#ifndef TSR_RUNNER_H
#define TSR_RUNNER_H

#include <stdint.h>

/* Feed one received byte to the frame parser; a 0x00 completes (and handles) a frame. */
void tsr_runner_feed(uint8_t byte);
/* Serve requests until the link is gone (tsr_hal_uart_getc() returns -1). */
void tsr_runner_run(void);
/* Peak stack use in bytes since boot, measured from the painted region. */
uint32_t tsr_stack_peak(void);

#endif /* TSR_RUNNER_H */
