/*
 * tsr_hal.h - the whole hardware abstraction a board provides to the TinyStudio runtime:
 * a byte UART, a monotonic counter, a sensor, a delay, an exit, and facts about the board.
 * Everything else (protocol, model, DSP, stack measurement) is portable C99 in firmware/runtime.
 */
#ifndef TSR_HAL_H
#define TSR_HAL_H

#include <stddef.h>
#include <stdint.h>

/* What one unit of tsr_hal_counter() means (reported by HELLO). */
#define TSR_COUNTER_CYCLES 0u       /* true CPU cycles */
#define TSR_COUNTER_INSTRUCTIONS 1u /* emulated instructions (QEMU -icount) */
#define TSR_COUNTER_MICROSECONDS 2u /* wall-clock microseconds */

typedef struct {
    const char *name;          /* board name, e.g. "mps2-an386" */
    uint32_t clock_hz;         /* core clock */
    uint32_t counter_kind;     /* one of TSR_COUNTER_* */
    uint32_t flash_budget;     /* bytes of flash the build was linked for (0 = unknown) */
    uint32_t ram_budget;       /* bytes of RAM the build was linked for (0 = unknown) */
    uint32_t flash_used;       /* bytes of flash the image occupies (0 = unknown) */
    uint32_t ram_used;         /* static RAM: .data + .bss (0 = unknown) */
    uint32_t *stack_low;       /* lowest address of the painted stack region */
    uint32_t *stack_high;      /* one past the highest address of the stack region */
} tsr_board_info_t;

/* Prepare UART, counter and sensor. Called once before the runner starts. */
void tsr_hal_init(void);
/* Facts about this board; the pointer stays valid forever. */
const tsr_board_info_t *tsr_hal_board(void);
/* Block until one byte arrives; return it (0..255), or -1 when the link is gone for good. */
int tsr_hal_uart_getc(void);
/* Return one byte if one is waiting (0..255), otherwise -1 at once. */
int tsr_hal_uart_poll(void);
/* Write len bytes, blocking until they are queued. */
void tsr_hal_uart_write(const uint8_t *data, size_t len);
/* Monotonic counter in the unit given by counter_kind; wraps modulo 2^32. */
uint32_t tsr_hal_counter(void);
/* Read one sensor sample into values (at most max_values axes); return the axis count. */
uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values);
/* Wait about us microseconds (of the board's notion of time). */
void tsr_hal_delay_us(uint32_t us);
/* Stop the board (QEMU: semihosting exit; host: process exit). */
void tsr_hal_exit(int code);

/* Fill value for stack painting: the runtime counts words that still hold it. */
#define TSR_STACK_PAINT 0xA5A5A5A5u

#endif /* TSR_HAL_H */
