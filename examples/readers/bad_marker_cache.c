/* VMCLOCK-EXPECT: FAIL R-DISR-MARKER */
/* bad_marker_cache.c - known-bad reader: caches disruption_marker
 * and re-reads it only when seq_count changes. Models a 'fast path' cache
 * keyed on seq_count alone: after a restore, a new device or another page
 * whose seq_count happens to equal the cached one, it returns the old
 * marker and misses the disruption.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .marker_cache knob is on, so the suite must fail exactly: R-DISR-MARKER. */
#include "basereader.h"

static const struct br_defects defects = { .marker_cache = 1 };

BR_EXPORT(defects, "bad_marker_cache")
