/* VMCLOCK-EXPECT: FAIL W-HDR-VALID */
/* bad_size_two_pages - publishes size 8192 in a 4096-byte region
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_size_two_pages", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .size_two_pages = 1 };
BW_WRITER(cfg, 0)
