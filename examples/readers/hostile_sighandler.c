/* VMCLOCK-EXPECT: PASS */
/* hostile_sighandler.c - a correct reader (the reference one) that, on its
 * first call, installs its own SIGSEGV handler, as some libraries do to
 * probe memory. Under the interleaving engine every load from the page
 * faults on purpose; a handler of the reader's would get those faults and
 * return, so the load would fault again, forever (and a handler that
 * siglongjmps could hide the reader's own faults, e.g. reads past the
 * mapping). The sandbox's seccomp filter refuses the reader a handler for
 * SIGSEGV, SIGBUS and SIGTRAP (sigaction fails with EPERM; suite/contain.c),
 * so this reader, which ignores the failure, is judged as what it is: a
 * correct reader. Where the filter is missing (no libseccomp at build time,
 * named in the report's containment line), the engine notices the
 * replaced handler and the cases fail as "could not be followed". */
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
