/*
 * tsr_board_hal.h - the part of a Cortex-M board's HAL that is the same on every board: the board record
 * and the UART entry points over the board's UART driver. A board.c defines TSR_BOARD_UART_POLL() and
 * TSR_BOARD_UART_WRITE(data, len) as its driver's calls, includes this file once, and ends its
 * tsr_hal_init with tsr_board_describe(its name, its counter kind).
 */
#ifndef TSR_BOARD_HAL_H
#define TSR_BOARD_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"

#if !defined(TSR_BOARD_UART_POLL) || !defined(TSR_BOARD_UART_WRITE)
#error "define TSR_BOARD_UART_POLL() and TSR_BOARD_UART_WRITE(data, len) before including tsr_board_hal.h"
#endif

static tsr_board_info_t g_board;

/* The record HELLO reports: name, clock, counter kind and the linker's memory figures. */
static void tsr_board_describe(const char *name, uint32_t counter_kind)
{
    g_board.name = name;
    g_board.clock_hz = TSR_CLOCK_HZ;
    g_board.counter_kind = counter_kind;
    tsr_cortexm_memory_info(&g_board);
}

const tsr_board_info_t *tsr_hal_board(void) { return &g_board; }

int tsr_hal_uart_poll(void) { return TSR_BOARD_UART_POLL(); }

int tsr_hal_uart_getc(void)
{
    int c;
    while ((c = TSR_BOARD_UART_POLL()) < 0) {
    }
    return c;
}

void tsr_hal_uart_write(const uint8_t *data, size_t len) { TSR_BOARD_UART_WRITE(data, len); }

#endif
