/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD WARN R-SEQ-WINDOW */
/* bad_masked_compare.c - known-bad reader: a "simplified" Linux idiom.
 * Linux masks the low bit of the FIRST seq_count load only and compares
 * it with the raw second load, so an odd second load never matches. This
 * reader masks both, (seq1 & ~1) == (seq2 & ~1), and has no separate odd
 * test. Accepted pairs (s = even):
 *   s   -> s     a clean copy (correct);
 *   s   -> s+1   the writer began during the copy and has not finished;
 *   s+1 -> s+1   the copy was made entirely inside an open update;
 *   s+1 -> s+2 and s -> s+2 (a whole update) are rejected.
 * So a whole update is always caught (the readings never mix two
 * COMMITTED states: in every accepted non-clean copy the update is still
 * open at the second load), but an open one is not. What it returns:
 *   - s+1 -> s+1: the page as the half-done update left it, fields the
 *     update has written so far with the old state's others: values from
 *     an unfinished update, R-SEQ-ODD (as bad_odd_ignored, whose accepted
 *     copies are a subset of these). On a page that stays odd it returns
 *     that at once instead of BUSY: still R-SEQ-ODD, fields read while
 *     seq_count was odd;
 *   - s -> s+1: a copy begun before the writer started and finished after
 *     some of its stores: fields of the old committed state mixed with
 *     partially written new ones, an image the page never held at any
 *     moment. Its new fields were last read while seq_count was odd, which
 *     the interleaving engine sees: R-SEQ-ODD, not R-SEQ-TORN (it never
 *     mixes two committed states; spec "How findings are charged" 3);
 *   - s -> s+1 with no new store copied: the old state, clean, but with a
 *     counter read after the writer had begun, while no state was current:
 *     R-SEQ-WINDOW (a SHOULD), a warning.
 * Whole-update schedules (R-SEQ-WRAP's sweeps, R-MONO, R-DISR-MARKER and
 * R-VMGEN's restores) are always rejected and retried, so those clauses
 * hold; the odd images only come from half-done updates (R-SEQ-ODD's and
 * R-SEQ-BOUNDED's cases).
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .masked_compare knob is on, so the suite must fail exactly:
 * R-SEQ-ODD R-SEQ-TORN, and warn R-SEQ-WINDOW. */
#include "basereader.h"

static const struct br_defects defects = { .masked_compare = 1 };

BR_EXPORT(defects, "bad_masked_compare")
