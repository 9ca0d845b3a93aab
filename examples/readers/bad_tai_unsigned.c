/* VMCLOCK-EXPECT: FAIL R-TIME-TAI */
/* bad_tai_unsigned.c - known-bad reader: reads tai_offset_sec as an
 * unsigned 16-bit value, so the usual negative offset (UTC - TAI = -37)
 * is reported as 65499 seconds.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .tai_unsigned knob is on, so the suite must fail exactly: R-TIME-TAI. */
#include "basereader.h"

static const struct br_defects defects = { .tai_unsigned = 1 };

BR_EXPORT(defects, "bad_tai_unsigned")
