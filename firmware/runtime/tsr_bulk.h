/*
 * tsr_bulk.h - where an emulated board finds what its launcher placed in memory (a test set, a sensor tape):
 * TSR_BULK_ADDR, a fixed address of spare RAM, or with TSR_BULK_IN_FLASH the flash right after the image (the
 * linker script's __tsr_flash_free), on a board whose RAM has no room to spare.
 */
#ifndef TSR_BULK_H
#define TSR_BULK_H

#include <stdint.h>

#if defined(TSR_BULK_IN_FLASH) && !defined(TSR_BULK_ADDR)
extern const uint8_t __tsr_flash_free[];
#define TSR_BULK_ADDR ((uintptr_t)__tsr_flash_free)
#endif

#endif /* TSR_BULK_H */
