/*
 * tsr_uart_cmsdk.c - polled driver of the CMSDK APB UART (see tsr_uart_cmsdk.h).
 */
#include "tsr_uart_cmsdk.h"

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))
#define DATA 0x00u
#define STATE 0x04u
#define CTRL 0x08u
#define BAUDDIV 0x10u
#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_RX_ENABLE 0x3u

void tsr_uart_cmsdk_init(uintptr_t base, uint32_t bauddiv)
{
    REG(base, BAUDDIV) = bauddiv;
    REG(base, CTRL) = CTRL_TX_RX_ENABLE;
}

int tsr_uart_cmsdk_poll(uintptr_t base)
{
    if (REG(base, STATE) & STATE_RX_FULL) {
        return (int)(REG(base, DATA) & 0xFFu);
    }
    return -1;
}

void tsr_uart_cmsdk_write(uintptr_t base, const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        while (REG(base, STATE) & STATE_TX_FULL) {
        }
        REG(base, DATA) = data[i];
    }
}
