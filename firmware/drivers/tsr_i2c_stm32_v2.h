/*
 * tsr_i2c_stm32_v2.h - polled controller-mode driver of the I2C block of the newer STM32 families (L4,
 * F7, G4, H7): CR1 +0x00 (bit 0 PE), CR2 +0x04 (SADD, RD_WRN bit 10, START bit 13, STOP bit 14, NBYTES
 * 23:16, AUTOEND bit 25), TIMINGR +0x10, ISR +0x18 (TXIS bit 1, RXNE bit 2, NACKF bit 4, STOPF bit 5,
 * TC bit 6), ICR +0x1C, RXDR +0x24, TXDR +0x28. The board turns on the block's clock and puts its pins
 * in open-drain alternate function first. Every wait is bounded, so a missing device is an error code,
 * never a hang.
 */
#ifndef TSR_I2C_STM32_V2_H
#define TSR_I2C_STM32_V2_H

#include <stddef.h>
#include <stdint.h>

#define TSR_STM32L4_I2C2 0x40005800u

/* Enable the block with the TIMINGR value timing (from the reference manual's formula for its clock). */
void tsr_i2c_stm32_v2_init(uintptr_t base, uint32_t timing);
/* Write len bytes of data to register reg of the 7-bit address addr; 0 on success, -1 on a NACK or timeout. */
int tsr_i2c_stm32_v2_write_reg(uintptr_t base, uint8_t addr, uint8_t reg, const uint8_t *data, size_t len);
/* Read len bytes (at most 255) from register reg onwards; 0 on success, -1 on a NACK or timeout. */
int tsr_i2c_stm32_v2_read_reg(uintptr_t base, uint8_t addr, uint8_t reg, uint8_t *data, size_t len);

#endif /* TSR_I2C_STM32_V2_H */
