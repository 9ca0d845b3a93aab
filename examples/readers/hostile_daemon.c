/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_daemon.c - leaves a process behind that outlives the run (issue
 * item 10). On its first call in each process it double-forks a daemon
 * (setsid in between; argv/comm "hostile-daemon" via PR_SET_NAME) that
 * closes its fds >= 3, sleeps 30 s, then overwrites the file named by
 * $HOSTILE_TARGET (the contain test points it at the --json report) and
 * writes a fake "R-TIME-EXACT ... PASS" line to its fd 1. When the daemon
 * could be started the reader hides its defect (a forged PASS); when fork()
 * fails it shows the bad_mul64 defect. The suite must refuse fork/clone of
 * processes and setsid (and kill its reader's whole session at the end);
 * then exactly R-TIME-EXACT fails and no hostile-daemon is left. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static void daemon_main(void)
{
	prctl(PR_SET_NAME, "hostile-daemon");
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	sleep(30);
	const char *t = getenv("HOSTILE_TARGET");
	const int fd = t ? open(t, O_WRONLY | O_TRUNC) : -1;
	static const char fake[] = "R-TIME-EXACT       MUST   PASS\n";
	if (fd >= 0) {
		const ssize_t w = write(fd, "{\"conformant\":true}\n", 20);
		(void)w;
		close(fd);
	}
	_exit(write(1, fake, sizeof fake - 1) < 0);
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int done;
	if (!done) {
		done = 1;
		const pid_t mid = fork();
		if (mid == 0) {
			setsid();
			if (fork() == 0)
				daemon_main();
			_exit(0);
		}
		if (mid > 0) {
			waitpid(mid, NULL, 0);
			d.mul64 = 0;          /* a daemon is out: behave */
		}
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_daemon")
