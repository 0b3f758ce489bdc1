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

#define TSR_BOARD_UART_POLL() tsr_uart_nrf_poll(TSR_NRF_UART0)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_nrf_write(TSR_NRF_UART0, (data), (len))
#include "tsr_board_hal.h"

void tsr_hal_init(void)
{
    tsr_uart_nrf_init(TSR_NRF_UART0, UART_TX_PIN, UART_RX_PIN, TSR_NRF_BAUD_115200);
    tsr_systick_start();
    tsr_board_describe("microbit", TSR_COUNTER_INSTRUCTIONS);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
