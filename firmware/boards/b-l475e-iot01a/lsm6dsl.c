/*
 * lsm6dsl.c - the LSM6DSL over I2C2 through the shared L4/H7 I2C driver (see lsm6dsl.h). Registers from
 * the LSM6DSL datasheet: WHO_AM_I 0x0F (reads 0x6A), CTRL1_XL 0x10, CTRL2_G 0x11, CTRL3_C 0x12,
 * STATUS_REG 0x1E (bit 0 XLDA, bit 1 GDA), OUTX_L_G 0x22 .. OUTZ_H_XL 0x2D (gyroscope, then accelerometer,
 * little-endian 16-bit pairs).
 */
#include "lsm6dsl.h"

#include "tsr_hal.h"
#include "tsr_i2c_stm32_v2.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define GPIOB 0x48000400u
#define GPIOB_MODER REG(GPIOB + 0x00u)
#define GPIOB_OTYPER REG(GPIOB + 0x04u)
#define GPIOB_OSPEEDR REG(GPIOB + 0x08u)
#define GPIOB_PUPDR REG(GPIOB + 0x0Cu)
#define GPIOB_AFRH REG(GPIOB + 0x24u)

#define I2C TSR_STM32L4_I2C2
/* About 100 kHz from an 80 MHz kernel clock (RM0351 37.4.9): PRESC 15 (200 ns), SCLL 25 and SCLH 20
 * periods (5.0 and 4.0 us), SDADEL 2, SCLDEL 4. */
#define I2C_TIMING 0xF0421318u

#define ADDR 0x6Au
#define WHO_AM_I 0x0Fu
#define WHO_AM_I_VALUE 0x6Au
#define CTRL1_XL 0x10u
#define CTRL2_G 0x11u
#define CTRL3_C 0x12u
#define STATUS_REG 0x1Eu
#define OUTX_L_G 0x22u
#define ODR_104HZ (4u << 4) /* ODR bits 7:4 = 0100; full scale bits 00: +/-2 g, +/-250 dps */
#define CTRL3_BDU_IF_INC 0x44u /* block data update, register address auto-increment */
#define STATUS_XLDA_GDA 0x03u
#define PERIOD_US 9616u /* one output period at 104 Hz */

#define ACCEL_MS2_PER_LSB (0.061e-3f * 9.80665f) /* 0.061 mg per LSB at +/-2 g */
#define GYRO_DPS_PER_LSB 8.75e-3f                /* 8.75 mdps per LSB at +/-250 dps */

static void pins_init(void)
{
    /* PB10 SCL, PB11 SDA: AF4, open drain, pull-up (the board has its own pull-ups too). GPIOB's clock is
     * on already (the UART pins share the port). */
    GPIOB_AFRH = (GPIOB_AFRH & ~(0xFFu << 8)) | (0x44u << 8);
    GPIOB_OTYPER |= (3u << 10);
    GPIOB_OSPEEDR = (GPIOB_OSPEEDR & ~(0xFu << 20)) | (0xAu << 20);
    GPIOB_PUPDR = (GPIOB_PUPDR & ~(0xFu << 20)) | (0x5u << 20);
    GPIOB_MODER = (GPIOB_MODER & ~(0xFu << 20)) | (0xAu << 20);
}

static int write1(uint8_t reg, uint8_t value) { return tsr_i2c_stm32_v2_write_reg(I2C, ADDR, reg, &value, 1u); }

int lsm6dsl_init(void)
{
    uint8_t who = 0u;
    pins_init();
    tsr_i2c_stm32_v2_init(I2C, I2C_TIMING);
    if (tsr_i2c_stm32_v2_read_reg(I2C, ADDR, WHO_AM_I, &who, 1u) != 0 || who != WHO_AM_I_VALUE) {
        return -1;
    }
    if (write1(CTRL3_C, CTRL3_BDU_IF_INC) != 0 || write1(CTRL1_XL, ODR_104HZ) != 0 ||
        write1(CTRL2_G, ODR_104HZ) != 0) {
        return -1;
    }
    return 0;
}

int lsm6dsl_read(float *values)
{
    uint8_t raw[12];
    uint8_t status = 0u;
    uint32_t start = tsr_hal_counter();
    uint32_t i;
    /* Wait for both data-ready bits, at most one output period (then read the last sample again). */
    while (tsr_i2c_stm32_v2_read_reg(I2C, ADDR, STATUS_REG, &status, 1u) == 0 &&
           (status & STATUS_XLDA_GDA) != STATUS_XLDA_GDA && tsr_hal_counter() - start < PERIOD_US * TSR_COUNTER_PER_US) {
    }
    if (tsr_i2c_stm32_v2_read_reg(I2C, ADDR, OUTX_L_G, raw, sizeof raw) != 0) {
        return -1;
    }
    for (i = 0; i < LSM6DSL_AXES; i++) {
        int16_t v = (int16_t)((uint16_t)raw[2u * i] | (uint16_t)((uint16_t)raw[2u * i + 1u] << 8));
        uint32_t axis = (i + 3u) % LSM6DSL_AXES; /* gyroscope first on the wire, accelerometer first out */
        values[axis] = (float)v * (i < 3u ? GYRO_DPS_PER_LSB : ACCEL_MS2_PER_LSB);
    }
    return 0;
}
