/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-DISR-MARKER R-VMGEN R-MONO WARN R-SEQ-WINDOW */
/* bad_no_recheck.c - known-bad reader: loads seq_count once, retries while
 * it is odd, copies the fields and reads the counter, and never loads
 * seq_count again. Models the half-remembered seqlock: 'wait until the
 * writer is not busy, then read'. An update that begins after the first
 * load is invisible to it: a whole update in the middle of the copy gives
 * a mix of two states (R-SEQ-TORN), and an update still in progress at
 * the end of the copy gives fields written while seq_count was odd
 * (R-SEQ-ODD). Real-thread stress catches it only by luck (MEASURED.md);
 * the interleaving engine must catch it every time.
 *
 * The suite also charges what such a mix breaks (observed with seeds
 * 1..3): a torn read in the wrap sweeps is R-SEQ-WRAP, and a marker or
 * vmgen from another state than the time R-DISR-MARKER / R-VMGEN.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .no_recheck knob is on, so on static pages it passes every clause. */
#include "basereader.h"

static const struct br_defects defects = { .no_recheck = 1 };

BR_EXPORT(defects, "bad_no_recheck")
