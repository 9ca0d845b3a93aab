/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_fork_twin.c - escapes the process the runner watches (issue item
 * 8). On its first call in a process it fork()s: the twin inherits the
 * result pipe, turns its defect off and carries on (returns this call and
 * serves every later case, its results arriving on the pipe as if from the
 * original); the original _exit(0)s at once, so the process the runner
 * waits for and would kill on a hang is gone, and the runner accepts the
 * twin's correct readings (a forged PASS). If fork() fails it shows the
 * bad_mul64 defect. The suite must refuse fork/vfork/clone of processes
 * (threads stay allowed); then exactly R-TIME-EXACT fails. */
#include <unistd.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int forked;
	if (!forked) {
		forked = 1;
		const pid_t pid = fork();
		if (pid > 0)
			_exit(0);             /* the original: gone, the twin goes on */
		if (pid == 0)
			d.mul64 = 0;          /* the twin: behave */
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_fork_twin")
