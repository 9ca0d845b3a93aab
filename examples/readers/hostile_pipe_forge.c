/* VMCLOCK-EXPECT: FAIL R-HDR-MAGIC R-HDR-VERSION R-HDR-SIZE R-HDR-COUNTER R-HDR-TIMETYPE R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-SEQ-BOUNDED R-SEQ-WINDOW R-TIME-EXACT R-TIME-SHIFT R-TIME-TAI R-ERR-FLAGS R-ERR-BOUND R-STAT-UNRELIABLE R-DISR-MARKER R-VMGEN R-MONO R-ROB-NOCRASH R-TIME-LIVE R-CONTRACT */
/* hostile_pipe_forge.c - forges messages on the runner's result pipe (issue
 * item 9). On its 5th call in each process (loading and the first cases go
 * normally) it writes to every pipe among its fds 3..63: (a) 3 stray bytes,
 * which put the runner's fixed-size message reads out of step, then (b) a
 * 4096-byte blob whose first int is 1 (MSG_DONE) and second an index of
 * 0x7fffffff, far beyond the case list. Its defect (the bad_mul64 knob) is
 * always on: the attack aims at the runner, not at a verdict. Today the
 * runner takes the bytes as messages (see the README table for what that
 * does). The suite must validate every message (type, index = the case in
 * progress, length) and treat a malformed one as the reader's doing, never
 * index with it. It does: the malformed message is "tried to interfere with
 * the suite", a FAIL of the case in progress (the 5th call of each process),
 * and every clause has such a case: every clause FAILs. */
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "basereader.h"

static const struct br_defects d = { .mul64 = 1 };

static void forge(void)
{
	static unsigned blob[1024];
	blob[0] = 1;                      /* MSG_DONE */
	blob[1] = 0x7fffffffu;            /* idx */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	for (int fd = 3; fd < 64; fd++) {
		struct stat st;
		if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
			continue;
		if (write(fd, "xyz", 3) < 0 || write(fd, blob, sizeof blob) < 0)
			continue;         /* errors ignored */
	}
	signal(SIGPIPE, old);
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static unsigned calls;
	if (++calls == 5)
		forge();
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_pipe_forge")
