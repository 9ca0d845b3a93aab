/* VMCLOCK-EXPECT: FAIL R-CONTRACT */
/* bad_nsec_1e9.c - known-bad reader: rounds to the NEAREST ns, which
 * R-TIME-EXACT allows, as (frac * 10^9 + 2^63) >> 64, but forgets that
 * the result is 10^9 for any fraction within half a ns of the next second
 * (frac >= 2^64 - 2^63 / 10^9, about 1 in 2 * 10^9 of uniform fractions,
 * and edge values such as 0xffff...ff), and returns nsec = 1000000000
 * without carrying it into sec. The contract (and R-CONTRACT) requires
 * nsec < 10^9. Example: time_frac_sec 0xffffffffbb48ff99 (0.0625 ns
 * before a second) at delta 0, or the suite's "1 ns before a second"
 * vector. The time it stands for (sec + 10^9 ns) is the nearest ns, so
 * the arithmetic itself is not at fault: a reading that breaks the
 * contract is charged to R-CONTRACT and judged no further.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .nsec_nocarry knob is on, so the suite must fail exactly: R-CONTRACT. */
#include "basereader.h"

static const struct br_defects defects = { .nsec_nocarry = 1 };

BR_EXPORT(defects, "bad_nsec_1e9")
