/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* bad_lost_carry.c - known-bad reader: adds the scaled product to
 * time_frac_sec in 64 bits and forgets the carry into seconds, so a
 * reading whose fraction passes a second boundary is one second early.
 * Confined to shift < 64 like the other arithmetic bugs.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .lost_carry knob is on, so the suite must fail exactly: R-TIME-EXACT. */
#include "basereader.h"

static const struct br_defects defects = { .lost_carry = 1 };

BR_EXPORT(defects, "bad_lost_carry")
