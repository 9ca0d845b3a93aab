/* wtrap.c - see wtrap.h. */
#include "wtrap.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "engine/tagcall.h"
#include "wtrace.h"

#define PAGE 4096u
#define MAX_LEN 65536u
#define TF 0x100ull                 /* EFLAGS trap flag */

static uint8_t *view;               /* the page, at WTRAP_ADDR when free */
static size_t vlen;
static uint8_t shadow[MAX_LEN];     /* the page as last recorded */
static uint64_t tag;
static int sink = -1;
static volatile uint64_t counter;
static volatile int armed, stepping;
static volatile size_t fault_off;
static volatile unsigned long nstores;
static struct sigaction prev_segv, prev_trap;
static uint8_t altstack[256 * 1024];

static void set_prot(int prot)
{
	/* Tagged: the filter lets only the suite change the low mappings;
	 * tagcall.h leaves no copy of the tag in a register for the writer. */
	if (tagcall4(SYS_mprotect, (long)view, (long)vlen, prot, &tag) != 0)
		_exit(7);
}

int wtrap_send(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t k = write(sink, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Records are gathered here and written at the end of each event (or when
 * full): a write(2) per store would cost more than the trap itself. A
 * writer that crashes loses the records of its last event, not the verdict
 * (the runner sees the crash). */
static uint8_t out[1u << 16];
static size_t nout;

void wtrap_flush(void)
{
	if (nout && wtrap_send(out, nout) != 0)
		_exit(5);
	nout = 0;
}

/* One IMAGE record: what changed since the shadow, the page after it. One
 * instruction stores at most 64 bytes from the faulting address on (the
 * whole view is protected, so the fault is at the store's first byte); a
 * rep-prefixed store traps once per iteration. So only that window can
 * differ, except for the suite's own restore (all = 1). */
static void record(uint8_t flags, size_t at, int all)
{
	size_t from = all ? 0 : at, to = all ? vlen : (at + 64 < vlen ? at + 64 : vlen);
	size_t lo = to, hi = 0;
	for (size_t i = from; i < to; i++)
		if (view[i] != shadow[i]) {
			if (lo == to)
				lo = i;
			hi = i + 1;
		}
	if (lo == to) {             /* a store of the bytes already there: still a store */
		lo = at;
		hi = at;
	}
	for (size_t i = lo; i < hi; i++)
		shadow[i] = view[i];
	if (nout + WTRACE_REC_HDR + 8 + WTRAP_IMAGE > sizeof out)
		wtrap_flush();
	nout += trace_enc_image(out + nout, counter, flags, (uint32_t)lo, (uint32_t)(hi - lo), view, WTRAP_IMAGE);
}

/* Not a store to the view: the writer crashed (or set a trap flag of its
 * own). The default action, so the runner sees the signal, in a sanitized
 * build too (ASan's handler would exit with a report instead, and the
 * verdict must not depend on the build). Set with our tag: the filter
 * refuses an untagged handler change for these signals. */
static void chain(const struct sigaction *p, int sig, siginfo_t *si, void *uc)
{
	(void)p;
	(void)si;
	(void)uc;
	tagcall_sig_default(sig, &tag);
	if (sig != SIGSEGV)
		raise(sig);
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t a = (uintptr_t)si->si_addr;
#if defined(__x86_64__)
	int wr = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
	if (armed && !stepping && wr && si->si_code != SI_KERNEL && a >= (uintptr_t)view && a < (uintptr_t)view + vlen) {
		set_prot(PROT_READ | PROT_WRITE);
		fault_off = a - (uintptr_t)view;
		stepping = 1;
		uc->uc_mcontext.gregs[REG_EFL] |= (greg_t)TF;
		return;
	}
#endif
	chain(&prev_segv, sig, si, ucv);
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	if (stepping) {
#if defined(__x86_64__)
		uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)TF;
#endif
		stepping = 0;
		nstores++;
		record(0, fault_off, 0);
		set_prot(PROT_READ);
		return;
	}
	chain(&prev_trap, sig, si, ucv);
}

int wtrap_init(size_t len)
{
#if !defined(__x86_64__) || !defined(__linux__)
	(void)len;
	errno = ENOSYS;
	return -1;
#else
	if (len == 0 || len % PAGE || len > MAX_LEN) {
		errno = EINVAL;
		return -1;
	}
	uint8_t *r = mmap((void *)WTRAP_ADDR, len + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r == MAP_FAILED)
		r = mmap(NULL, len + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return -1;
	if (mprotect(r, len, PROT_READ) != 0)
		return -1;
	view = r;
	vlen = len;
	memset(shadow, 0, sizeof shadow);
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL) != 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_segv;
	if (sigaction(SIGSEGV, &sa, &prev_segv) != 0)
		return -1;
	sa.sa_sigaction = on_trap;
	if (sigaction(SIGTRAP, &sa, &prev_trap) != 0)
		return -1;
	return 0;
#endif
}

void wtrap_set_tag(uint64_t t) { tag = t; }
void wtrap_set_sink(int fd) { sink = fd; }
void wtrap_set_counter(uint64_t c) { counter = c; }
volatile uint8_t *wtrap_page(void) { return view; }
size_t wtrap_len(void) { return vlen; }
unsigned long wtrap_stores(void) { return nstores; }

void wtrap_arm(int on)
{
	armed = on;
	set_prot(on ? PROT_READ : PROT_READ | PROT_WRITE);
}

void wtrap_send_suite(void)
{
	record(WTRACE_IMG_SUITE, 0, 1);
}
