/* VMCLOCK-EXPECT: FAIL R-HDR-TIMETYPE */
/* bad_timetype.c - known-bad reader: treats time_type 3
 * (INVALID_SMEARED) and 4 (INVALID_MAYBE_SMEARED) as usable wall time.
 * Models a reader that decides smeared time is 'close enough', although
 * the ABI says those types offer no supported time.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .timetype_smeared knob is on, so the suite must fail exactly: R-HDR-TIMETYPE. */
#include "basereader.h"

static const struct br_defects defects = { .timetype_smeared = 1 };

BR_EXPORT(defects, "bad_timetype")
