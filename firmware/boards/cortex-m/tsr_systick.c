/*
 * tsr_systick.c - tsr_hal_counter and tsr_hal_delay_us from SysTick: a 24-bit down-counter at the
 * processor clock, extended by counting its wraps in the interrupt (see tsr_cortexm.h for the unit).
 */
#include "tsr_cortexm.h"

#ifndef TSR_COUNTER_PER_TICK_NUM
#error "the build defines TSR_COUNTER_PER_TICK_NUM and TSR_COUNTER_PER_TICK_DEN"
#endif
#ifndef TSR_COUNTER_PER_US
#error "the build defines TSR_COUNTER_PER_US (counter units per microsecond)"
#endif

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)
#define SYSTICK_MAX 0x00FFFFFFu

static volatile uint32_t g_systick_wraps;

void SysTick_Handler(void) { g_systick_wraps++; }

void tsr_systick_start(void)
{
    SYST_RVR = SYSTICK_MAX;
    SYST_CVR = 0u;
    SYST_CSR = 7u; /* enable, interrupt on wrap, processor clock */
    __asm__ volatile("cpsie i" ::: "memory"); /* the wrap interrupt counts (a boot loader may leave it masked) */
    while (SYST_CVR == 0u) {
        /* The count reads 0 until the first reload. */
    }
}

uint32_t tsr_hal_counter(void)
{
    for (;;) {
        uint32_t wraps = g_systick_wraps;
        uint32_t value = SYST_CVR;
        uint32_t pending = SCB_ICSR & ICSR_PENDSTSET;
        if (g_systick_wraps != wraps) {
            continue; /* the interrupt ran in between: read again */
        }
        if (pending && value > SYSTICK_MAX / 2u) {
            wraps++; /* wrapped before CVR was read, interrupt not taken yet */
        }
#if TSR_COUNTER_PER_TICK_DEN == 1
        return (wraps * (SYSTICK_MAX + 1u) + (SYSTICK_MAX - value)) * TSR_COUNTER_PER_TICK_NUM;
#else
        /* A fractional ratio: scale the full 56-bit tick count so the result wraps modulo 2^32 evenly. */
        return (uint32_t)((((uint64_t)wraps << 24) + (SYSTICK_MAX - value)) * TSR_COUNTER_PER_TICK_NUM /
                          TSR_COUNTER_PER_TICK_DEN);
#endif
    }
}

void tsr_hal_delay_us(uint32_t us)
{
    uint32_t start = tsr_hal_counter();
    uint32_t wait = us * TSR_COUNTER_PER_US;
    while (tsr_hal_counter() - start < wait) {
    }
}
