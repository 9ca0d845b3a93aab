/* VMCLOCK-EXPECT: FAIL R-SEQ-WRAP R-DISR-MARKER */
/* bad_seq0_cache.c - known-bad reader: keeps the last snapshot in a
 * static cache keyed on seq_count and skips the copy when seq_count has
 * not changed. The cache is zero-initialised and has no 'filled' flag, so
 * before the first real copy it claims to hold the state for seq_count 0:
 * the first read of a page whose seq_count is 0 (a freshly initialised
 * writer, or one that has just wrapped) returns time 0, disruption marker
 * 0, status and flags 0, and keeps doing so until seq_count moves. Spec
 * section 3 lists this cache among the weaknesses seen in public reader
 * code. The suite's R-SEQ-WRAP and R-DISR-MARKER cases start, in a fresh
 * process, with a static page whose seq_count is 0, followed by its twin
 * with an ordinary seq_count (suite/tests/seq.c, disr.c): the readings
 * differ, R-SEQ-WRAP's, and so do the markers, R-DISR-MARKER's (spec rule
 * 4; issue 7 item 6).
 *
 * Only the zero-key half of such a cache is modelled: after a real copy,
 * a seq-keyed cache is also stale when a page is replaced without a
 * seq_count change, which is bad_marker_cache's defect (R-DISR-MARKER)
 * and would smear this reader over every field clause, because the
 * suite's static cases reuse seq_count 2 for unrelated pages (see the
 * seq0_cache knob in basereader.h).
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .seq0_cache knob is on. */
#include "basereader.h"

static const struct br_defects defects = { .seq0_cache = 1 };

BR_EXPORT(defects, "bad_seq0_cache")
