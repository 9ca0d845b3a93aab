/* VMCLOCK-EXPECT: FAIL W-ENUM-RANGE */
/* bad_private_flag - sets a vendor flag in reserved flag bit 10
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_private_flag", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .private_flag = 1 };
BW_WRITER(cfg, 0)
