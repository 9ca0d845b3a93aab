/* VMCLOCK-EXPECT: FAIL R-ROB-NOCRASH */
/* hostile_hang_third.c - a correct reader (no defect knob) that never
 * returns from every third call in a process (issue item 15: hangs). It
 * spins on the CPU, so the suite's CPU-time timeout sees it. Each hang costs
 * a timeout and a rerun in a new child (whose call count starts again),
 * and 3 hangs in cases of one kind stop that kind. The suite must report the
 * hangs as FAILs of the clauses whose cases hung and end in bounded time.
 * The line above is PROVISIONAL: see the README table for what the suite
 * says today and the wall time it takes. */
#include "basereader.h"

static const struct br_defects d = { 0 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static unsigned calls;
	static volatile unsigned spin;
	if (++calls % 3 == 0)
		for (;;)
			spin++;
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_hang_third")
