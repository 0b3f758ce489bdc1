/*
 * board.c - HAL of QEMU's mps2-an386 (Cortex-M4F): CMSDK UART0, a SysTick counter of emulated
 * instructions (deterministic under -icount shift=0,align=off,sleep=off, where one SysTick tick at
 * 25 MHz is 40 instructions), the simulated sensor, and semihosting exit.
 */
#include <stdint.h>

#include "tsr_hal.h"
#include "tsr_runner.h"
#include "tsr_sim_sensor.h"

#ifndef TSR_FLASH_BUDGET
#define TSR_FLASH_BUDGET (1024u * 1024u)
#endif
#ifndef TSR_RAM_BUDGET
#define TSR_RAM_BUDGET (256u * 1024u)
#endif

#define CLOCK_HZ 25000000u
#define INSTRUCTIONS_PER_TICK 40u /* -icount shift=0: 1 instruction = 1 ns; SysTick tick = 40 ns */

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define UART_TX_FULL 0x1u
#define UART_RX_FULL 0x2u

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)
#define SYSTICK_MAX 0x00FFFFFFu

extern uint32_t _ebss;
extern uint32_t _estack;
extern uint32_t __flash_used;
extern uint32_t __ram_used;

static volatile uint32_t g_systick_wraps;
static tsr_board_info_t g_board;

void SysTick_Handler(void) { g_systick_wraps++; }

void tsr_hal_init(void)
{
    UART_BAUDDIV = 16u;
    UART_CTRL = 3u;
    SYST_RVR = SYSTICK_MAX;
    SYST_CVR = 0u;
    SYST_CSR = 7u; /* enable, interrupt on wrap, processor clock */
    while (SYST_CVR == 0u) {
        /* The count reads 0 until the first reload. */
    }
    g_board.name = "mps2-an386";
    g_board.clock_hz = CLOCK_HZ;
    g_board.counter_kind = TSR_COUNTER_INSTRUCTIONS;
    g_board.flash_budget = TSR_FLASH_BUDGET;
    g_board.ram_budget = TSR_RAM_BUDGET;
    g_board.flash_used = (uint32_t)(uintptr_t)&__flash_used;
    g_board.ram_used = (uint32_t)(uintptr_t)&__ram_used;
    g_board.stack_low = &_ebss;
    g_board.stack_high = &_estack;
}

const tsr_board_info_t *tsr_hal_board(void) { return &g_board; }

int tsr_hal_uart_poll(void)
{
    if (UART_STATE & UART_RX_FULL) {
        return (int)(UART_DATA & 0xFFu);
    }
    return -1;
}

int tsr_hal_uart_getc(void)
{
    while (!(UART_STATE & UART_RX_FULL)) {
    }
    return (int)(UART_DATA & 0xFFu);
}

void tsr_hal_uart_write(const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        while (UART_STATE & UART_TX_FULL) {
        }
        UART_DATA = data[i];
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
        return (wraps * (SYSTICK_MAX + 1u) + (SYSTICK_MAX - value)) * INSTRUCTIONS_PER_TICK;
    }
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}

void tsr_hal_delay_us(uint32_t us)
{
    uint32_t start = tsr_hal_counter();
    uint32_t wait = us * 1000u; /* 1 instruction = 1 ns of virtual time */
    while (tsr_hal_counter() - start < wait) {
    }
}

void tsr_hal_exit(int code)
{
    /* Semihosting SYS_EXIT: ADP_Stopped_ApplicationExit ends QEMU with 0, anything else with 1. */
    register uint32_t r0 __asm__("r0") = 0x18u;
    register uint32_t r1 __asm__("r1") = code == 0 ? 0x20026u : 0x20023u;
    __asm__ volatile("bkpt 0xAB" : : "r"(r0), "r"(r1) : "memory");
    for (;;) {
    }
}

int main(void)
{
    tsr_hal_init();
    tsr_runner_run();
    return 0;
}
