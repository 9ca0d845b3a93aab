/* VMCLOCK-EXPECT: FAIL R-HDR-SIZE R-ROB-NOCRASH */
/* hostile_segv_oob.c - hides a crash behind its own SIGSEGV handler (issue
 * item 7). On a page whose `size` is larger than the mapping (`len`, the
 * malformed-header cases), it reads past the mapping (at len rounded up to
 * 8: the guard page, in the sandbox's static layout and in the engine's),
 * the over-read a size-trusting reader makes. Around that read it installs
 * a SIGSEGV handler that siglongjmp()s out of its own fault and forwards any
 * other fault to the handler it replaced, which it puts back afterwards, so
 * the engine keeps working and the crash is never seen (a forged PASS). If
 * sigaction() fails it reads past the mapping anyway and crashes in those
 * cases. The suite must refuse handlers for SIGSEGV/SIGBUS/SIGTRAP/SIGSYS
 * (seccomp EPERM); the reader then crashes in every case whose size
 * exceeds the mapping: R-HDR-SIZE's (the clause bad_size_trusted fails
 * without crashing) and R-ROB-NOCRASH's own size > len vectors (its fixed
 * case "size-4097-len-4096", every seed): exactly those two fail
 * (measured with sigaction() made to fail, seeds 1 and 7). */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include "basereader.h"

static const struct br_defects d = { 0 };
static sigjmp_buf jb;
static volatile sig_atomic_t probing;
static struct sigaction old;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	if (probing) {
		probing = 0;
		siglongjmp(jb, 1);        /* our own over-read: swallowed */
	}
	if (old.sa_flags & SA_SIGINFO)
		old.sa_sigaction(sig, si, uc);
	else if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN)
		old.sa_handler(sig);
	else
		signal(sig, SIG_DFL);     /* returning re-faults: the default action */
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	if (len >= 8 && vmclock_load32(page, 0) == VMCLOCK_MAGIC && vmclock_load32(page, VMCLOCK_OFF_size) > len) {
		const volatile uint8_t *past = (const volatile uint8_t *)page + ((len + 7) & ~(size_t)7);
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO;
		const int mine = sigaction(SIGSEGV, &sa, &old) == 0;
		if (!mine || !sigsetjmp(jb, 1)) {
			probing = mine;
			(void)*past;          /* over-read: faults */
			probing = 0;
		}
		if (mine)
			sigaction(SIGSEGV, &old, NULL);
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_segv_oob")
