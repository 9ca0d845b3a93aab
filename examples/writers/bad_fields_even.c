/* VMCLOCK-EXPECT: FAIL W-SEQ-PROTOCOL */
/* bad_fields_even - writes time_sec and time_frac_sec before making seq_count odd
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_fields_even", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0xfffffff0u, .fields_while_even = 1 };
BW_WRITER(cfg, 0)
