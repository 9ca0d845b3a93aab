/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* bad_counter_relabel.c - known-bad reader: reads the counter twice
 * inside the seq window, PTP "pre/post timestamp" style, computes the
 * time from the first read and reports the second in reading.counter
 * ("the latest counter value we have a time for"). Both reads are inside
 * the window of one committed state and both happen during the call, so
 * the seqcount clauses, R-SEQ-WINDOW and the contract hold; the time is
 * simply not the time at the counter it is labelled with: it lags it by
 * the ticks between the two reads (R-TIME-EXACT, "computes time exactly
 * as in 1." at its counter). Error bounds are computed at the reported, later
 * counter, so they are larger than at the first and never understated
 * (no R-ERR-BOUND).
 *
 * Only visible when the counter moves between two reads: a case whose
 * counter script has step 0 hands out the same value twice and reads
 * exactly. The suite's default step is 1000 ticks (1 us at 1 GHz). Like
 * the arithmetic bugs it is confined to the shift < 64 fast path (see
 * basereader.h): a time that is wrong on a page with a shift of 64 or
 * more is charged to R-TIME-SHIFT, which this bug does not break.
 *
 * Under a concurrent writer every reading is one committed state's (both
 * reads are in the window that validated): compared with the reader's
 * quiet reading of that state, handed the same counter values as the
 * attempt that succeeded, it is identical, so no R-SEQ-* clause is at
 * stake. (A retry consumes the failed attempt's two reads first; a judge
 * that replays the call's counter values from its first read, rather
 * than the succeeding attempt's, sees a different time.)
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .counter_relabel knob is on, so the suite must fail exactly: R-TIME-EXACT. */
#include "basereader.h"

static const struct br_defects defects = { .counter_relabel = 1 };

BR_EXPORT(defects, "bad_counter_relabel")
