/* VMCLOCK-EXPECT: PASS */
/* plain_time - a time writer with error bounds but without MONOTONIC: it publishes the host's estimate as is, and a new marker for any step beyond its promise
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "plain_time", .time = 1, .errors = 1, .seq_start = 0 };
BW_WRITER(cfg, VMCLOCK_WUT_PUB_TIME | VMCLOCK_WUT_PUB_ERRORS | VMCLOCK_WUT_PUB_MARKER)
