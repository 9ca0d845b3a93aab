/* VMCLOCK-EXPECT: FAIL R-HDR-VERSION */
/* bad_no_version.c - known-bad reader: never checks the version.
 * Models a reader written against the one version that exists today,
 * which will silently misparse a future incompatible layout.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .no_version knob is on, so the suite must fail exactly: R-HDR-VERSION. */
#include "basereader.h"

static const struct br_defects defects = { .no_version = 1 };

BR_EXPORT(defects, "bad_no_version")
