/* VMCLOCK-EXPECT: FAIL R-HDR-TIMETYPE */
/* bad_timetype_3.c - known-bad reader: takes time_type 3
 * (INVALID_SMEARED: "smeared, but still time") as usable, and refuses 4
 * and the unknown values. Narrower than bad_timetype (3 and 4): a judge
 * whose bound on time_type is one too high misses it (mutant M08 of
 * harness/mutants.def).
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .timetype_smeared3 knob is on, so the suite must fail exactly:
 * R-HDR-TIMETYPE. */
#include "basereader.h"

static const struct br_defects defects = { .timetype_smeared3 = 1 };

BR_EXPORT(defects, "bad_timetype_3")
