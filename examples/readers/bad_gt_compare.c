/* VMCLOCK-EXPECT: FAIL R-SEQ-WRAP R-DISR-MARKER */
/* bad_gt_compare.c - known-bad reader: tests the odd bit on both seq
 * loads, but retries only when the second is GREATER than the first
 * ('the writer only ever counts up'). Correct for every update except
 * the one that wraps seq_count: 0xfffffffe -> 0xffffffff -> 0. A copy
 * spanning that update ends with seq 0 < 0xfffffffe and is accepted,
 * possibly a mix of two states. A writer that started at 0 and updates
 * once a second needs 68 years to get there, which is why such code
 * survives every test that does not start near the wrap; a writer that
 * starts its seq_count at a random or high value gets there at once.
 *
 * Everything else is the correct shared reader (basereader.h); only the
  * .gt_compare knob is on, so the suite must fail exactly: R-SEQ-WRAP (the
 * same schedules without the wrap read right), and R-DISR-MARKER: the mixes
 * it accepts across the wrap report a marker of another state than the
 * time (spec "How findings are charged" 3). */
#include "basereader.h"

static const struct br_defects defects = { .gt_compare = 1 };

BR_EXPORT(defects, "bad_gt_compare")
