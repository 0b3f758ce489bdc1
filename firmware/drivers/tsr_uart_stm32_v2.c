/*
 * tsr_uart_stm32_v2.c - polled driver of the L4/F7/G4/H7 STM32 USART (see tsr_uart_stm32_v2.h).
 */
#include "tsr_uart_stm32_v2.h"

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))
#define CR1 0x00u
#define CR2 0x04u
#define CR3 0x08u
#define BRR 0x0Cu
#define ISR 0x1Cu
#define ICR 0x20u
#define RDR 0x24u
#define TDR 0x28u
#define CR1_UE (1u << 0)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define ISR_ORE (1u << 3)
#define ISR_RXNE (1u << 5)
#define ISR_TXE (1u << 7)
#define ICR_ORECF (1u << 3)

uint32_t tsr_uart_stm32_v2_brr(uint32_t kernel_clock_hz, uint32_t baud)
{
    return (kernel_clock_hz + baud / 2u) / baud;
}

void tsr_uart_stm32_v2_init(uintptr_t base, uint32_t brr)
{
    REG(base, CR1) = 0u; /* UE off while configuring; 8 data bits, no parity, 16x oversampling */
    REG(base, CR2) = 0u; /* one stop bit */
    REG(base, CR3) = 0u; /* no flow control, no DMA */
    REG(base, BRR) = brr;
    REG(base, CR1) = CR1_UE | CR1_TE | CR1_RE;
}

int tsr_uart_stm32_v2_poll(uintptr_t base)
{
    uint32_t isr = REG(base, ISR);
    if (isr & ISR_RXNE) {
        return (int)(REG(base, RDR) & 0xFFu);
    }
    if (isr & ISR_ORE) {
        REG(base, ICR) = ICR_ORECF; /* an overrun blocks reception until cleared */
    }
    return -1;
}

void tsr_uart_stm32_v2_write(uintptr_t base, const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        while (!(REG(base, ISR) & ISR_TXE)) {
        }
        REG(base, TDR) = data[i];
    }
}
