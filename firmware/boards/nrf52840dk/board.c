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

static tsr_board_info_t g_board;

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
    g_board.name = "nrf52840dk";
    g_board.clock_hz = TSR_CLOCK_HZ;
    g_board.counter_kind = TSR_COUNTER_CYCLES;
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
