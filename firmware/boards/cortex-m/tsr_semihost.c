/*
 * tsr_semihost.c - tsr_hal_exit for an emulated board: semihosting SYS_EXIT, which ends QEMU
 * (started with -semihosting-config enable=on) with exit code 0 for 0 and 1 for anything else.
 */
#include "tsr_hal.h"

void tsr_hal_exit(int code)
{
    register uint32_t r0 __asm__("r0") = 0x18u;
    register uint32_t r1 __asm__("r1") = code == 0 ? 0x20026u : 0x20023u; /* ApplicationExit : RunTimeError */
    __asm__ volatile("bkpt 0xAB" : : "r"(r0), "r"(r1) : "memory");
    for (;;) {
    }
}
