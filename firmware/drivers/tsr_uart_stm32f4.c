/*
 * tsr_uart_stm32f4.c - polled driver of the STM32F4 USART (see tsr_uart_stm32f4.h).
 */
#include "tsr_uart_stm32f4.h"

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))
#define SR 0x00u
#define DR 0x04u
#define BRR 0x08u
#define CR1 0x0Cu
#define CR2 0x10u
#define CR3 0x14u
#define SR_ORE (1u << 3)
#define SR_RXNE (1u << 5)
#define SR_TC (1u << 6)
#define SR_TXE (1u << 7)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_UE (1u << 13)

uint32_t tsr_uart_stm32f4_brr(uint32_t bus_clock_hz, uint32_t baud)
{
    return (bus_clock_hz + baud / 2u) / baud; /* mantissa << 4 | fraction, in sixteenths */
}

void tsr_uart_stm32f4_init(uintptr_t base, uint32_t brr)
{
    REG(base, CR1) = 0u; /* UE off while configuring */
    REG(base, CR2) = 0u; /* one stop bit */
    REG(base, CR3) = 0u; /* no flow control, no DMA */
    REG(base, BRR) = brr;
    REG(base, CR1) = CR1_UE | CR1_TE | CR1_RE; /* 8 data bits, no parity */
}

int tsr_uart_stm32f4_poll(uintptr_t base)
{
    /* Reading SR then DR clears RXNE and an overrun flag alike. */
    if (REG(base, SR) & (SR_RXNE | SR_ORE)) {
        return (int)(REG(base, DR) & 0xFFu);
    }
    return -1;
}

void tsr_uart_stm32f4_write(uintptr_t base, const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        while (!(REG(base, SR) & SR_TXE)) {
        }
        REG(base, DR) = data[i];
    }
}

void tsr_uart_stm32f4_flush(uintptr_t base)
{
    while (!(REG(base, SR) & SR_TC)) {
    }
}
