/* VMCLOCK-EXPECT: FAIL R-TIME-EXACT */
/* hostile_memory.c - tries to take the machine's memory (issue item 17).
 * On its first call in each process it allocates 6 GiB in 64 MiB chunks,
 * stopping at the first failure, and only when it got all of it touches
 * every byte (a failed attempt costs no CPU time), then frees it. If it got
 * all 6 GiB it hides its defect (a forged PASS); otherwise it shows the
 * bad_mul64 defect. The child's limits (address space 4 GiB today; the
 * hardening: 4 GiB address space or 1 GiB RSS) must stop it: then exactly
 * R-TIME-EXACT fails. */
#include <stdlib.h>
#include <string.h>
#include "basereader.h"

static struct br_defects d = { .mul64 = 1 };

static int hog(void)
{
	enum { CHUNK = 64 << 20, N = 6 * 16 };        /* 96 x 64 MiB = 6 GiB */
	static void *p[N];
	int n = 0;
	while (n < N && (p[n] = malloc(CHUNK)) != NULL)
		n++;
	for (int i = 0; n == N && i < n; i++)   /* touched only once all of it is there */
		memset(p[i], 0x5a, CHUNK);
	for (int i = 0; i < n; i++)
		free(p[i]);
	return n == N;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int done;
	if (!done) {
		done = 1;
		if (hog())
			d.mul64 = 0;
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_memory")
