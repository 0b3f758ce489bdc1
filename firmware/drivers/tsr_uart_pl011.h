/*
 * tsr_uart_pl011.h - Arm's PrimeCell UART (PL011), as on the RP2040 (UART0 at 0x40034000): DR +0x00,
 * FR +0x18 (bit 4 RXFE, bit 5 TXFF), IBRD +0x24, FBRD +0x28, LCR_H +0x2C (bits 6:5 WLEN, bit 4 FEN),
 * CR +0x30 (bit 0 UARTEN, bit 8 TXE, bit 9 RXE). The driver owns only these registers: the board takes
 * the UART out of reset, gives it its clock and routes the pins first.
 */
#ifndef TSR_UART_PL011_H
#define TSR_UART_PL011_H

#include <stddef.h>
#include <stdint.h>

#define TSR_RP2040_UART0 0x40034000u

/* 8N1 with FIFOs at baud from a peripheral clock of clock_hz (divisor 64ths, rounded). */
void tsr_uart_pl011_init(uintptr_t base, uint32_t clock_hz, uint32_t baud);
/* One received byte (0..255), or -1 when none is waiting. */
int tsr_uart_pl011_poll(uintptr_t base);
/* Send len bytes, waiting for room in the transmit FIFO before each. */
void tsr_uart_pl011_write(uintptr_t base, const uint8_t *data, size_t len);

#endif /* TSR_UART_PL011_H */
