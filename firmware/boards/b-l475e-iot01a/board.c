/*
 * board.c - HAL of the B-L475E-IOT01A Discovery kit (STM32L475VG, Cortex-M4F): 80 MHz from the 4 MHz MSI
 * through the main PLL, the ST-Link virtual COM port on USART1 (PB6 TX, PB7 RX, AF7) through the shared
 * L4/H7 USART driver, the DWT cycle counter, the on-board LSM6DSL accelerometer and gyroscope as the
 * sensor (lsm6dsl.c) and reset on exit.
 */
#include <stdint.h>

#include "lsm6dsl.h"
#include "tsr_cortexm.h"
#include "tsr_hal.h"
#include "tsr_uart_stm32_v2.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC 0x40021000u
#define RCC_CR REG(RCC + 0x00u)
#define RCC_CFGR REG(RCC + 0x08u)
#define RCC_PLLCFGR REG(RCC + 0x0Cu)
#define RCC_AHB2ENR REG(RCC + 0x4Cu)
#define RCC_APB1ENR1 REG(RCC + 0x58u)
#define RCC_APB2ENR REG(RCC + 0x60u)
#define CR_MSIRDY (1u << 1)
#define CR_PLLON (1u << 24)
#define CR_PLLRDY (1u << 25)
#define AHB2ENR_GPIOB (1u << 1)
#define APB1ENR1_I2C2 (1u << 22)
#define APB2ENR_USART1 (1u << 14)

#define FLASH_ACR REG(0x40022000u)
#define ACR_LATENCY_4WS 4u /* 64-80 MHz in voltage range 1 (the reset range) */
#define ACR_PRFTEN (1u << 8)
#define ACR_ICEN (1u << 9)
#define ACR_DCEN (1u << 10)

/* MSI 4 MHz (its reset range) / M 1 x N 40 = 160 MHz VCO, / R 2 = 80 MHz on SYSCLK; AHB, APB1, APB2 /1. */
#define PLLCFGR_SRC_MSI 1u
#define PLL_M_DIV1 (0u << 4)
#define PLL_N (40u << 8)
#define PLL_R_DIV2 (0u << 25)
#define PLLCFGR_REN (1u << 24)
#define CFGR_SW_PLL 3u
#define CFGR_SWS_PLL (3u << 2)

#define GPIOB 0x48000400u
#define GPIOB_MODER REG(GPIOB + 0x00u)
#define GPIOB_OSPEEDR REG(GPIOB + 0x08u)
#define GPIOB_AFRL REG(GPIOB + 0x20u)

#define UART TSR_STM32L4_USART1
#define BAUD 115200u

#if TSR_CLOCK_HZ != 80000000
#error "the B-L475E-IOT01A clock setup below gives 80 MHz: the registry's clock_hz must say so"
#endif

#define TSR_BOARD_UART_POLL() tsr_uart_stm32_v2_poll(UART)
#define TSR_BOARD_UART_WRITE(data, len) tsr_uart_stm32_v2_write(UART, (data), (len))
#include "tsr_board_hal.h"
static int g_imu_ok;

static void clock_init(void)
{
    while (!(RCC_CR & CR_MSIRDY)) {
    }
    FLASH_ACR = ACR_LATENCY_4WS | ACR_PRFTEN | ACR_ICEN | ACR_DCEN;
    while ((FLASH_ACR & 0x7u) != ACR_LATENCY_4WS) {
    }
    RCC_PLLCFGR = PLLCFGR_SRC_MSI | PLL_M_DIV1 | PLL_N | PLL_R_DIV2 | PLLCFGR_REN;
    RCC_CR |= CR_PLLON;
    while (!(RCC_CR & CR_PLLRDY)) {
    }
    RCC_CFGR = (RCC_CFGR & ~3u) | CFGR_SW_PLL;
    while ((RCC_CFGR & (3u << 2)) != CFGR_SWS_PLL) {
    }
}

static void uart_pins_init(void)
{
    RCC_AHB2ENR |= AHB2ENR_GPIOB;
    RCC_APB2ENR |= APB2ENR_USART1; /* USART1's kernel clock is PCLK2 (CCIPR reset value) */
    (void)RCC_APB2ENR;
    GPIOB_AFRL = (GPIOB_AFRL & ~(0xFFu << 24)) | (0x77u << 24);     /* PB6, PB7: AF7 (USART1) */
    GPIOB_OSPEEDR = (GPIOB_OSPEEDR & ~(0xFu << 12)) | (0xAu << 12); /* high speed */
    GPIOB_MODER = (GPIOB_MODER & ~(0xFu << 12)) | (0xAu << 12);     /* alternate function */
}

void tsr_hal_init(void)
{
    clock_init();
    uart_pins_init();
    tsr_uart_stm32_v2_init(UART, tsr_uart_stm32_v2_brr(TSR_CLOCK_HZ, BAUD));
    tsr_dwt_start();
    RCC_APB1ENR1 |= APB1ENR1_I2C2; /* I2C2's kernel clock is PCLK1 = 80 MHz (CCIPR reset value) */
    (void)RCC_APB1ENR1;
    g_imu_ok = lsm6dsl_init() == 0;
    tsr_board_describe("b-l475e-iot01a", TSR_COUNTER_CYCLES);
}

uint32_t tsr_hal_sensor_read(float *values, uint32_t max_values)
{
    /* Six axes (ax, ay, az in m/s^2, gx, gy, gz in degrees per second); none when the IMU did not answer. */
    if (!g_imu_ok || max_values < LSM6DSL_AXES) {
        return 0u;
    }
    return lsm6dsl_read(values) == 0 ? LSM6DSL_AXES : 0u;
}
