/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN */
/* bad_err_after_check.c - known-bad reader: loads time_esterror_nanosec
 * and time_maxerror_nanosec after the second seq_count check, outside the
 * seqlock window, so under a writer its error bounds can belong to a later
 * update than its time, or be read while that update is in progress. It
 * also adds a 1 ms safety margin to both bounds, which is legal (a bound
 * may be loose: R-ERR-BOUND forbids smaller ones only) and keeps every
 * torn bound above the page's exact one: the suite must still see the
 * tear, by comparing the reading with the reader's own quiet readings of
 * each state, not by the bound being too small (mutant M34 of
 * harness/mutants.def).
 *
 * Everything else is the correct shared reader (basereader.h). */
#include "basereader.h"

static const struct br_defects defects = { .err_after_check = 1, .err_margin_ns = 1000000 };

BR_EXPORT(defects, "bad_err_after_check")
