/*
 * tsr_uart_nrf.h - the legacy UART of Nordic's nRF51 (UART0) and nRF52 (UART0 of the nRF52832 and
 * nRF52840): tasks STARTRX +0x000, STARTTX +0x008, events RXDRDY +0x108, TXDRDY +0x11C, ENABLE +0x500
 * (4 = on), PSEL TXD +0x50C, PSEL RXD +0x514, RXD +0x518, TXD +0x51C, BAUDRATE +0x524, CONFIG +0x56C.
 * The driver owns only those registers: a board passes its pin-select values (nRF52: pin | port << 5)
 * and sets the pins' GPIO direction itself where its datasheet asks for it.
 */
#ifndef TSR_UART_NRF_H
#define TSR_UART_NRF_H

#include <stddef.h>
#include <stdint.h>

#define TSR_NRF_UART0 0x40002000u
#define TSR_NRF_BAUD_115200 0x01D7E000u
#define TSR_NRF_PIN_DISCONNECTED 0xFFFFFFFFu

/* 8N1 without flow control at the BAUDRATE register value baud; start the receiver and transmitter. */
void tsr_uart_nrf_init(uintptr_t base, uint32_t psel_txd, uint32_t psel_rxd, uint32_t baud);
/* One received byte (0..255), or -1 when none is waiting. */
int tsr_uart_nrf_poll(uintptr_t base);
/* Send len bytes, each waiting for the previous one's TXDRDY event. */
void tsr_uart_nrf_write(uintptr_t base, const uint8_t *data, size_t len);

#endif /* TSR_UART_NRF_H */
