/* VMCLOCK-EXPECT: FAIL R-HDR-COUNTER */
/* bad_counter_foreign.c - known-bad reader: computes time for the other
 * architecture's counter as well as its own ("counter_id 0 and 1 are both
 * real counters"; INVALID and unknown ids are still refused). Models a
 * portable reader that checks counter_id against the list of known
 * counters instead of the one it reads.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .counter_foreign knob is on, so the suite must fail exactly:
 * R-HDR-COUNTER, and only on pages of the foreign counter (a judge that
 * compares counter_id with an ordering instead of equality misses it:
 * mutant M07 of harness/mutants.def). */
#include "basereader.h"

static const struct br_defects defects = { .counter_foreign = 1 };

BR_EXPORT(defects, "bad_counter_foreign")
