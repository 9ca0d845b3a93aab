/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD */
/* bad_odd_ignored.c - known-bad reader: never tests the low bit of
 * seq_count: it only checks that the two seq loads are equal. Models a
 * seqcount reader that forgot the 'update in progress' half of the
 * protocol; it returns half-written fields whenever the writer is mid
 * update for the whole read (or is stuck odd).
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .odd_ignored knob is on, so the suite must fail exactly: R-SEQ-ODD. */
#include "basereader.h"

static const struct br_defects defects = { .odd_ignored = 1 };

BR_EXPORT(defects, "bad_odd_ignored")
