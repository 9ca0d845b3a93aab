/* VMCLOCK-EXPECT: PASS */
/* hostile_hang_third.c - a correct reader (no defect knob) that never
 * returns from every third call in a process (issue item 15: hangs). It
 * spins on the CPU, so the suite's CPU-time timeout (1 s) sees it.
 *
 * The line above is what spec rule 6 ("a hang is a hang twice") gives, and
 * it is the hole this reader documents: each hang is rerun in a new child,
 * whose call count starts again, so the rerun returns and no hang is ever
 * confirmed; nothing stops the clause either. Every second case or so costs
 * about 1 s of CPU time: today --only R-HDR-VERSION (its 204 cases after
 * the profile grid) takes 343 s and says PASS; the whole run had not ended
 * after 18 minutes (stopped by hand), by estimate hours. harness/tests/contain.bats fails it on its time bound.
 * The suite must bound the cost of first-time hangs too (count them toward
 * giving up, or charge a clause whose cases hang again and again, even on
 * different cases) and report them; change this line to what it then
 * says (R-ROB-NOCRASH's and the other clauses whose cases hung). */
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
