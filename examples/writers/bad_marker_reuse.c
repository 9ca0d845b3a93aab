/* VMCLOCK-EXPECT: FAIL W-DISR-UNIQUE */
/* bad_marker_reuse - derives a new disruption_marker from the page's (+1): after a restore the page holds the snapshot's marker, so the marker of a migration that happened after the snapshot comes back
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_marker_reuse", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .marker_from_page = 1 };
BW_WRITER(cfg, 0)
