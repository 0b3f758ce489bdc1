/*
 * tsr_uart_stm32f4.h - the USART of the STM32F4 family (the same block on F405, F407, F429 and F446):
 * SR +0x00 (bit 5 RXNE, bit 6 TC, bit 7 TXE), DR +0x04, BRR +0x08, CR1 +0x0C (bit 13 UE, bit 3 TE,
 * bit 2 RE). The driver owns only the USART's registers: a real board first turns on the USART's and
 * the GPIO port's clocks in RCC and puts the TX/RX pins in their alternate function, then calls init
 * with the BRR value for its bus clock (tsr_uart_stm32f4_brr).
 */
#ifndef TSR_UART_STM32F4_H
#define TSR_UART_STM32F4_H

#include <stddef.h>
#include <stdint.h>

/* USART1 and USART6 sit on APB2, USART2/3 and UART4/5 on APB1. */
#define TSR_STM32F4_USART1 0x40011000u
#define TSR_STM32F4_USART2 0x40004400u
#define TSR_STM32F4_USART3 0x40004800u
#define TSR_STM32F4_USART6 0x40011400u

/* BRR for 16x oversampling: the bus clock over the baud rate, rounded to the nearest 1/16. */
uint32_t tsr_uart_stm32f4_brr(uint32_t bus_clock_hz, uint32_t baud);
/* 8N1, transmitter and receiver on, with baud register value brr. */
void tsr_uart_stm32f4_init(uintptr_t base, uint32_t brr);
/* One received byte (0..255), or -1 when none is waiting (an overrun is cleared by the same read). */
int tsr_uart_stm32f4_poll(uintptr_t base);
/* Send len bytes, waiting for the transmit register to empty before each. */
void tsr_uart_stm32f4_write(uintptr_t base, const uint8_t *data, size_t len);
/* Wait until the last byte has left the shift register (before a reset or sleep). */
void tsr_uart_stm32f4_flush(uintptr_t base);

#endif /* TSR_UART_STM32F4_H */
