/* pageview.c - read-only page + guard page, faults named by clause
 * (pageview.h). */
#include "pageview.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "finding.h"

#define PAGE 4096u

static uint8_t *g_rw;               /* harness view */
static uint8_t *g_ro;               /* reader view; g_ro + PAGE is the guard */
static size_t g_len;
static const char *volatile g_target; /* non-NULL while a reader runs */

/* The signals a reader's crash raises; each keeps the handler it replaced
 * so the engine still records the crash. */
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP };
#define NSIG_CRASH (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction g_old[NSIG_CRASH];

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* Which clause a fault belongs to, from where it hit (table, not branches). */
static const char *fault_clause(int sig, const void *addr, const char **why)
{
	const uint8_t *a = addr;
	if ((sig == SIGSEGV || sig == SIGBUS) && a >= g_ro + PAGE && a < g_ro + 2 * PAGE) {
		*why = "loaded past the end of the mapping (guard page)";
		return "R-HDR-SIZE";
	}
	if ((sig == SIGSEGV || sig == SIGBUS) && a >= g_ro && a < g_ro + PAGE) {
		*why = "wrote to the read-only page";
		return "R-ROB-NOCRASH";
	}
	static const struct { int sig; const char *why; } names[] = {
		{ SIGSEGV, "crashed: SIGSEGV" }, { SIGBUS, "crashed: SIGBUS" }, { SIGABRT, "aborted: SIGABRT" },
		{ SIGFPE, "crashed: SIGFPE" },   { SIGILL, "crashed: SIGILL" }, { SIGTRAP, "crashed: SIGTRAP" },
	};
	*why = "crashed";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			*why = names[i].why;
	return "R-ROB-NOCRASH";
}

static void on_crash(int sig, siginfo_t *si, void *uc)
{
	size_t k = 0;
	while (k < NSIG_CRASH && crash_signals[k] != sig)
		k++;
	const char *target = g_target;
	if (target) {
		const char *why;
		const char *clause = fault_clause(sig, si ? si->si_addr : NULL, &why);
		g_target = NULL;
		fz_finding_signal(target, clause, why);
	}
	/* Pass it on: the previous handler (sanitizer or engine) records it. */
	if (k < NSIG_CRASH && (g_old[k].sa_flags & SA_SIGINFO) && g_old[k].sa_sigaction) {
		g_old[k].sa_sigaction(sig, si, uc);
		return;
	}
	if (k < NSIG_CRASH && g_old[k].sa_handler != SIG_DFL && g_old[k].sa_handler != SIG_IGN) {
		g_old[k].sa_handler(sig);
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void setup(void)
{
	int fd = memfd_create("vmclock-fuzz-page", 0);
	if (fd < 0 || ftruncate(fd, PAGE) != 0)
		die("vmclock fuzz: memfd");
	g_rw = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	uint8_t *res = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g_rw == MAP_FAILED || res == MAP_FAILED)
		die("vmclock fuzz: mmap");
	g_ro = mmap(res, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	if (g_ro == MAP_FAILED)
		die("vmclock fuzz: mmap read-only view");
	close(fd);
	for (size_t k = 0; k < NSIG_CRASH; k++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_crash;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(crash_signals[k], &sa, &g_old[k]) != 0)
			die("vmclock fuzz: sigaction");
	}
}

const volatile void *fz_view_load(const uint8_t *bytes, size_t n, size_t len)
{
	if (!g_rw)
		setup();
	if (len > PAGE)
		len = PAGE;
	if (n > len)
		n = len;
	uint8_t *w = g_rw + PAGE - len;
	if (n)
		memcpy(w, bytes, n);
	memset(w + n, 0, len - n);
	g_len = len;
	return g_ro + PAGE - len;
}

const uint8_t *fz_view_bytes(void)
{
	return g_rw + PAGE - g_len;
}

void fz_view_enter(const char *target)
{
	g_target = target;
}

void fz_view_leave(void)
{
	g_target = NULL;
}
