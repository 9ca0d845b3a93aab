/* iut.h - the reader under test, in-process, through the contract
 * (suite/vmclock_iut.h).
 *
 * VMCLOCK_FUZZ_READER=/path/reader.so chooses a reader shared object
 * (dlopen); unset, the reference reader linked into the target is used, so
 * a fuzzer built into a large-scale fuzzing service fuzzes the suite's own
 * model of correctness without any .so. */
#ifndef VMCLOCK_FUZZ_IUT_H
#define VMCLOCK_FUZZ_IUT_H

#include <stddef.h>
#include "vmclock_iut.h"

struct fz_iut {
	int (*read)(const volatile void *page, size_t len, const struct vmclock_iut_counter *counter,
	            struct vmclock_iut_reading *out);
	uint32_t declared;          /* info->provides (0: not declared) */
	const char *name;           /* for messages */
	int is_reference;           /* the linked reference: no differential run */
};

/* VMCLOCK_FUZZ_ODD=1: inputs may keep an odd seq_count (see
 * vmclock_page_fuzzer); part of the replay line when set. */
int fz_keep_odd(void);

/* Loads the reader once (exits 2 with a message when it cannot). */
const struct fz_iut *fz_iut_get(void);

#endif
