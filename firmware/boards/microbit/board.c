/*
 * board.c - HAL of QEMU's microbit (nRF51822, Cortex-M0, 256 KB flash, 16 KB RAM): UART0 through the
 * shared nRF legacy UART driver (the nRF52840's UART0 is the same peripheral), the shared SysTick
 * counter of emulated instructions, the simulated sensor and semihosting exit.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_nrf.h"

/* The micro:bit's interface chip serial port: TX on P0.24, RX on P0.25. */
#define UART_TX_PIN 24u
#define UART_RX_PIN 25u

static tsr_board_info_t g_board;

void tsr_hal_init(void)
{
    tsr_uart_nrf_init(TSR_NRF_UART0, UART_TX_PIN, UART_RX_PIN, TSR_NRF_BAUD_115200);
    tsr_systick_start();
    g_board.name = "microbit";
    g_board.clock_hz = TSR_CLOCK_HZ;
    g_board.counter_kind = TSR_COUNTER_INSTRUCTIONS;
    tsr_cortexm_memory_info(&g_board);
}

const tsr_board_info_t *tsr_hal_board(void) { return &g_board; }

int tsr_hal_uart_poll(void) { return tsr_uart_nrf_poll(TSR_NRF_UART0); }

int tsr_hal_uart_getc(void)
{
    int c;
    while ((c = tsr_uart_nrf_poll(TSR_NRF_UART0)) < 0) {
    }
    return c;
}

void tsr_hal_uart_write(const uint8_t *data, size_t len) { tsr_uart_nrf_write(TSR_NRF_UART0, data, len); }

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
