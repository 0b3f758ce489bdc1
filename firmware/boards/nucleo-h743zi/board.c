/*
 * board.c - HAL of the NUCLEO-H743ZI (STM32H743ZI, Cortex-M7): 400 MHz, the highest clock of voltage scale
 * 1 (every silicon revision), from the ST-Link's 8 MHz MCO (HSE bypass) through PLL1; the LDO supply
 * (this board has no SMPS); flash at 2 wait states for a 200 MHz AXI clock; instruction and data caches
 * on; the ST-Link virtual COM port on USART3 (PD8 TX, PD9 RX, AF7) through the shared L4/H7 USART
 * driver; the DWT cycle counter; the simulated sensor; reset on exit.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_stm32_v2.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define PWR 0x58024800u
#define PWR_CSR1 REG(PWR + 0x04u)
#define PWR_CR3 REG(PWR + 0x0Cu)
#define PWR_D3CR REG(PWR + 0x18u)
#define CSR1_ACTVOSRDY (1u << 13)
#define CR3_LDOEN (1u << 1)
#define CR3_SCUEN (1u << 2) /* cleared by the one write: the supply configuration stays as written */
#define D3CR_VOS_SCALE1 (3u << 14)
#define D3CR_VOSRDY (1u << 13)

#define RCC 0x58024400u
#define RCC_CR REG(RCC + 0x00u)
#define RCC_CFGR REG(RCC + 0x10u)
#define RCC_D1CFGR REG(RCC + 0x18u)
#define RCC_D2CFGR REG(RCC + 0x1Cu)
#define RCC_D3CFGR REG(RCC + 0x20u)
#define RCC_PLLCKSELR REG(RCC + 0x28u)
#define RCC_PLLCFGR REG(RCC + 0x2Cu)
#define RCC_PLL1DIVR REG(RCC + 0x30u)
#define RCC_AHB4ENR REG(RCC + 0xE0u)
#define RCC_APB1LENR REG(RCC + 0xE8u)
#define CR_HSEON (1u << 16)
#define CR_HSERDY (1u << 17)
#define CR_HSEBYP (1u << 18)
#define CR_PLL1ON (1u << 24)
#define CR_PLL1RDY (1u << 25)
#define AHB4ENR_GPIOD (1u << 3)
#define APB1LENR_USART3 (1u << 18)

/* HSE 8 MHz / M 4 = 2 MHz (input range 2-4 MHz), x N 400 = 800 MHz (wide VCO), / P 2 = 400 MHz. */
#define PLLCKSELR_HSE 2u
#define PLL1_M (4u << 4)
#define PLLCFGR_PLL1RGE_2_4MHZ (1u << 2)
#define PLLCFGR_DIVP1EN (1u << 16)
#define PLLCFGR_DIVQ1EN (1u << 17)
#define PLL1DIVR_VALUE ((400u - 1u) | ((2u - 1u) << 9) | ((8u - 1u) << 16) | ((2u - 1u) << 24))
/* CPU /1 = 400 MHz, AXI/AHB /2 = 200 MHz, every APB /2 = 100 MHz (USART3's kernel clock, PCLK1). */
#define D1CFGR_VALUE ((8u << 0) | (4u << 4)) /* HPRE /2, D1PPRE /2, D1CPRE /1 */
#define D2CFGR_VALUE ((4u << 4) | (4u << 8)) /* D2PPRE1 /2, D2PPRE2 /2 */
#define D3CFGR_VALUE (4u << 4)               /* D3PPRE /2 */
#define CFGR_SW_PLL1 3u
#define CFGR_SWS_PLL1 (3u << 3)
#define APB1_HZ (TSR_CLOCK_HZ / 4u)

#define FLASH_ACR REG(0x52002000u)
#define ACR_LATENCY_2WS 2u           /* AXI 185-210 MHz in scale 1 (RM0433 table 17) */
#define ACR_WRHIGHFREQ_2 (2u << 4)

#define GPIOD 0x58020C00u
#define GPIOD_MODER REG(GPIOD + 0x00u)
#define GPIOD_OSPEEDR REG(GPIOD + 0x08u)
#define GPIOD_AFRH REG(GPIOD + 0x24u)

#define SCB_CCR REG(0xE000ED14u)
#define SCB_CCSIDR REG(0xE000ED80u)
#define SCB_CSSELR REG(0xE000ED84u)
#define SCB_ICIALLU REG(0xE000EF50u)
#define SCB_DCISW REG(0xE000EF60u)
#define CCR_DC (1u << 16)
#define CCR_IC (1u << 17)

#define UART TSR_STM32H7_USART3
#define BAUD 115200u

#if TSR_CLOCK_HZ != 400000000
#error "the NUCLEO-H743ZI clock setup below gives 400 MHz: the registry's clock_hz must say so"
#endif

#define TSR_BOARD_UART_POLL() tsr_uart_stm32_v2_poll(UART)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_stm32_v2_write(UART, (data), (len))
#include "tsr_board_hal.h"

static void barrier(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }

static void caches_init(void)
{
    uint32_t sets;
    uint32_t ways;
    uint32_t ccsidr;
    SCB_ICIALLU = 0u;
    barrier();
    SCB_CCR |= CCR_IC;
    barrier();
    SCB_CSSELR = 0u; /* level 1 data cache */
    barrier();
    ccsidr = SCB_CCSIDR;
    for (sets = (ccsidr >> 13) & 0x7FFFu;; sets--) {
        for (ways = (ccsidr >> 3) & 0x3FFu;; ways--) {
            SCB_DCISW = ((sets << 5) & 0x3FE0u) | (ways << 30);
            if (ways == 0u) {
                break;
            }
        }
        if (sets == 0u) {
            break;
        }
    }
    barrier();
    SCB_CCR |= CCR_DC;
    barrier();
}

static void clock_init(void)
{
    /* Supply: the LDO, written once after reset (this locks it), then wait for the regulator. */
    PWR_CR3 = (PWR_CR3 & ~(CR3_SCUEN | CR3_LDOEN | 1u)) | CR3_LDOEN;
    while (!(PWR_CSR1 & CSR1_ACTVOSRDY)) {
    }
    PWR_D3CR = (PWR_D3CR & ~(3u << 14)) | D3CR_VOS_SCALE1;
    while (!(PWR_D3CR & D3CR_VOSRDY)) {
    }
    RCC_CR |= CR_HSEBYP; /* the ST-Link drives an 8 MHz clock into OSC_IN; bypass is set while HSE is off */
    RCC_CR |= CR_HSEON;
    while (!(RCC_CR & CR_HSERDY)) {
    }
    RCC_PLLCKSELR = PLLCKSELR_HSE | PLL1_M;
    RCC_PLL1DIVR = PLL1DIVR_VALUE;
    RCC_PLLCFGR = (RCC_PLLCFGR & ~0xFu & ~(7u << 16)) | PLLCFGR_PLL1RGE_2_4MHZ | PLLCFGR_DIVP1EN | PLLCFGR_DIVQ1EN;
    RCC_CR |= CR_PLL1ON;
    while (!(RCC_CR & CR_PLL1RDY)) {
    }
    FLASH_ACR = ACR_LATENCY_2WS | ACR_WRHIGHFREQ_2;
    while ((FLASH_ACR & 0xFu) != ACR_LATENCY_2WS) {
    }
    RCC_D1CFGR = D1CFGR_VALUE;
    RCC_D2CFGR = D2CFGR_VALUE;
    RCC_D3CFGR = D3CFGR_VALUE;
    RCC_CFGR = (RCC_CFGR & ~7u) | CFGR_SW_PLL1;
    while ((RCC_CFGR & (7u << 3)) != CFGR_SWS_PLL1) {
    }
}

static void uart_pins_init(void)
{
    RCC_AHB4ENR |= AHB4ENR_GPIOD;
    RCC_APB1LENR |= APB1LENR_USART3;
    (void)RCC_APB1LENR;
    GPIOD_AFRH = (GPIOD_AFRH & ~0xFFu) | 0x77u;                     /* PD8, PD9: AF7 (USART3) */
    GPIOD_OSPEEDR = (GPIOD_OSPEEDR & ~(0xFu << 16)) | (0xAu << 16); /* high speed */
    GPIOD_MODER = (GPIOD_MODER & ~(0xFu << 16)) | (0xAu << 16);     /* alternate function */
}

void tsr_hal_init(void)
{
    clock_init();
    caches_init();
    uart_pins_init();
    tsr_uart_stm32_v2_init(UART, tsr_uart_stm32_v2_brr(APB1_HZ, BAUD));
    tsr_dwt_start();
    tsr_board_describe("nucleo-h743zi", TSR_COUNTER_CYCLES);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
