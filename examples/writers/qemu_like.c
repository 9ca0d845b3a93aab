/* VMCLOCK-EXPECT: PASS */
/* qemu_like - modelled on QEMU's vmclock device: header and a disruption marker that changes on migration, restore, clone and counter frequency change; counter_id INVALID, no time (so the time, error, TAI and vmgen clauses are NOT_SUPPORTED)
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "qemu_like", .seq_start = 0 };
BW_WRITER(cfg, VMCLOCK_WUT_PUB_MARKER)
