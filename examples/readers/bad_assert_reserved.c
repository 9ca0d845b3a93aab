/* VMCLOCK-EXPECT: FAIL R-ROB-NOCRASH */
/* bad_assert_reserved.c - known-bad reader: abort()s when a
 * reserved flag bit (10..63) is set. Models an assert(!(flags & ~KNOWN))
 * left in a production reader: a newer hypervisor that defines a new flag
 * crashes every old guest.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .assert_reserved knob is on, so the suite must fail exactly: R-ROB-NOCRASH. */
#include "basereader.h"

static const struct br_defects defects = { .assert_reserved = 1 };

BR_EXPORT(defects, "bad_assert_reserved")
