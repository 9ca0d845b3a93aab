/* VMCLOCK-EXPECT: PASS */
/* loose_bounds.c - a correct reader (the reference one) whose error bounds
 * are looser than the page's: it adds a fixed 1000 ns safety margin to both
 * esterror and maxerror (saturating), as a reader that budgets for its own
 * read latency might. An error bound may be larger than the exact one (it
 * is an upper bound: R-ERR-BOUND only forbids smaller), so it passes; the
 * margin is what R-ERR-TIGHT (INFO) measures: the test in selftest.bats
 * asserts its evidence line, "esterror 1000 ns, maxerror 1000 ns". */
#include <stdint.h>
#include "reader.h"
#include "vmclock_iut.h"

#define MARGIN_NS 1000u

static uint64_t widen(uint64_t ns)
{
	return ns > UINT64_MAX - MARGIN_NS ? UINT64_MAX : ns + MARGIN_NS;
}

int vmclock_iut_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	int st = vmclock_ref_read(page, len, counter, out);
	if (out->filled & VMCLOCK_IUT_HAS_ESTERROR)
		out->esterror_ns = widen(out->esterror_ns);
	if (out->filled & VMCLOCK_IUT_HAS_MAXERROR)
		out->maxerror_ns = widen(out->maxerror_ns);
	return st;
}
