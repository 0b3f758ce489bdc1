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

#define TSR_BOARD_UART_POLL() tsr_uart_stm32f4_poll(UART)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_stm32f4_write(UART, (data), (len))
#include "tsr_board_hal.h"

void tsr_hal_init(void)
{
    tsr_uart_stm32f4_init(UART, tsr_uart_stm32f4_brr(APB2_HZ, BAUD));
    tsr_systick_start();
    tsr_board_describe("netduinoplus2", TSR_COUNTER_INSTRUCTIONS);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
