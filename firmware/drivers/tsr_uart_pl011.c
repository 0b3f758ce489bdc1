/*
 * tsr_uart_pl011.c - polled driver of Arm's PL011 UART (see tsr_uart_pl011.h).
 */
#include "tsr_uart_pl011.h"

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))
#define DR 0x00u
#define FR 0x18u
#define IBRD 0x24u
#define FBRD 0x28u
#define LCR_H 0x2Cu
#define CR 0x30u
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCR_H_WLEN_8 (3u << 5)
#define LCR_H_FEN (1u << 4)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

void tsr_uart_pl011_init(uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    /* The baud divisor is clock / (16 * baud) in 1/64 steps: 8 * clock / baud, rounded, in 128ths. */
    uint32_t div128 = (8u * clock_hz + baud / 2u) / baud;
    uint32_t div64 = (div128 + 1u) / 2u;
    REG(base, CR) = 0u;
    REG(base, IBRD) = div64 >> 6;
    REG(base, FBRD) = div64 & 0x3Fu;
    REG(base, LCR_H) = LCR_H_WLEN_8 | LCR_H_FEN; /* writing LCR_H latches IBRD and FBRD */
    REG(base, CR) = CR_UARTEN | CR_TXE | CR_RXE;
}

int tsr_uart_pl011_poll(uintptr_t base)
{
    if (REG(base, FR) & FR_RXFE) {
        return -1;
    }
    return (int)(REG(base, DR) & 0xFFu);
}

void tsr_uart_pl011_write(uintptr_t base, const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        while (REG(base, FR) & FR_TXFF) {
        }
        REG(base, DR) = data[i];
    }
}
