/*
 * tsr_startup.c - reset and vector table shared by the Cortex-M boards: turn the FPU (and on the
 * Cortex-M55 the Helium vector unit, which shares its enable) on where the core has one, copy .data,
 * clear .bss, paint the free RAM above .bss for stack measurement, then start the HAL and the runner.
 * Any fault or stray interrupt ends the board through tsr_hal_exit with a non-zero code. Also the memory
 * facts every board reports (tsr_cortexm_memory_info), from the linker script's symbols.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_runner.h"

extern uint32_t _sidata;
extern uint32_t _sdata;
extern uint32_t _edata;
extern uint32_t _sbss;
extern uint32_t _ebss;
extern uint32_t _estack;

void Reset_Handler(void);
void Fault_Handler(void);
void SysTick_Handler(void); /* tsr_systick.c counts its wraps; tsr_dwt.c treats it as a stray interrupt */

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

typedef void (*tsr_vector_t)(void);

#define F Fault_Handler
__attribute__((section(".isr_vector"), used)) const tsr_vector_t g_vectors[48] = {
    (tsr_vector_t)(uintptr_t)&_estack,
    Reset_Handler,
    F, /* NMI */
    F, /* HardFault */
    F, /* MemManage */
    F, /* BusFault */
    F, /* UsageFault */
    F, /* SecureFault (Armv8-M) */
    0, 0, 0,
    F, /* SVCall */
    F, /* DebugMon */
    0,
    F, /* PendSV */
    SysTick_Handler,
    /* External interrupts: none enabled; any stray one is a fault. */
    F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F,
};
#undef F

void Fault_Handler(void) { tsr_hal_exit(3); }

void Reset_Handler(void)
{
    uint32_t *src;
    uint32_t *dst;
    uint32_t *sp;
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    SCB_CPACR |= 0xFu << 20; /* CP10 and CP11 full access: FPU (and MVE) on */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
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
    tsr_hal_init();
    tsr_runner_run();
    tsr_hal_exit(0);
}

/* The memory facts every board reports in HELLO, from the linker script's symbols. */
void tsr_cortexm_memory_info(tsr_board_info_t *info)
{
#ifdef TSR_FLASH_BUDGET
    info->flash_budget = TSR_FLASH_BUDGET;
#endif
#ifdef TSR_RAM_BUDGET
    info->ram_budget = TSR_RAM_BUDGET;
#endif
    info->flash_used = (uint32_t)(uintptr_t)&__flash_used;
    info->ram_used = (uint32_t)(uintptr_t)&__ram_used;
    info->stack_low = &_ebss;
    info->stack_high = &_estack;
}
