/* VMCLOCK-EXPECT: WARN W-ERR-BOUNDS */
/* bad_err_slope - a slewing writer (time continuous at every update) that applies a calibration's period correction 1000 times over (ppb read as ppm): the new time line leaves the earlier state's promised interval for readings made under it
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_err_slope", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .slope_x1000 = 1 };
BW_WRITER(cfg, 0)
