/*
 * startup.c - reset and vector table for the Cortex-M4F of QEMU's mps2-an386: turn the FPU on,
 * copy .data, clear .bss, paint the free RAM above .bss for stack measurement, then call main().
 * Any fault ends QEMU through semihosting with a non-zero exit code.
 */
#include <stdint.h>

#include "tsr_hal.h"

extern uint32_t _sidata;
extern uint32_t _sdata;
extern uint32_t _edata;
extern uint32_t _sbss;
extern uint32_t _ebss;
extern uint32_t _estack;

int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
void SysTick_Handler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

typedef void (*tsr_vector_t)(void);

__attribute__((section(".isr_vector"), used)) const tsr_vector_t g_vectors[48] = {
    (tsr_vector_t)(uintptr_t)&_estack,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMon */
    0,
    Fault_Handler, /* PendSV */
    SysTick_Handler,
    /* External interrupts: none enabled; any stray one is a fault. */
    Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler,
};

void Fault_Handler(void) { tsr_hal_exit(3); }

void Reset_Handler(void)
{
    uint32_t *src;
    uint32_t *dst;
    uint32_t *sp;
    SCB_CPACR |= 0xFu << 20; /* CP10 and CP11 full access: FPU on */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (src = &_sidata, dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (dst = &_sbss; dst < &_ebss;) {
        *dst++ = 0u;
    }
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (dst = &_ebss; dst < sp - 16; dst++) {
        *dst = TSR_STACK_PAINT;
    }
    (void)main();
    tsr_hal_exit(0);
}
