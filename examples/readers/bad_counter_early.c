/* VMCLOCK-EXPECT: FAIL R-MONO WARN R-SEQ-WINDOW */
/* bad_counter_early.c - known-bad reader: takes 'now' from the counter
 * once, BEFORE the seqcount loop, and then copies a consistent state.
 * Models the natural-looking 'now = rdtsc(); do { ... } while (retry)'.
 * If the writer commits an update between that counter read and the first
 * seq load, the reader extrapolates the NEW state backwards to a counter
 * value taken while the OLD state was current. The MONOTONIC rule only
 * promises old(c) <= new(c') for counters read during the update, so with
 * a TIME_MONOTONIC writer that slows the clock (or steps its rate) the
 * result can be earlier than this reader's previous reading: R-MONO.
 * Reading the counter outside the window is itself the SHOULD R-SEQ-WINDOW
 * (a WARN, not listed here).
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .counter_early knob is on, so on static pages it passes every clause. */
#include "basereader.h"

static const struct br_defects defects = { .counter_early = 1 };

BR_EXPORT(defects, "bad_counter_early")
