/* VMCLOCK-EXPECT: FAIL R-HDR-MAGIC R-HDR-VERSION R-HDR-SIZE R-HDR-COUNTER R-HDR-TIMETYPE R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-SEQ-BOUNDED R-SEQ-WINDOW R-TIME-EXACT R-TIME-SHIFT R-TIME-TAI R-ERR-FLAGS R-ERR-BOUND R-STAT-UNRELIABLE R-DISR-MARKER R-VMGEN R-MONO R-ROB-NOCRASH R-TIME-LIVE R-CONTRACT */
/* hostile_hang_third.c - a correct reader (no defect knob) that never
 * returns from every third call in a process (issue item 15: hangs). It
 * spins on the CPU, so the suite's CPU-time timeout (1 s) sees it.
 *
 * Spec rule 6 ("a hang is a hang twice") reruns a case that did not return.
 * Rerun alone in a new child, whose call count starts again, the case would
 * return, and no hang would ever be confirmed (the old suite took hours and
 * said PASS). The suite's rerun replays, in the new child, the cases the
 * hung child ran before it (suite/sandbox.c), so a reader whose own state
 * decides when it hangs meets that state again: the hang is confirmed, and
 * after 3 hangs of one kind of case the clause stops. Every clause hangs,
 * so every clause FAILs; a full run takes about 3 minutes (README), and
 * harness/tests/contain.bats judges two clauses. */
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
