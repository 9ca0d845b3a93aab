/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_output.c - floods every output it can reach (issue item 16). On
 * its first call in each process it writes 50 MB to each of fds 1, 2, 3 and
 * 4 (errors ignored: those may be closed, /dev/null, a pipe), then a fake
 * report line "R-TIME-EXACT       MUST   PASS" to each. Its defect (the
 * bad_mul64 knob) is always on. The suite must keep the reader's bytes out
 * of its report (stdout gets no fake line and stays small), keep its stderr
 * file bounded (RLIMIT_FSIZE), and leave only the result pipe and stderr
 * open; then exactly R-TIME-EXACT fails (fds 3 and 4 may then be the result
 * pipe, whose messages the suite validates: see hostile_pipe_forge). */
#include <signal.h>
#include <unistd.h>
#include "basereader.h"

static const struct br_defects d = { .mul64 = 1 };

static void flood(void)
{
	static char junk[1 << 16];
	static const char fake[] = "\nR-TIME-EXACT       MUST   PASS\n";
	signal(SIGPIPE, SIG_IGN);
	for (int fd = 1; fd <= 4; fd++) {
		for (unsigned i = 0; i < 50u * 16u; i++)     /* 50 MB */
			if (write(fd, junk, sizeof junk) < 0)
				break;
		if (write(fd, fake, sizeof fake - 1) < 0)
			continue;
	}
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int done;
	if (!done) {
		done = 1;
		flood();
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_output")
