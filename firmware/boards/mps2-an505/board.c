/*
 * board.c - HAL of QEMU's mps2-an505 (Cortex-M33, running secure): the MPS2/MPS3 HAL (cortex-m/tsr_cmsdk_board.h) with CMSDK UART0 at 0x50200000.
 */
#define TSR_BOARD_NAME "mps2-an505"
#define TSR_CMSDK_UART0_BASE 0x50200000u

#include "tsr_cmsdk_board.h"
