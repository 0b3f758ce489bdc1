/*
 * tsr_uart_cmsdk.h - the Arm CMSDK APB UART of the MPS2 and MPS3 FPGA boards (and of QEMU's mps2-*,
 * mps3-* machines): DATA +0x00, STATE +0x04 (bit 0 TX full, bit 1 RX full), CTRL +0x08 (bit 0 TX
 * enable, bit 1 RX enable), BAUDDIV +0x10. A board passes its UART's base address and divider.
 */
#ifndef TSR_UART_CMSDK_H
#define TSR_UART_CMSDK_H

#include <stddef.h>
#include <stdint.h>

/* Enable transmit and receive with baud divider bauddiv (peripheral clock / baud rate, at least 16). */
void tsr_uart_cmsdk_init(uintptr_t base, uint32_t bauddiv);
/* One received byte (0..255), or -1 when none is waiting. */
int tsr_uart_cmsdk_poll(uintptr_t base);
/* Send len bytes, waiting while the transmit buffer is full. */
void tsr_uart_cmsdk_write(uintptr_t base, const uint8_t *data, size_t len);

#endif /* TSR_UART_CMSDK_H */
