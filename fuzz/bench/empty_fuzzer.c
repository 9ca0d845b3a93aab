/* empty_fuzzer - does nothing: the engine's own cost per input, measured
 * next to every target in the same run (harness/fuzz-bench). Not in
 * fuzz/targets/: it is no target. */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
