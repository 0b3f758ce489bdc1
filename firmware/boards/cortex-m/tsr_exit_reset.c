/*
 * tsr_exit_reset.c - tsr_hal_exit for a real board, where nothing ends the program: a clean end (the host
 * said BYE) resets the chip so the runner waits for the next session; a fault stops here, so a debugger
 * attached through the probe finds the core where it failed.
 */
#include "tsr_hal.h"

#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_SYSRESETREQ (0x05FAu << 16 | 1u << 2)

void tsr_hal_exit(int code)
{
    if (code == 0) {
        __asm__ volatile("dsb" ::: "memory");
        SCB_AIRCR = AIRCR_SYSRESETREQ;
        __asm__ volatile("dsb" ::: "memory");
    }
    for (;;) {
    }
}
