/*
 * tsr_cmsdk_board.h - the HAL shared by QEMU's MPS2/MPS3 machines, which differ only in where their CMSDK
 * UART0 sits: CMSDK UART0, the shared SysTick counter of emulated instructions (tsr_systick.c), the
 * simulated sensor and semihosting exit. A board's board.c defines TSR_BOARD_NAME and TSR_CMSDK_UART0_BASE,
 * then includes this file once.
 */
#ifndef TSR_CMSDK_BOARD_H
#define TSR_CMSDK_BOARD_H

#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_cmsdk.h"

#if !defined(TSR_BOARD_NAME) || !defined(TSR_CMSDK_UART0_BASE)
#error "define TSR_BOARD_NAME and TSR_CMSDK_UART0_BASE before including tsr_cmsdk_board.h"
#endif

#define TSR_BOARD_UART_POLL() tsr_uart_cmsdk_poll(TSR_CMSDK_UART0_BASE)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_cmsdk_write(TSR_CMSDK_UART0_BASE, (data), (len))
#include "tsr_board_hal.h"

void tsr_hal_init(void)
{
    tsr_uart_cmsdk_init(TSR_CMSDK_UART0_BASE, 16u);
    tsr_systick_start();
    tsr_board_describe(TSR_BOARD_NAME, TSR_COUNTER_INSTRUCTIONS);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}

#endif
