/*
 * board.c - HAL of QEMU's mps2-an385 (Cortex-M3): the MPS2/MPS3 HAL (cortex-m/tsr_cmsdk_board.h) with CMSDK UART0 at 0x40004000.
 */
#define TSR_BOARD_NAME "mps2-an385"
#define TSR_CMSDK_UART0_BASE 0x40004000u

#include "tsr_cmsdk_board.h"
