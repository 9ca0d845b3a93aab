/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* bad_mul64.c - known-bad reader: multiplies delta by the period in 64
 * bits, the classic clocksource (delta * mult) >> shift idiom, so the
 * product overflows as soon as delta * period >= 2^64 (with a period near
 * 2^63 that is delta >= 2). The bug is on its fast path (shift < 64);
 * larger shifts take a correct 128-bit slow path, so only R-TIME-EXACT.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .mul64 knob is on, so the suite must fail exactly: R-TIME-EXACT. */
#include "basereader.h"

static const struct br_defects defects = { .mul64 = 1 };

BR_EXPORT(defects, "bad_mul64")
