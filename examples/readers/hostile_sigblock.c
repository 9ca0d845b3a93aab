/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-SEQ-BOUNDED R-SEQ-WINDOW R-DISR-MARKER R-VMGEN R-MONO */
/* hostile_sigblock.c - a correct reader (the reference one) that blocks
 * SIGSEGV and SIGTRAP in its thread, as code that "protects" a critical
 * section from signals might. Outside the engine nothing changes (the static
 * clauses pass). Under the engine, a load from the trapped page with SIGSEGV
 * blocked makes the kernel kill the process: every schedule is a crash,
 * reported as the FAIL of its clause; after 20 crashes in a row the rest of
 * the clause is not run, so this costs well under a second. */
#include <signal.h>
#include "reader.h"
#include "vmclock_iut.h"

int vmclock_iut_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigaddset(&s, SIGTRAP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	return vmclock_ref_read(page, len, counter, out);
}
