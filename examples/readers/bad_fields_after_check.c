/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-DISR-MARKER R-VMGEN R-MONO */
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
 * The suite also charges what such a mix breaks (observed with seeds
 * 1..3): a torn read in the wrap sweeps is R-SEQ-WRAP, and a marker or
 * vmgen from another state than the time R-DISR-MARKER / R-VMGEN.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .fields_after_check knob is on, so on static pages it passes every clause. */
#include "basereader.h"

static const struct br_defects defects = { .fields_after_check = 1 };

BR_EXPORT(defects, "bad_fields_after_check")
