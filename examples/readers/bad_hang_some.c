/* VMCLOCK-EXPECT: FAIL R-ROB-NOCRASH */
/* bad_hang_some.c - known-bad reader that hangs on a few pages only. It
 * was written for a hypervisor with a private extension in the RESERVED
 * flag bit 10 ("marker epochs": while a restore is in progress the host
 * keeps the low 12 bits of disruption_marker at zero and sets them when
 * the restore is done). Before serving a time from such a page (bit 10
 * set, marker & 0xfff == 0) it waits for the restore to finish by polling
 * the marker, with no bound. Bits 10..63 are reserved (they mean nothing
 * on any other host), and on a page that never changes the wait never
 * ends: a hang, R-ROB-NOCRASH ("on any page bytes: no crash, hang ...").
 * Any other page is read correctly, and it never hangs when it would not
 * report a time anyway.
 *
 * It spins only on pages whose marker has its low 12 bits all zero (the
 * default page's 0x0123456789abcdef has 0xdef there), and only when a
 * reserved bit is set as well. Why both: the suite draws its random
 * markers edge-biased (0 and 2^k are frequent), so about 15% of random
 * pages in every clause have a marker ending in 12 zero bits; a hang is
 * charged to the clause whose case it is (spec section 2), so a trigger
 * on the marker alone would fail R-TIME-EXACT, R-DISR-MARKER,
 * R-STAT-UNRELIABLE, R-ERR-* and, depending on the seed, R-VMGEN and
 * R-SEQ-WRAP as well. Reserved flag bits appear only on R-ROB-NOCRASH's
 * pages (writers keep them zero; W-ENUM-RANGE). There, among its 2000
 * random byte pages, about 1 in 160 has a header it accepts, a time it
 * would serve, bit 10 and such a marker: 5 to 20 hangs a run (12 on
 * average over 40 replayed seeds of that generator, never three in a
 * row; none at all has odds of about 4e-6). It hangs in a few cases only,
 * fewer than any give-up limit, spread out: each hang is a case that does
 * not return twice (spec rule 6), and the verdict must still be FAIL.
 * (With the marker alone as the trigger the same replay gives 304 of
 * 2000 of the writer's random pages, 15%.)
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .hang_marker knob is on, so the suite must fail exactly: R-ROB-NOCRASH. */
#include "basereader.h"

static const struct br_defects defects = {
	.hang_marker = 1,
	.hang_marker_flags = UINT64_C(1) << 10,   /* the reserved bit it trusts */
};

BR_EXPORT(defects, "bad_hang_some")
