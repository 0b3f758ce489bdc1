/*
 * tsr_memory.c - the memory facts every Cortex-M board reports in HELLO: budgets the build linked for,
 * flash and static RAM the image uses, and the stack region, all from the linker script's symbols.
 */
#include "tsr_cortexm.h"

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
