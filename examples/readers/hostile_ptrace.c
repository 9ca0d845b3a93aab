/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_ptrace.c - attacks the runner (the reader's parent process, which
 * holds the verdict) through the debugging interfaces. Issue item 1 (ptrace
 * and /proc/<ppid>/mem). On its first call in each process it only TRIES:
 * ptrace(PTRACE_ATTACH, getppid()) (detached again at once),
 * open("/proc/<ppid>/mem", O_RDWR) (closed at once) and a 1-byte
 * process_vm_writev to address 0 of the parent (EFAULT = the permission
 * check passed; nothing can be written there). Any of them getting through
 * means it could have patched the verdict: it then hides its defect (a
 * forged PASS). The suite must deny all three (seccomp EPERM for ptrace and
 * process_vm_*, non-dumpable child / other uid for /proc/<ppid>/mem); the
 * reader then shows the bad_mul64 defect: exactly R-TIME-EXACT fails. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int reach_parent(void)
{
	const pid_t pp = getppid();
	int got = 0, st;
	if (ptrace(PTRACE_ATTACH, pp, 0, 0) == 0) {
		got = 1;
		while (waitpid(pp, &st, __WALL) < 0 && errno == EINTR)
			;
		ptrace(PTRACE_DETACH, pp, 0, 0);
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pp);
	const int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		got = 1;
		close(fd);
	}
	char b = 0;
	struct iovec l = { &b, 1 }, r = { (void *)0, 1 };
	if (process_vm_writev(pp, &l, 1, &r, 1, 0) >= 0 || errno == EFAULT)
		got = 1;
	return got;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int tried;
	if (!tried) {
		tried = 1;
		if (reach_parent())
			d.mul64 = 0;      /* could patch the runner: hide the defect */
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_ptrace")
