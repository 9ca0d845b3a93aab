/* page_mutate.h - the structure-aware mutator of vmclock_page_fuzzer's
 * input (fuzz/common/pagein.h), shared by the libFuzzer custom mutator
 * (page_libfuzzer.c) and the AFL++ custom mutator (page_afl.c). */
#ifndef VMCLOCK_PAGE_MUTATE_H
#define VMCLOCK_PAGE_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* Mutates data[0..size) in place (up to max bytes) field-wise; returns the
 * new size, or 0 to ask the caller for a plain byte mutation instead. All
 * randomness from seed. */
size_t fz_page_mutate(uint8_t *data, size_t size, size_t max, uint32_t seed);

#endif
