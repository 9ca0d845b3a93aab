/* VMCLOCK-EXPECT: FAIL W-MONO */
/* bad_mono_calib - MONOTONIC, but publishes a calibration's new time line as is: at a calibration the time can go back
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_mono_calib", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .mono_calib = 1 };
BW_WRITER(cfg, 0)
