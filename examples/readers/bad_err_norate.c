/* VMCLOCK-EXPECT: FAIL R-ERR-BOUND */
/* bad_err_norate.c - known-bad reader: reports the maximum error as
 * time_maxerror_nanosec alone and never adds the growth term
 * period_maxerror_rate x delta, even with PERIOD_MAXERROR_VALID. The bound
 * is understated more and more the older the page's snapshot is.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .err_norate knob is on, so the suite must fail exactly: R-ERR-BOUND. */
#include "basereader.h"

static const struct br_defects defects = { .err_norate = 1 };

BR_EXPORT(defects, "bad_err_norate")
