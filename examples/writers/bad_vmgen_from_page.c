/* VMCLOCK-EXPECT: FAIL W-VMGEN */
/* bad_vmgen_from_page - Firecracker-like, but the new vm_generation_counter is the restored page's + 1: a second restore of one snapshot repeats a generation
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_vmgen_from_page", .vmgen = 1, .seq_start = 0, .vmgen_from_page = 1 };
BW_WRITER(cfg, VMCLOCK_WUT_PUB_MARKER | VMCLOCK_WUT_PUB_VMGEN)
