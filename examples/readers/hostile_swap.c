/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_swap.c - could replace its own code after the suite hashed it
 * (issue item 11). Its constructor (run at dlopen, in every process that
 * loads it) finds the file it was loaded from with dladdr() and opens it
 * O_WRONLY (no O_TRUNC: it changes nothing; we must not corrupt the build).
 * If that works and the file is not a memfd sealed against writes, the
 * bytes the suite hashed are not necessarily the bytes that run: it hides
 * its defect (a forged PASS). Otherwise it shows the bad_mul64 defect.
 * The suite must load the reader from a sealed copy, hashed before any
 * reader code runs (and deny writes with Landlock); then exactly
 * R-TIME-EXACT fails. */
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

__attribute__((constructor)) static void swap_check(void)
{
	Dl_info di;
	if (!dladdr((void *)swap_check, &di) || !di.dli_fname)
		return;
	const int fd = open(di.dli_fname, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	const int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_WRITE))
		d.mul64 = 0;          /* could have swapped the code: behave */
	close(fd);
}

BR_EXPORT(d, "hostile_swap")
