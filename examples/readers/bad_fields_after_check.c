/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN */
/* bad_fields_after_check.c - known-bad reader: a complete, correct
 * seqcount loop (odd test, fence, fields, counter, fence, equality
 * re-check) that simply does not cover everything: time_sec and
 * time_frac_sec are loaded AFTER the loop. Models a reader that grew a
 * field later and added its load after the 'snapshot' helper, or one that
 * validates a header struct and then reads the time base 'because it is
 * just two words'. Those two fields can belong to a later update than the
 * rest (counter_value, period, marker: R-SEQ-TORN) or be half-written
 * while seq_count is odd (R-SEQ-ODD). With a disruption in that update
 * the marker is the old one and the time the new one, which the oracle may
 * also charge to R-DISR-MARKER.
 *
 * How the suite charges it (spec "How findings are charged" 3): a reading
 * that matches none of the writer's states is R-SEQ-TORN, one holding a
 * value only a half-done update had R-SEQ-ODD, a marker from another state
 * than the rest R-DISR-MARKER too. Its mixes in the wrap sweeps are mixes
 * without the wrap as well, so they stay R-SEQ-TORN, not R-SEQ-WRAP.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .fields_after_check knob is on, so on static pages it passes every clause. */
#include "basereader.h"

static const struct br_defects defects = { .fields_after_check = 1 };

BR_EXPORT(defects, "bad_fields_after_check")
