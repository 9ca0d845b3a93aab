/* VMCLOCK-EXPECT: FAIL R-HDR-COUNTER */
/* bad_counter_ignored.c - known-bad reader: computes time
 * whatever counter_id says (INVALID, or the other architecture's counter).
 * Models a reader that assumes 'the counter is the TSC' and converts TSC
 * ticks with a period meant for another counter, or none at all.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .counter_ignored knob is on, so the suite must fail exactly: R-HDR-COUNTER. */
#include "basereader.h"

static const struct br_defects defects = { .counter_ignored = 1 };

BR_EXPORT(defects, "bad_counter_ignored")
