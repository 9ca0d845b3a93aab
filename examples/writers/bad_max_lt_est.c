/* VMCLOCK-EXPECT: WARN W-ERR-CONSISTENT */
/* bad_max_lt_est - swaps time_maxerror_nanosec and time_esterror_nanosec: max error below the estimated error
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_max_lt_est", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .max_below_est = 1 };
BW_WRITER(cfg, 0)
