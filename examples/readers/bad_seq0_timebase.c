/* VMCLOCK-EXPECT: FAIL R-SEQ-WRAP */
/* bad_seq0_timebase.c - known-bad reader: keeps the page's time base
 * (time_sec, time_frac_sec) in a static cache keyed on seq_count and skips
 * reloading it when seq_count has not changed; everything else is copied
 * fresh. The cache is zero-initialised with no "filled" flag, so the first
 * read of a page whose seq_count is 0 computes time from a base of 0 s:
 * its reading differs from the same page with an ordinary seq_count in
 * the time alone (marker, bounds and status agree). R-SEQ-WRAP's twins
 * must see a difference of time as well as of the marker (mutant M23 of
 * harness/mutants.def); judged on its own, that reading would be an
 * arithmetic failure it is not.
 *
 * Everything else is the correct shared reader (basereader.h). */
#include "basereader.h"

static const struct br_defects defects = { .seq0_time_cache = 1 };

BR_EXPORT(defects, "bad_seq0_timebase")
