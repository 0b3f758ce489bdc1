/*
 * board.c - HAL of the nRF52840 DK (nRF52840, Cortex-M4F at 64 MHz): the 32 MHz crystal started for an
 * accurate baud rate, UART0 on P0.06 TX / P0.08 RX (wired to the J-Link's virtual COM port) through the
 * shared Nordic legacy UART driver (the one QEMU's microbit runs in the test suite), the DWT cycle
 * counter, the simulated sensor (the DK has none) and reset on exit.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_nrf.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define CLOCK_TASKS_HFCLKSTART REG(0x40000000u)
#define CLOCK_EVENTS_HFCLKSTARTED REG(0x40000100u)
#define P0_OUTSET REG(0x50000508u)
#define P0_PIN_CNF(n) REG(0x50000700u + 4u * (n))
#define PIN_CNF_OUTPUT 1u                     /* DIR output, input buffer connected */
#define PIN_CNF_INPUT_PULLUP ((3u << 2) | 0u) /* DIR input, input buffer connected, pull-up */

#define UART_TX_PIN 6u /* P0.06: pin | port << 5 */
#define UART_RX_PIN 8u /* P0.08 */

#if TSR_CLOCK_HZ != 64000000
#error "the nRF52840 runs at 64 MHz: the registry's clock_hz must say so"
#endif

#define TSR_BOARD_UART_POLL() tsr_uart_nrf_poll(TSR_NRF_UART0)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_nrf_write(TSR_NRF_UART0, (data), (len))
#include "tsr_board_hal.h"

void tsr_hal_init(void)
{
    CLOCK_EVENTS_HFCLKSTARTED = 0u;
    CLOCK_TASKS_HFCLKSTART = 1u;
    while (!CLOCK_EVENTS_HFCLKSTARTED) {
    }
    P0_OUTSET = 1u << UART_TX_PIN; /* TX idles high */
    P0_PIN_CNF(UART_TX_PIN) = PIN_CNF_OUTPUT;
    P0_PIN_CNF(UART_RX_PIN) = PIN_CNF_INPUT_PULLUP;
    tsr_uart_nrf_init(TSR_NRF_UART0, UART_TX_PIN, UART_RX_PIN, TSR_NRF_BAUD_115200);
    tsr_dwt_start();
    tsr_board_describe("nrf52840dk", TSR_COUNTER_CYCLES);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
