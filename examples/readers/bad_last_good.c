/* VMCLOCK-EXPECT: FAIL R-SEQ-BOUNDED WARN R-SEQ-WINDOW */
/* bad_last_good.c - known-bad reader: keeps the last snapshot that passed
 * its seq check in a static (per page). When its retry bound runs out
 * (about 100 ms: the writer began an update and never finished it) it
 * serves that snapshot with OK instead of returning BUSY: "the host is
 * stuck; the state it was updating from is still the newest there is".
 * R-SEQ-BOUNDED requires the timeout status in that case.
 *
 * What it serves is kept clean, so that only R-SEQ-BOUNDED is at stake:
 *   - only a snapshot of the same page, and only while the page's
 *     seq_count is the cached one + 1 (the stuck update is the one right
 *     after the cached state): the served state is the page's last
 *     committed one, never another page's or an older state's;
 *   - the time is computed at a counter read during this call (the
 *     contract's "counter read during this call"), not the old reading's.
 * No field is read while seq_count is odd (R-SEQ-ODD holds: the copy was
 * made in an earlier, validated window), and nothing is mixed.
 * Cold (no good read of the page yet) it returns BUSY like a correct
 * reader: only a warm reader shows the bug (spec "How findings are
 * charged" 4).
 *
 * The counter it pairs with the cached state is necessarily read while
 * the stuck update is open, when that state has stopped being current:
 * R-SEQ-WINDOW ("reads the counter while the state it uses is current"),
 * a SHOULD, so a warning, from the same defect.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .last_good knob is on, so the suite must fail exactly: R-SEQ-BOUNDED,
 * and warn R-SEQ-WINDOW. */
#include "basereader.h"

static const struct br_defects defects = { .last_good = 1 };

BR_EXPORT(defects, "bad_last_good")
