/*
 * tsr_uart_nrf.c - polled driver of the Nordic legacy UART (see tsr_uart_nrf.h).
 */
#include "tsr_uart_nrf.h"

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))
#define TASKS_STARTRX 0x000u
#define TASKS_STARTTX 0x008u
#define EVENTS_RXDRDY 0x108u
#define EVENTS_TXDRDY 0x11Cu
#define ENABLE 0x500u
#define PSELRTS 0x508u
#define PSELTXD 0x50Cu
#define PSELCTS 0x510u
#define PSELRXD 0x514u
#define RXD 0x518u
#define TXD 0x51Cu
#define BAUDRATE 0x524u
#define CONFIG 0x56Cu
#define ENABLE_UART 4u

void tsr_uart_nrf_init(uintptr_t base, uint32_t psel_txd, uint32_t psel_rxd, uint32_t baud)
{
    REG(base, ENABLE) = 0u;
    REG(base, PSELTXD) = psel_txd;
    REG(base, PSELRXD) = psel_rxd;
    REG(base, PSELRTS) = TSR_NRF_PIN_DISCONNECTED;
    REG(base, PSELCTS) = TSR_NRF_PIN_DISCONNECTED;
    REG(base, BAUDRATE) = baud;
    REG(base, CONFIG) = 0u; /* no parity, no flow control */
    REG(base, ENABLE) = ENABLE_UART;
    REG(base, EVENTS_RXDRDY) = 0u;
    REG(base, EVENTS_TXDRDY) = 0u;
    REG(base, TASKS_STARTRX) = 1u;
    REG(base, TASKS_STARTTX) = 1u;
}

int tsr_uart_nrf_poll(uintptr_t base)
{
    if (REG(base, EVENTS_RXDRDY)) {
        REG(base, EVENTS_RXDRDY) = 0u; /* clear before reading RXD, so a byte behind it raises it again */
        return (int)(REG(base, RXD) & 0xFFu);
    }
    return -1;
}

void tsr_uart_nrf_write(uintptr_t base, const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        REG(base, EVENTS_TXDRDY) = 0u;
        REG(base, TXD) = data[i];
        while (!REG(base, EVENTS_TXDRDY)) {
        }
    }
}
