/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* bad_long_double.c - known-bad reader: computes the time as one x87
 * 80-bit long double in seconds, t = time_sec + time_frac/2^64 +
 * delta * period/2^(64+shift), instead of the exact 128-bit integer
 * formula (spec section 1). The mantissa is 64 bits; the seconds of 2026
 * take 31 of them, so t carries only 2^-33 s (0.12 ns) of resolution and
 * each of its three roundings costs up to half of that. Whenever the
 * exact time lies within ~0.1 ns above a whole ns, the reported ns is one
 * too small, which neither floor nor nearest allows (R-TIME-EXACT). On
 * pages whose time_sec is far from 2^31 (random and edge values) the loss
 * is seconds, not ns.
 *
 * Measured against vmclock_tm_at + floor/nearest (reference/timemath.h),
 * deltas 2^20..2^40, shift 29: wrong for 0 of 100000 deltas on the exact
 * default page (its period is 1 ns to 2e-20, so the sub-ns part of its
 * time stays 0.444 ns at every delta, and 0.12 ns of error never crosses
 * a ns), ~2% with a random time_frac, ~5% with the period nudged by up to
 * 5 ppm as a disciplined clock does, ~45% of the writer's random pages.
 *
 * Like the other arithmetic bugs it lives on the shift < 64 fast path
 * (see basereader.h br_time): shifts of 64 and more go through the exact
 * 128-bit slow path, so this stays an R-TIME-EXACT failure and does not
 * spill into R-TIME-SHIFT. It keeps nsec < 10^9 (R-CONTRACT).
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .long_double knob is on, so the suite must fail exactly: R-TIME-EXACT. */
#include "basereader.h"

static const struct br_defects defects = { .long_double = 1 };

BR_EXPORT(defects, "bad_long_double")
