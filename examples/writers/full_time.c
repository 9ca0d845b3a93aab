/* VMCLOCK-EXPECT: PASS */
/* full_time - a host daemon's full time writer: UTC with TAI offset, error bounds, TIME_MONOTONIC (time held, bound widened, rather than going back), marker on every disruption and on any step beyond its promise; seq_count starts at 0xfffffff0 so the wrap to 0 is exercised; declares nothing (the suite infers what it publishes)
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "full_time", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u };
BW_WRITER(cfg, 0)
