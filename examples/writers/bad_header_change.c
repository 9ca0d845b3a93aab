/* VMCLOCK-EXPECT: FAIL W-HDR-CONST */
/* bad_header_change - rewrites size to 112 at a live migration (the new host's VMM version)
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_header_change", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .header_on_migrate = 1 };
BW_WRITER(cfg, 0)
