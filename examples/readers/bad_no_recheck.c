/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-DISR-MARKER WARN R-SEQ-WINDOW */
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
 * How the suite charges it (spec "How findings are charged" 3): a reading
 * that matches none of the writer's states is R-SEQ-TORN, one holding a
 * value only a half-done update had R-SEQ-ODD, a marker from another state
 * than the rest R-DISR-MARKER too. Its mixes in the wrap sweeps are mixes
 * without the wrap as well, so they stay R-SEQ-TORN, not R-SEQ-WRAP.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .no_recheck knob is on, so on static pages it passes every clause. */
#include "basereader.h"

static const struct br_defects defects = { .no_recheck = 1 };

BR_EXPORT(defects, "bad_no_recheck")
