/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* bad_shift_first.c - known-bad reader: applies the shift to the
 * period before multiplying: P = counter_period_frac_sec >> shift, the
 * literal reading of UAPI.13's text. The low bits of the period are lost,
 * about 38 us after 10^15 ticks of a 1 GHz counter (spec section 3).
 * Confined to shift < 64 like the other arithmetic bugs.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .shift_first knob is on, so the suite must fail exactly: R-TIME-EXACT. */
#include "basereader.h"

static const struct br_defects defects = { .shift_first = 1 };

BR_EXPORT(defects, "bad_shift_first")
