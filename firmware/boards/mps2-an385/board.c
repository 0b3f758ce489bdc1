/*
 * board.c - HAL of QEMU's mps2-an385 (Cortex-M3): CMSDK UART0 at 0x40004000, the shared SysTick counter
 * of emulated instructions (cortex-m/tsr_systick.c), the simulated sensor and semihosting exit.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_cmsdk.h"

#define UART0_BASE 0x40004000u

static tsr_board_info_t g_board;

void tsr_hal_init(void)
{
    tsr_uart_cmsdk_init(UART0_BASE, 16u);
    tsr_systick_start();
    g_board.name = "mps2-an385";
    g_board.clock_hz = TSR_CLOCK_HZ;
    g_board.counter_kind = TSR_COUNTER_INSTRUCTIONS;
    tsr_cortexm_memory_info(&g_board);
}

const tsr_board_info_t *tsr_hal_board(void) { return &g_board; }

int tsr_hal_uart_poll(void) { return tsr_uart_cmsdk_poll(UART0_BASE); }

int tsr_hal_uart_getc(void)
{
    int c;
    while ((c = tsr_uart_cmsdk_poll(UART0_BASE)) < 0) {
    }
    return c;
}

void tsr_hal_uart_write(const uint8_t *data, size_t len) { tsr_uart_cmsdk_write(UART0_BASE, data, len); }

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
