/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_killpg.c - kills the runner's whole process group (issue item
 * 14). On its 3rd call in each process it calls kill(0, SIGTERM): today the
 * reader shares the process group of the runner, of the vmclock-cts script
 * and of whatever shell started it, so they all die and no verdict is
 * written. If kill() works it would also hide its defect (it dies too); if
 * it fails it shows the bad_mul64 defect. DANGER: only ever run it under
 * `setsid -w ...` (harness/tests/contain.bats does). The suite must put
 * the reader in its own session (setsid) and refuse kill(0, ...) and kill
 * to any other process; then exactly R-TIME-EXACT fails. */
#include <signal.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static unsigned calls;
	if (++calls == 3 && kill(0, SIGTERM) == 0)
		d.mul64 = 0;
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_killpg")
