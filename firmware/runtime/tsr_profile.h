/*
 * tsr_profile.h - the per-op counts of a profiling build (the generated model.h defines
 * TS_MODEL_PROFILE_OPS): kept per run, summarised as min and median per op, and written as the
 * PROFILE / PROFILE_READ answers. Static tables only.
 */
#ifndef TSR_PROFILE_H
#define TSR_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#ifdef TS_MODEL_PROFILE_OPS

#define TSR_PROFILE_MAX_RUNS 15u
#define TSR_PROFILE_HEADER_BYTES 20u
#define TSR_PROFILE_ENTRY_BYTES 10u

/* Keep the model's per-op counts of the inference just run, with its whole NN count, as run `run`. */
void tsr_profile_keep(uint32_t run, uint32_t whole);
/* Min and median per op (and of the whole count) over the first `runs` kept runs. */
void tsr_profile_summarize(uint32_t runs);
/* The PROFILE answer: status, runs, op count, whole min, whole median; returns its bytes. */
size_t tsr_profile_header(uint8_t *p, int32_t status, uint32_t runs);
/* The PROFILE_READ answer for ops first .. first + count - 1; returns its bytes, 0 when out of range. */
size_t tsr_profile_entries(uint8_t *p, uint32_t first, uint32_t count);

#endif /* TS_MODEL_PROFILE_OPS */

#endif /* TSR_PROFILE_H */
