/* VMCLOCK-EXPECT: FAIL W-SEQ-PROTOCOL */
/* bad_seq_step2 - steps seq_count by 2 at the start and at the end of an update (never odd)
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_seq_step2", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0, .seq_step2 = 1 };
BW_WRITER(cfg, 0)
