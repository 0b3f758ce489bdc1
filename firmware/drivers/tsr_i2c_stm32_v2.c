/*
 * tsr_i2c_stm32_v2.c - polled I2C controller of the L4/F7/G4/H7 STM32 (see tsr_i2c_stm32_v2.h).
 */
#include "tsr_i2c_stm32_v2.h"

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))
#define CR1 0x00u
#define CR2 0x04u
#define TIMINGR 0x10u
#define ISR 0x18u
#define ICR 0x1Cu
#define RXDR 0x24u
#define TXDR 0x28u
#define CR1_PE (1u << 0)
#define CR2_RD_WRN (1u << 10)
#define CR2_START (1u << 13)
#define CR2_STOP (1u << 14)
#define CR2_AUTOEND (1u << 25)
#define CR2_NBYTES(n) ((uint32_t)(n) << 16)
#define ISR_TXIS (1u << 1)
#define ISR_RXNE (1u << 2)
#define ISR_NACKF (1u << 4)
#define ISR_STOPF (1u << 5)
#define ISR_TC (1u << 6)
#define ICR_CLEAR (ISR_NACKF | ISR_STOPF)
#define WAIT_LIMIT 200000u /* polls: milliseconds at any clock these boards run, far above one byte time */

static int wait_for(uintptr_t base, uint32_t flag)
{
    uint32_t n;
    for (n = 0; n < WAIT_LIMIT; n++) {
        uint32_t isr = REG(base, ISR);
        if (isr & ISR_NACKF) {
            REG(base, CR2) |= CR2_STOP;
            REG(base, ICR) = ICR_CLEAR;
            return -1;
        }
        if (isr & flag) {
            return 0;
        }
    }
    return -1;
}

static int finish(uintptr_t base)
{
    int rc = wait_for(base, ISR_STOPF);
    REG(base, ICR) = ICR_CLEAR;
    return rc;
}

void tsr_i2c_stm32_v2_init(uintptr_t base, uint32_t timing)
{
    REG(base, CR1) = 0u;
    REG(base, TIMINGR) = timing;
    REG(base, CR1) = CR1_PE;
}

int tsr_i2c_stm32_v2_write_reg(uintptr_t base, uint8_t addr, uint8_t reg, const uint8_t *data, size_t len)
{
    size_t i;
    REG(base, ICR) = ICR_CLEAR;
    REG(base, CR2) = ((uint32_t)addr << 1) | CR2_NBYTES(len + 1u) | CR2_AUTOEND | CR2_START;
    if (wait_for(base, ISR_TXIS) != 0) {
        return -1;
    }
    REG(base, TXDR) = reg;
    for (i = 0; i < len; i++) {
        if (wait_for(base, ISR_TXIS) != 0) {
            return -1;
        }
        REG(base, TXDR) = data[i];
    }
    return finish(base);
}

int tsr_i2c_stm32_v2_read_reg(uintptr_t base, uint8_t addr, uint8_t reg, uint8_t *data, size_t len)
{
    size_t i;
    REG(base, ICR) = ICR_CLEAR;
    REG(base, CR2) = ((uint32_t)addr << 1) | CR2_NBYTES(1u) | CR2_START; /* register address, no stop */
    if (wait_for(base, ISR_TXIS) != 0) {
        return -1;
    }
    REG(base, TXDR) = reg;
    if (wait_for(base, ISR_TC) != 0) {
        return -1;
    }
    /* Repeated start, then read len bytes and stop. */
    REG(base, CR2) = ((uint32_t)addr << 1) | CR2_RD_WRN | CR2_NBYTES(len) | CR2_AUTOEND | CR2_START;
    for (i = 0; i < len; i++) {
        if (wait_for(base, ISR_RXNE) != 0) {
            return -1;
        }
        data[i] = (uint8_t)REG(base, RXDR);
    }
    return finish(base);
}
