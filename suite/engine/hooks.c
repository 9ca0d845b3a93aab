/* hooks.c - the SanitizerCoverage load hooks an instrumented reader calls.
 *
 * A reader built by `vmclock-cts build-reader` (clang
 * -fsanitize-coverage=trace-loads) calls __sanitizer_cov_loadN before each
 * of its loads; the runner exports these, so each call becomes one engine
 * event (trap.c: engine_hooked_load). Kept out of trap.c because a fuzzing
 * build of the engine links libFuzzer or AFL++, which define their own
 * __sanitizer_cov_8bit_counters_init. */
#include "engine/trap.h"

static unsigned cov_modules;

#define HOOK(n, type)                                                        \
	void __sanitizer_cov_load##n(type *addr)                             \
	{                                                                    \
		engine_hooked_load((uintptr_t)addr, n,                       \
		                   (uintptr_t)__builtin_return_address(0)); \
	}
HOOK(1, uint8_t)
HOOK(2, uint16_t)
HOOK(4, uint32_t)
HOOK(8, uint64_t)
HOOK(16, void)

/* Every instrumented object's constructor calls this once: how the runner
 * tells an instrumented reader from a plain one. */
void __sanitizer_cov_8bit_counters_init(char *start, char *end)
{
	(void)start;
	(void)end;
	cov_modules++;
}

unsigned engine_instrumented_modules(void)
{
	return cov_modules;
}
