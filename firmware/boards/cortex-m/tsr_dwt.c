/*
 * tsr_dwt.c - tsr_hal_counter and tsr_hal_delay_us from the DWT cycle counter, for real boards whose
 * core has one (Cortex-M3/M4/M7/M33/M55): true processor cycles, 32 bits, wrapping modulo 2^32 like
 * every tsr_hal_counter (the runtime only takes differences).
 */
#include "tsr_cortexm.h"

#ifndef TSR_COUNTER_PER_US
#error "the build defines TSR_COUNTER_PER_US (cycles per microsecond)"
#endif

#define DEMCR (*(volatile uint32_t *)0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)
#define DWT_LAR (*(volatile uint32_t *)0xE0001FB0u)
#define DWT_LAR_KEY 0xC5ACCE55u

void Fault_Handler(void);
void SysTick_Handler(void);

/* SysTick never runs on a board counting with the DWT: its interrupt is a stray one, as in tsr_startup.c. */
void SysTick_Handler(void) { Fault_Handler(); }

void tsr_dwt_start(void)
{
    DEMCR |= DEMCR_TRCENA; /* the trace block (DWT, ITM) on */
    DWT_LAR = DWT_LAR_KEY; /* unlock where the lock is implemented (Cortex-M7); ignored elsewhere */
    DWT_CYCCNT = 0u;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
}

uint32_t tsr_hal_counter(void) { return DWT_CYCCNT; }

void tsr_hal_delay_us(uint32_t us)
{
    uint32_t start = DWT_CYCCNT;
    uint32_t wait = us * TSR_COUNTER_PER_US;
    while (DWT_CYCCNT - start < wait) {
    }
}
