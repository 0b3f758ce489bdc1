/*
 * tsr_cortexm.h - what every Cortex-M board shares: the counter behind tsr_hal_counter (SysTick in the
 * unit the board's counter kind names, or the DWT cycle counter of a real board whose core has one) and
 * the linker symbols describing its memory.
 *
 * The build passes TSR_COUNTER_PER_TICK_NUM / _DEN: counter units per SysTick tick. A board that counts
 * cycles uses 1/1; an emulated board under QEMU's -icount shift=0 (one instruction = 1 ns of virtual
 * time) counts emulated instructions, 10^9 / clock per tick (40/1 at 25 MHz, 125/2 at 16 MHz).
 */
#ifndef TSR_CORTEXM_H
#define TSR_CORTEXM_H

#include <stdint.h>

#include "tsr_hal.h"

extern uint32_t _ebss;
extern uint32_t _estack;
extern uint32_t __flash_used;
extern uint32_t __ram_used;

/* Start SysTick from the processor clock, free-running with a wrap interrupt; returns once it counts. */
void tsr_systick_start(void);

/* Start the DWT cycle counter (tsr_dwt.c, real boards whose core has one). */
void tsr_dwt_start(void);

/* Fill the memory facts of info from the linker symbols (flash/RAM used, stack region, budgets). */
void tsr_cortexm_memory_info(tsr_board_info_t *info);

#endif /* TSR_CORTEXM_H */
