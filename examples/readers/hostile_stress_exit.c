/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-DISR-MARKER WARN R-SEQ-WINDOW */
/* hostile_stress_exit.c - attacks the real-thread stress cross-check
 * (--stress-ms; issue item 4). On its first call in a process that already
 * runs a second thread (the stress child starts its writer thread before
 * the first read; the sandbox child has one thread) it calls _exit(0): the
 * stress child ends "normally" after 0 reads, so no torn reading can be
 * found and the stress line says nothing is wrong. Its defect is the
 * bad_no_recheck knob (always on), which the engine catches anyway: the
 * line above is for a plain check. With --stress-ms the suite must report
 * that the reader ended the stress process (a FAIL of R-SEQ-TORN, already
 * in the line) instead of a clean stress line: harness/tests/contain.bats. */
#include <dirent.h>
#include <unistd.h>
#include "basereader.h"

static const struct br_defects d = { .no_recheck = 1 };

static int threads(void)
{
	DIR *dir = opendir("/proc/self/task");
	int n = 0;
	if (!dir)
		return 1;
	for (struct dirent *e; (e = readdir(dir));)
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int checked;
	if (!checked) {
		checked = 1;
		if (threads() > 1)
			_exit(0);         /* a writer thread runs: this is the stress mode */
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_stress_exit")
