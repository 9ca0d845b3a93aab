/* VMCLOCK-EXPECT: PASS */
/* tai_only.c - a correct reader that serves TAI pages only: the reference
 * reader (reference/reader.c), with every page of another time type
 * refused (NO_TIME, nothing filled), as a PTP or database client that
 * wants TAI and nothing else would. It serves the TAI baseline page of
 * R-TIME-LIVE (case 1), not the UTC one (case 0): a judge that looks at
 * case 0 alone for "serves a baseline page" fails it (mutant M35 of
 * harness/mutants.def). */
#include <string.h>
#include "abi.h"
#include "reader.h"
#include "vmclock_iut.h"

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	int st = vmclock_ref_read(page, len, counter, out);
	if (st != VMCLOCK_IUT_OK || out->time_type == VMCLOCK_TIME_TAI)
		return st;
	/* A valid page of another time type (time_type is constant, so the
	 * choice never depends on an update in progress): refused. */
	memset(out, 0, sizeof *out);
	return VMCLOCK_IUT_NO_TIME;
}
