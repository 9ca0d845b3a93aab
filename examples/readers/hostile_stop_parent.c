/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_stop_parent.c - stops the runner (issue item 13). On its 3rd
 * call in each process it sends SIGSTOP to its parent, the runner, which
 * then never reads another message or enforces a timeout: the whole run
 * hangs (the reader blocks once the result pipe is full). If kill() works
 * it also hides its defect; if it fails it shows the bad_mul64 defect.
 * DANGER: test by hand only under `setsid -w timeout ...`, then
 * `kill -CONT` the stopped vmclock-suite. The suite must refuse kill() to
 * any other process (seccomp EPERM) and run the reader as another uid;
 * then exactly R-TIME-EXACT fails, in the usual time. */
#include <signal.h>
#include <unistd.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static unsigned calls;
	if (++calls == 3 && kill(getppid(), SIGSTOP) == 0)
		d.mul64 = 0;
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_stop_parent")
