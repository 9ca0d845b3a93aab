/* VMCLOCK-EXPECT: FAIL R-ERR-FLAGS */
/* bad_err_noflag.c - known-bad reader: reports time_esterror_nanosec
 * and time_maxerror_nanosec without checking TIME_ESTERROR_VALID and
 * TIME_MAXERROR_VALID. Models a clock-error-bound daemon that takes an
 * unset (zero) error field as 'perfectly synchronised'.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .err_noflag knob is on, so the suite must fail exactly: R-ERR-FLAGS. */
#include "basereader.h"

static const struct br_defects defects = { .err_noflag = 1 };

BR_EXPORT(defects, "bad_err_noflag")
