/*
 * board.c - HAL of QEMU's netduinoplus2 (STM32F405, Cortex-M4F): USART1 through the shared STM32F4
 * USART driver (the same peripheral a NUCLEO-F429ZI uses), the shared SysTick counter of emulated
 * instructions, the simulated sensor and semihosting exit. QEMU needs no clock or pin setup; a real
 * STM32F4 board adds RCC and GPIO configuration before tsr_uart_stm32f4_init.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_stm32f4.h"

#define UART TSR_STM32F4_USART1
#define APB2_HZ (TSR_CLOCK_HZ / 2u)
#define BAUD 115200u

static tsr_board_info_t g_board;

void tsr_hal_init(void)
{
    tsr_uart_stm32f4_init(UART, tsr_uart_stm32f4_brr(APB2_HZ, BAUD));
    tsr_systick_start();
    g_board.name = "netduinoplus2";
    g_board.clock_hz = TSR_CLOCK_HZ;
    g_board.counter_kind = TSR_COUNTER_INSTRUCTIONS;
    tsr_cortexm_memory_info(&g_board);
}

const tsr_board_info_t *tsr_hal_board(void) { return &g_board; }

int tsr_hal_uart_poll(void) { return tsr_uart_stm32f4_poll(UART); }

int tsr_hal_uart_getc(void)
{
    int c;
    while ((c = tsr_uart_stm32f4_poll(UART)) < 0) {
    }
    return c;
}

void tsr_hal_uart_write(const uint8_t *data, size_t len) { tsr_uart_stm32f4_write(UART, data, len); }

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
