/* VMCLOCK-EXPECT: PASS */
/* firecracker_like - modelled on Firecracker: marker and VM generation counter (VM_GEN_COUNTER_PRESENT), both changed in the one update that follows a snapshot restore or a clone; counter INVALID, no time
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "firecracker_like", .vmgen = 1, .seq_start = 0 };
BW_WRITER(cfg, VMCLOCK_WUT_PUB_MARKER | VMCLOCK_WUT_PUB_VMGEN)
