/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_detect.c - a reader that behaves only when it knows it is being
 * tested (issue item 5: the suite's tells). At each call, until it has seen
 * one, it looks for "vmclock" in the names of the memfds it has mapped
 * (/proc/self/maps lines "/memfd:...") and in the names of its threads
 * (/proc/self/task/STAR/comm, the main thread's too: a forked child keeps
 * the runner's "vmclock-suite"). On a tell it hides its defect (a forged
 * PASS); otherwise it shows the bad_mul64 defect. It prints nothing.
 * The suite must give its memfds and the reader's process and threads
 * neutral names (PR_SET_NAME); then exactly R-TIME-EXACT fails. Tells it
 * deliberately does NOT check, which remain (documented): the dladdr()
 * name of the counter callback, /proc/self/exe and /proc/<ppid>/exe, the
 * path of the suite binary in /proc/self/maps. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int tell(void)
{
	char line[512];
	int seen = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && !seen && fgets(line, sizeof line, f))
		seen = strstr(line, "/memfd:") && strstr(line, "vmclock");
	if (f)
		fclose(f);
	DIR *dir = opendir("/proc/self/task");
	for (struct dirent *e; !seen && dir && (e = readdir(dir));) {
		char p[300];
		snprintf(p, sizeof p, "/proc/self/task/%s/comm", e->d_name);
		FILE *c = e->d_name[0] != '.' ? fopen(p, "r") : NULL;
		if (c && fgets(line, sizeof line, c))
			seen = strstr(line, "vmclock") != NULL;
		if (c)
			fclose(c);
	}
	if (dir)
		closedir(dir);
	return seen;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	if (d.mul64 && tell())
		d.mul64 = 0;              /* under test: behave */
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_detect")
