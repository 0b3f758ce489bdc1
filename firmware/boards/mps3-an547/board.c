/*
 * board.c - HAL of QEMU's mps3-an547 (Cortex-M55 with Helium): the MPS2/MPS3 HAL (cortex-m/tsr_cmsdk_board.h) with CMSDK UART0 at 0x49303000.
 */
#define TSR_BOARD_NAME "mps3-an547"
#define TSR_CMSDK_UART0_BASE 0x49303000u

#include "tsr_cmsdk_board.h"
