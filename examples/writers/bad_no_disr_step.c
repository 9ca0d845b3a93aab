/* VMCLOCK-EXPECT: WARN W-DISR-STEP */
/* bad_no_disr_step - a time writer without MONOTONIC that changes the marker only on migration, restore, clone and frequency changes: a host clock step beyond its max error keeps the marker
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_no_disr_step", .time = 1, .errors = 1, .seq_start = 0, .no_step_marker = 1 };
BW_WRITER(cfg, 0)
