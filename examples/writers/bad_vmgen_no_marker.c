/* VMCLOCK-EXPECT: WARN W-VMGEN-DISR */
/* bad_vmgen_no_marker - Firecracker-like, but a restore or clone changes vm_generation_counter and keeps the disruption marker
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_vmgen_no_marker", .vmgen = 1, .seq_start = 0, .vmgen_no_marker = 1 };
BW_WRITER(cfg, VMCLOCK_WUT_PUB_MARKER | VMCLOCK_WUT_PUB_VMGEN)
