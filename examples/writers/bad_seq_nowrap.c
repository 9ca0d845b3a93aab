/* VMCLOCK-EXPECT: FAIL W-SEQ-PROTOCOL */
/* bad_seq_nowrap - keeps seq_count in 31 bits (a signed int): 0x7fffffff is followed by 0, not 0x80000000
 * (basewriter.h: the shared correct writer; the knob below is the whole
 * difference). */
#include "basewriter.h"

static const struct bw_config cfg = { .name = "bad_seq_nowrap", .time = 1, .errors = 1, .monotonic = 1, .tai = 1, .seq_start = 0x7ffffff0u, .seq_31bit = 1 };
BW_WRITER(cfg, 0)
