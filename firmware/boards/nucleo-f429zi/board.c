/*
 * board.c - HAL of the NUCLEO-F429ZI (STM32F429ZI, Cortex-M4F): 180 MHz from the ST-Link's 8 MHz MCO
 * (HSE bypass) through the main PLL with over-drive on, the ST-Link virtual COM port on USART3 (PD8 TX,
 * PD9 RX, AF7) through the shared STM32F4 USART driver (the one QEMU's netduinoplus2 runs in the test
 * suite), the DWT cycle counter, the simulated sensor (the board has none) and reset on exit.
 */
#include <stdint.h>

#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_sim_sensor.h"
#include "tsr_uart_stm32f4.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC 0x40023800u
#define RCC_CR REG(RCC + 0x00u)
#define RCC_PLLCFGR REG(RCC + 0x04u)
#define RCC_CFGR REG(RCC + 0x08u)
#define RCC_AHB1ENR REG(RCC + 0x30u)
#define RCC_APB1ENR REG(RCC + 0x40u)
#define CR_HSEON (1u << 16)
#define CR_HSERDY (1u << 17)
#define CR_HSEBYP (1u << 18)
#define CR_PLLON (1u << 24)
#define CR_PLLRDY (1u << 25)
#define AHB1ENR_GPIOD (1u << 3)
#define APB1ENR_USART3 (1u << 18)
#define APB1ENR_PWR (1u << 28)

#define PWR_CR REG(0x40007000u)
#define PWR_CSR REG(0x40007004u)
#define PWR_CR_VOS_SCALE1 (3u << 14)
#define PWR_CR_ODEN (1u << 16)
#define PWR_CR_ODSWEN (1u << 17)
#define PWR_CSR_ODRDY (1u << 16)
#define PWR_CSR_ODSWRDY (1u << 17)

#define FLASH_ACR REG(0x40023C00u)
#define ACR_LATENCY_5WS 5u /* 150-180 MHz at 2.7-3.6 V */
#define ACR_PRFTEN (1u << 8)
#define ACR_ICEN (1u << 9)
#define ACR_DCEN (1u << 10)

#define GPIOD 0x40020C00u
#define GPIO_MODER REG(GPIOD + 0x00u)
#define GPIO_OSPEEDR REG(GPIOD + 0x08u)
#define GPIO_AFRH REG(GPIOD + 0x24u)

/* 8 MHz / M 4 = 2 MHz into the VCO, x N 180 = 360 MHz, / P 2 = 180 MHz; / Q 8 = 45 MHz (USB unused). */
#define PLL_M 4u
#define PLL_N 180u
#define PLL_P_DIV2 0u
#define PLL_Q 8u
#define PLLCFGR_SRC_HSE (1u << 22)
/* AHB /1 = 180 MHz, APB1 /4 = 45 MHz (its maximum), APB2 /2 = 90 MHz. */
#define CFGR_PPRE1_DIV4 (5u << 10)
#define CFGR_PPRE2_DIV2 (4u << 13)
#define CFGR_SW_PLL 2u
#define CFGR_SWS_PLL (2u << 2)
#define APB1_HZ (TSR_CLOCK_HZ / 4u)

#define UART TSR_STM32F4_USART3
#define BAUD 115200u

#if TSR_CLOCK_HZ != 180000000
#error "the NUCLEO-F429ZI clock setup below gives 180 MHz: the registry's clock_hz must say so"
#endif

#define TSR_BOARD_UART_POLL() tsr_uart_stm32f4_poll(UART)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_stm32f4_write(UART, (data), (len))
#include "tsr_board_hal.h"

static void clock_init(void)
{
    RCC_CR |= CR_HSEBYP; /* the ST-Link drives an 8 MHz clock into OSC_IN; bypass is set while HSE is off */
    RCC_CR |= CR_HSEON;
    while (!(RCC_CR & CR_HSERDY)) {
    }
    RCC_APB1ENR |= APB1ENR_PWR;
    PWR_CR |= PWR_CR_VOS_SCALE1;
    RCC_PLLCFGR = PLL_M | (PLL_N << 6) | (PLL_P_DIV2 << 16) | PLLCFGR_SRC_HSE | (PLL_Q << 24);
    RCC_CR |= CR_PLLON;
    while (!(RCC_CR & CR_PLLRDY)) {
    }
    /* Above 168 MHz the regulator's over-drive must be on before the switch (RM0090 5.1.4). */
    PWR_CR |= PWR_CR_ODEN;
    while (!(PWR_CSR & PWR_CSR_ODRDY)) {
    }
    PWR_CR |= PWR_CR_ODSWEN;
    while (!(PWR_CSR & PWR_CSR_ODSWRDY)) {
    }
    FLASH_ACR = ACR_LATENCY_5WS | ACR_PRFTEN | ACR_ICEN | ACR_DCEN;
    while ((FLASH_ACR & 0xFu) != ACR_LATENCY_5WS) {
    }
    RCC_CFGR = CFGR_PPRE1_DIV4 | CFGR_PPRE2_DIV2 | CFGR_SW_PLL;
    while ((RCC_CFGR & (3u << 2)) != CFGR_SWS_PLL) {
    }
}

static void uart_pins_init(void)
{
    RCC_AHB1ENR |= AHB1ENR_GPIOD;
    RCC_APB1ENR |= APB1ENR_USART3;
    (void)RCC_APB1ENR; /* a read back: the clocks are on before the first register access */
    GPIO_AFRH = (GPIO_AFRH & ~0xFFu) | 0x77u;                       /* PD8, PD9: AF7 (USART3) */
    GPIO_OSPEEDR = (GPIO_OSPEEDR & ~(0xFu << 16)) | (0xAu << 16);   /* high speed */
    GPIO_MODER = (GPIO_MODER & ~(0xFu << 16)) | (0xAu << 16);       /* alternate function */
}

void tsr_hal_init(void)
{
    clock_init();
    uart_pins_init();
    tsr_uart_stm32f4_init(UART, tsr_uart_stm32f4_brr(APB1_HZ, BAUD));
    tsr_dwt_start();
    tsr_board_describe("nucleo-f429zi", TSR_COUNTER_CYCLES);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    return tsr_sim_sensor_read(values, max_values);
}
