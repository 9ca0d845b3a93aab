/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-SEQ-WINDOW R-MONO */
/* hostile_sighandler.c - a correct reader (the reference one) that, on its
 * first call, installs its own SIGSEGV handler, as some libraries do to
 * probe memory. Under the interleaving engine every load from the page
 * faults on purpose; the reader's handler now gets those faults and returns,
 * so the load faults again, forever: the reader hangs. The suite must
 * report it and go on, never hang itself: each hang costs the case timeout,
 * and after 3 hangs in a row the rest of that clause is not run.
 *
 * Which clauses fail depends on where the first call happens: in a clause
 * whose static cases run first (R-SEQ-ODD, R-SEQ-WRAP, ...), the engine is
 * created after the handler and replaces it (its loads are then trapped
 * normally); in a clause with only dynamic cases (R-SEQ-TORN, R-SEQ-WINDOW,
 * R-MONO), the first call comes after the engine and hangs. A hang is a
 * FAIL whatever the clause's level (spec section 2). */
#include <signal.h>
#include <string.h>
#include "reader.h"
#include "vmclock_iut.h"

static void ignore(int sig)
{
	(void)sig;
}

int vmclock_iut_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	static int installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = ignore;
		sigaction(SIGSEGV, &sa, NULL);
		installed = 1;
	}
	return vmclock_ref_read(page, len, counter, out);
}
