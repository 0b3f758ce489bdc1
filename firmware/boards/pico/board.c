/*
 * board.c - HAL of the Raspberry Pi Pico (RP2040, Cortex-M0+): 125 MHz from the 12 MHz crystal through
 * PLL_SYS (clk_peri = clk_sys), UART0 on GP0 TX / GP1 RX through the shared PL011 driver, the SysTick
 * counter of true cycles (the M0+ has no DWT cycle counter), the simulated sensor and reset on exit.
 * Code runs in place from the QSPI flash that boot2_w25q080.S set up.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_pl011.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define CLEAR_ALIAS 0x3000u /* writing 1s to base + 0x3000 clears those bits atomically */

#define RESETS 0x4000C000u
#define RESETS_RESET REG(RESETS + 0x0u)
#define RESETS_RESET_CLR REG(RESETS + CLEAR_ALIAS + 0x0u)
#define RESETS_DONE REG(RESETS + 0x8u)
#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_PLL_SYS (1u << 12)
#define RESET_UART0 (1u << 22)

#define XOSC 0x40024000u
#define XOSC_CTRL REG(XOSC + 0x00u)
#define XOSC_STATUS REG(XOSC + 0x04u)
#define XOSC_STARTUP REG(XOSC + 0x0Cu)
#define XOSC_CTRL_1_15MHZ 0xAA0u
#define XOSC_CTRL_ENABLE (0xFABu << 12)
#define XOSC_STATUS_STABLE (1u << 31)
#define XOSC_STARTUP_DELAY 47u /* about 1 ms at 12 MHz: ((12 MHz / 1000) + 128) / 256 */

#define CLOCKS 0x40008000u
#define CLK_REF_CTRL REG(CLOCKS + 0x30u)
#define CLK_REF_SELECTED REG(CLOCKS + 0x38u)
#define CLK_SYS_CTRL REG(CLOCKS + 0x3Cu)
#define CLK_SYS_DIV REG(CLOCKS + 0x40u)
#define CLK_SYS_SELECTED REG(CLOCKS + 0x44u)
#define CLK_PERI_CTRL REG(CLOCKS + 0x48u)
#define CLK_REF_SRC_XOSC 2u
#define CLK_SYS_SRC_REF 0u
#define CLK_SYS_SRC_AUX 1u /* AUXSRC 0: PLL_SYS */
#define CLK_PERI_ENABLE (1u << 11) /* AUXSRC 0: clk_sys */

#define PLL_SYS 0x40028000u
#define PLL_CS REG(PLL_SYS + 0x0u)
#define PLL_PWR REG(PLL_SYS + 0x4u)
#define PLL_FBDIV_INT REG(PLL_SYS + 0x8u)
#define PLL_PRIM REG(PLL_SYS + 0xCu)
#define PLL_CS_LOCK (1u << 31)
#define PLL_PWR_PD (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD (1u << 5)
/* 12 MHz / REFDIV 1 x FBDIV 125 = 1500 MHz VCO, / POSTDIV1 6 / POSTDIV2 2 = 125 MHz. */
#define PLL_REFDIV 1u
#define PLL_FBDIV 125u
#define PLL_POSTDIV1 6u
#define PLL_POSTDIV2 2u

#define IO_BANK0_GPIO_CTRL(n) REG(0x40014000u + 0x04u + 8u * (n))
#define GPIO_FUNC_UART 2u

#define UART TSR_RP2040_UART0
#define BAUD 115200u

#if TSR_CLOCK_HZ != 125000000
#error "the Pico clock setup below gives 125 MHz: the registry's clock_hz must say so"
#endif

#define TSR_BOARD_UART_POLL() tsr_uart_pl011_poll(UART)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_pl011_write(UART, (data), (len))
#include "tsr_board_hal.h"

static void unreset(uint32_t bits)
{
    RESETS_RESET_CLR = bits;
    while ((RESETS_DONE & bits) != bits) {
    }
}

static void clock_init(void)
{
    XOSC_CTRL = XOSC_CTRL_1_15MHZ;
    XOSC_STARTUP = XOSC_STARTUP_DELAY;
    XOSC_CTRL = XOSC_CTRL_1_15MHZ | XOSC_CTRL_ENABLE;
    while (!(XOSC_STATUS & XOSC_STATUS_STABLE)) {
    }
    CLK_REF_CTRL = CLK_REF_SRC_XOSC;
    while (CLK_REF_SELECTED != (1u << CLK_REF_SRC_XOSC)) {
    }
    CLK_SYS_CTRL = CLK_SYS_SRC_REF; /* run from clk_ref while PLL_SYS is configured */
    while (CLK_SYS_SELECTED != (1u << CLK_SYS_SRC_REF)) {
    }
    RESETS_RESET |= RESET_PLL_SYS;
    unreset(RESET_PLL_SYS);
    PLL_CS = PLL_REFDIV;
    PLL_FBDIV_INT = PLL_FBDIV;
    PLL_PWR &= ~(PLL_PWR_PD | PLL_PWR_VCOPD);
    while (!(PLL_CS & PLL_CS_LOCK)) {
    }
    PLL_PRIM = (PLL_POSTDIV1 << 16) | (PLL_POSTDIV2 << 12);
    PLL_PWR &= ~PLL_PWR_POSTDIVPD;
    CLK_SYS_DIV = 1u << 8; /* integer divider 1 */
    CLK_SYS_CTRL = CLK_SYS_SRC_AUX;
    while (CLK_SYS_SELECTED != (1u << CLK_SYS_SRC_AUX)) {
    }
    CLK_PERI_CTRL = CLK_PERI_ENABLE;
}

void tsr_hal_init(void)
{
    clock_init();
    unreset(RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0);
    tsr_uart_pl011_init(UART, TSR_CLOCK_HZ, BAUD); /* clk_peri = clk_sys */
    IO_BANK0_GPIO_CTRL(0) = GPIO_FUNC_UART;          /* GP0: UART0 TX */
    IO_BANK0_GPIO_CTRL(1) = GPIO_FUNC_UART;          /* GP1: UART0 RX */
    tsr_systick_start();
    tsr_board_describe("pico", TSR_COUNTER_CYCLES);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
