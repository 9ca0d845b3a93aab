/* The libFuzzer custom mutator of vmclock_page_fuzzer (linked into its
 * libFuzzer build only: fuzz/build.sh links fuzz/mutators/NAME.c with
 * target NAME). VMCLOCK_FUZZ_MUTATOR=bytes turns it off (byte mutation
 * only), for the comparison of harness/fuzz-bench. */
#include <stdlib.h>
#include <string.h>

#include "page_mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
	static int bytes_only = -1;
	if (bytes_only < 0) {
		const char *e = getenv("VMCLOCK_FUZZ_MUTATOR");
		bytes_only = e && !strcmp(e, "bytes");
	}
	size_t n = bytes_only ? 0 : fz_page_mutate(data, size, max, seed);
	return n ? n : LLVMFuzzerMutate(data, size, max);
}
