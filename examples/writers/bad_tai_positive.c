/* VMCLOCK-EXPECT: WARN W-TAI-SIGN */
/* bad_tai_positive - publishes tai_offset_sec as TAI - UTC (+37), the sign of UAPI.13 v1.0's example
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_tai_positive", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .tai_positive = 1 };
BW_WRITER(cfg, 0)
