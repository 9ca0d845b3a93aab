/* VMCLOCK-EXPECT: FAIL R-STAT-UNRELIABLE */
/* bad_unreliable_ok.c - known-bad reader: reports time when
 * clock_status is UNRELIABLE. Models a reader that treats clock_status as
 * informational only and never refuses time.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .unreliable_ok knob is on, so the suite must fail exactly: R-STAT-UNRELIABLE. */
#include "basereader.h"

static const struct br_defects defects = { .unreliable_ok = 1 };

BR_EXPORT(defects, "bad_unreliable_ok")
