/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_files.c - damages files of whoever runs the suite (issue item
 * 18). On its first call in each process it unlink()s every regular file
 * named "victim*" in its current directory and mkdir()s the path in
 * $HOSTILE_TARGET (the contain test points it at the --json report, so
 * the report cannot be written). If either works (or the directory is
 * already there: made by an earlier process of the same run, which also
 * took the victims) it hides its defect (a forged PASS); if both fail it
 * shows the bad_mul64 defect. Without victim
 * files and $HOSTILE_TARGET both fail, so it is harmless elsewhere, but it
 * is only run from harness/tests/contain.bats, in a scratch directory.
 * The suite must deny all filesystem writes, creates and deletes (Landlock)
 * and run the reader as another uid; then exactly R-TIME-EXACT fails. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int damage(void)
{
	int got = 0;
	DIR *dir = opendir(".");
	for (struct dirent *e; dir && (e = readdir(dir));) {
		struct stat st;
		if (!strncmp(e->d_name, "victim", 6) && lstat(e->d_name, &st) == 0 && S_ISREG(st.st_mode) &&
		    unlink(e->d_name) == 0)
			got = 1;
	}
	if (dir)
		closedir(dir);
	const char *t = getenv("HOSTILE_TARGET");
	struct stat st;
	if (t && (mkdir(t, 0700) == 0 || (stat(t, &st) == 0 && S_ISDIR(st.st_mode))))
		got = 1;           /* made it, now or in an earlier process of the run */
	return got;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int done;
	if (!done) {
		done = 1;
		if (damage())
			d.mul64 = 0;
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_files")
