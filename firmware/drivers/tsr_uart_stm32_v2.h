/*
 * tsr_uart_stm32_v2.h - the USART of the newer STM32 families (L4, F7, G4, H7): CR1 +0x00 (bit 0 UE,
 * bit 2 RE, bit 3 TE), CR2 +0x04, CR3 +0x08, BRR +0x0C, ISR +0x1C (bit 3 ORE, bit 5 RXNE, bit 6 TC,
 * bit 7 TXE), ICR +0x20 (bit 3 ORECF), RDR +0x24, TDR +0x28. Unlike the STM32F4 USART (tsr_uart_stm32f4)
 * status, receive and transmit are separate registers and an overrun must be cleared through ICR.
 * The driver owns only the USART's registers: the board turns on its clocks and pins first.
 */
#ifndef TSR_UART_STM32_V2_H
#define TSR_UART_STM32_V2_H

#include <stddef.h>
#include <stdint.h>

#define TSR_STM32L4_USART1 0x40013800u
#define TSR_STM32H7_USART3 0x40004800u

/* BRR for 16x oversampling: the kernel clock over the baud rate, rounded. */
uint32_t tsr_uart_stm32_v2_brr(uint32_t kernel_clock_hz, uint32_t baud);
/* 8N1, transmitter and receiver on, with baud register value brr. */
void tsr_uart_stm32_v2_init(uintptr_t base, uint32_t brr);
/* One received byte (0..255), or -1 when none is waiting; an overrun is cleared so reception goes on. */
int tsr_uart_stm32_v2_poll(uintptr_t base);
/* Send len bytes, waiting for the transmit register to empty before each. */
void tsr_uart_stm32_v2_write(uintptr_t base, const uint8_t *data, size_t len);

#endif /* TSR_UART_STM32_V2_H */
