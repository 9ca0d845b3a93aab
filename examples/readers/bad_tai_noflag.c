/* VMCLOCK-EXPECT: FAIL R-TIME-TAI */
/* bad_tai_noflag.c - known-bad reader: reports tai_offset_sec without
 * checking TAI_OFFSET_VALID. Models a reader that assumes the hypervisor
 * always knows the TAI offset and reports a meaningless 0 (or stale
 * value) as if it were valid.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .tai_noflag knob is on, so the suite must fail exactly: R-TIME-TAI. */
#include "basereader.h"

static const struct br_defects defects = { .tai_noflag = 1 };

BR_EXPORT(defects, "bad_tai_noflag")
