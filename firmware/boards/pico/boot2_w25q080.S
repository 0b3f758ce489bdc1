/*
 * boot2_w25q080.S - the RP2040's second-stage boot loader for the Raspberry Pi Pico's W25Q080 flash, in
 * the slow, generic form every QSPI flash understands: serial 03h reads (24-bit address, 32-bit frames)
 * at clk_sys / 4 through the XIP SSI, so code runs in place from 0x10000000.
 *
 * The boot ROM copies the first 256 bytes of flash into SRAM at 0x20041F00, checks their CRC-32 (the
 * last 4 bytes, computed by the build over the first 252) and calls this code there with lr = 0; called
 * from the boot ROM, it then points VTOR at the image's vector table right after it (0x10000100), loads
 * the stack pointer and jumps to the reset handler. Called from anywhere else it returns.
 * It is position-independent (branches and literal loads relative to pc, no relocation), so the build
 * assembles it on its own and embeds the bytes with their CRC (tinystudio/targets/rp2040.py).
 */
    .syntax unified
    .cpu cortex-m0plus
    .thumb

    .equ XIP_SSI_BASE, 0x18000000
    .equ SSI_CTRLR0, 0x00
    .equ SSI_CTRLR1, 0x04
    .equ SSI_SSIENR, 0x08
    .equ SSI_BAUDR, 0x14
    .equ SSI_SPI_CTRLR0, 0xF4
    /* CTRLR0: DFS_32 = 31 (32-bit frames), TMOD = 3 (EEPROM read: send command and address, then read) */
    .equ CTRLR0_XIP, (31 << 16) | (3 << 8)
    /* SPI_CTRLR0: XIP_CMD = 03h, INST_L = 2 (8-bit instruction), ADDR_L = 6 (24-bit address), standard SPI */
    .equ SPI_CTRLR0_XIP, (0x03 << 24) | (2 << 8) | (6 << 2)
    .equ CLKDIV, 4
    .equ IMAGE_VECTORS, 0x10000100
    .equ PPB_VTOR, 0xE000ED08

    .section .text
    .global _boot2_entry
    .type _boot2_entry, %function
    .thumb_func
_boot2_entry:
    push {lr}
    ldr r3, =XIP_SSI_BASE
    movs r1, #0
    str r1, [r3, #SSI_SSIENR]      /* the SSI off while it is configured */
    movs r1, #CLKDIV
    str r1, [r3, #SSI_BAUDR]
    ldr r1, =CTRLR0_XIP
    str r1, [r3, #SSI_CTRLR0]
    ldr r1, =SPI_CTRLR0_XIP
    ldr r0, =(XIP_SSI_BASE + SSI_SPI_CTRLR0)
    str r1, [r0]
    movs r1, #0
    str r1, [r3, #SSI_CTRLR1]      /* NDF = 0: one 32-bit frame per XIP access */
    movs r1, #1
    str r1, [r3, #SSI_SSIENR]
    pop {r0}
    cmp r0, #0
    beq vector_into_flash
    bx r0
vector_into_flash:
    ldr r0, =IMAGE_VECTORS
    ldr r1, =PPB_VTOR
    str r0, [r1]
    ldmia r0, {r0, r1}
    msr msp, r0
    bx r1
    .ltorg
