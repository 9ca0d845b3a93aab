/* trap.c - see trap.h. x86_64 Linux implementation, and a stub elsewhere.
 *
 * Cost model (why the code is shaped this way): every signal costs a kernel
 * round trip (a few microseconds in a VM), every mprotect a syscall and a
 * TLB shootdown. Single-stepping a load costs SIGSEGV + mprotect + SIGTRAP
 * + mprotect; emulating it costs one SIGSEGV and no syscall. So the common
 * load forms are emulated and only unknown instructions are stepped. */
#include "trap.h"
#include "tagcall.h"

#include <errno.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define E_PAGE      4096u
#define E_MAX_LEN   65536u
#define E_ALTSTACK  (256u * 1024u)
#define E_TF        0x100ull   /* EFLAGS trap flag */
#define E_DF        0x400ull   /* EFLAGS direction flag */

struct engine {
	/* layout */
	int fd;
	uint8_t *wregion, *rregion; /* the whole memfd, writer and reader views (+ guard) */
	uint64_t tag;              /* passed with our own mprotect calls (contain.c) */
	uint8_t *wbase;            /* writer mapping: npages pages */
	uint8_t *rbase;            /* reader mapping: npages pages + 1 guard page */
	size_t npages, off, len;
	int have_layout;
	/* process state we changed */
	void *altstack;
	stack_t prev_ss;
	struct sigaction prev_segv, prev_trap;
	uintptr_t vdso_lo, vdso_hi;
	unsigned long max_events;

	/* per run; read and written by the signal handlers */
	volatile int running;
	engine_hook hook;
	void *ctx;
	unsigned flags, free_after;
	int trapping;              /* the view is kept PROT_NONE between events */
	int stepping;              /* 0; 1 = a load is single-stepped; 2 = vDSO rdtsc */
	uintptr_t step_rip;
	int stop_req;
	unsigned next_index;
	struct engine_result *res;
	struct vmclock_iut_counter counter;
	sigjmp_buf jb;
};

/* The handlers are process-wide, so there is one engine per process. */
static struct engine *volatile g_eng;

/* x86 register number (ModRM/SIB encoding) -> ucontext gregs index. */
static const int greg_of[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static inline uintptr_t view_lo(const struct engine *e) { return (uintptr_t)e->rbase; }
static inline uintptr_t view_hi(const struct engine *e) { return (uintptr_t)e->rbase + e->npages * E_PAGE; }

/* ---------------------------------------------------------------- decode */

enum { D_NONE, D_GPR, D_XMM, D_REPMOVS };

struct insn {
	int kind;
	unsigned len;          /* instruction length */
	unsigned memsize;      /* bytes loaded (rep movs: element width) */
	unsigned dstsize;      /* GPR bytes written (1, 2, 4 zero-extends, 8) */
	int sext, high8, reg;
	int xmm_zero;          /* XMM: zero the register above memsize (movd/movq/movss/movsd) */
	unsigned align;        /* required alignment (movaps/movdqa fault otherwise) */
	uint64_t ea;
};

static inline int32_t rd32(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return (int32_t)v;
}

/* Decode the load forms compilers emit for reading a struct: mov, movzx,
 * movsx, movsxd into a general register, the SSE 16/8/4-byte moves that
 * inlined memcpy uses, and rep movs. Anything else (VEX, cmp with a memory
 * operand, fs/gs, 32-bit addressing...) returns 0 and is single-stepped,
 * which is always correct, only slower. */
static int decode(const uint8_t *p, const greg_t *g, uintptr_t rip, struct insn *d)
{
	unsigned i = 0;
	int p66 = 0, pf3 = 0, pf2 = 0;
	uint8_t rex = 0;
	memset(d, 0, sizeof(*d));
	for (;; i++) {
		uint8_t b = p[i];
		if (i >= 4)
			return 0;
		if (b == 0x66) p66 = 1;
		else if (b == 0xF3) pf3 = 1;
		else if (b == 0xF2) pf2 = 1;
		else if (b == 0x2E || b == 0x3E || b == 0x26 || b == 0x36) { /* null segments in 64-bit mode */ }
		else break;
	}
	if ((p[i] & 0xF0) == 0x40)
		rex = p[i++];
	int W = (rex & 8) != 0;
	uint8_t op = p[i++];
	if (op == 0xA4 || op == 0xA5) {
		if (!pf3 || pf2)
			return 0;          /* a single movs: step it */
		d->kind = D_REPMOVS;
		d->memsize = op == 0xA4 ? 1 : W ? 8 : p66 ? 2 : 4;
		d->len = i;
		return 1;
	}
	if (op == 0x8B) {
		d->kind = D_GPR; d->memsize = d->dstsize = W ? 8 : p66 ? 2 : 4;
	} else if (op == 0x8A) {
		d->kind = D_GPR; d->memsize = d->dstsize = 1;
	} else if (op == 0x63) {
		if (p66)
			return 0;
		d->kind = D_GPR; d->memsize = 4; d->dstsize = W ? 8 : 4; d->sext = W;
	} else if (op == 0x0F) {
		uint8_t op2 = p[i++];
		switch (op2) {
		case 0xB6: case 0xB7: case 0xBE: case 0xBF:
			d->kind = D_GPR;
			d->memsize = (op2 & 1) ? 2 : 1;
			d->dstsize = W ? 8 : p66 ? 2 : 4;
			d->sext = op2 >= 0xBE;
			break;
		case 0x10:             /* movups/movupd, movss (F3), movsd (F2) */
			d->kind = D_XMM;
			if (pf3) { d->memsize = 4; d->xmm_zero = 1; }
			else if (pf2) { d->memsize = 8; d->xmm_zero = 1; }
			else d->memsize = 16;
			break;
		case 0x28:             /* movaps/movapd */
			if (pf3 || pf2)
				return 0;
			d->kind = D_XMM; d->memsize = 16; d->align = 16;
			break;
		case 0x6F:             /* movdqu (F3), movdqa (66); plain is MMX */
			if (pf3) { d->kind = D_XMM; d->memsize = 16; }
			else if (p66) { d->kind = D_XMM; d->memsize = 16; d->align = 16; }
			else return 0;
			break;
		case 0x7E:             /* F3: movq xmm, m64 (66 0F 7E is a store) */
			if (!pf3)
				return 0;
			d->kind = D_XMM; d->memsize = 8; d->xmm_zero = 1;
			break;
		case 0x6E:             /* 66: movd/movq xmm, r/m */
			if (!p66)
				return 0;
			d->kind = D_XMM; d->memsize = W ? 8 : 4; d->xmm_zero = 1;
			break;
		default:
			return 0;
		}
	} else {
		return 0;
	}
	if (d->kind == D_GPR && (pf3 || pf2))
		return 0;
	uint8_t modrm = p[i++];
	unsigned mod = modrm >> 6, rm = modrm & 7;
	if (mod == 3)
		return 0;              /* register operand: not a load */
	d->reg = (int)(((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0));
	/* Without REX, byte registers 4..7 are AH, CH, DH, BH. */
	if (d->kind == D_GPR && d->dstsize == 1 && !rex && d->reg >= 4 && d->reg <= 7) {
		d->high8 = 1;
		d->reg -= 4;
	}
	uint64_t ea = 0;
	int riprel = 0;
	int32_t disp = 0;
	if (rm == 4) {
		uint8_t sib = p[i++];
		unsigned base = (sib & 7) | ((rex & 1) ? 8 : 0);
		unsigned idx = ((sib >> 3) & 7) | ((rex & 2) ? 8 : 0);
		if (idx != 4)
			ea += (uint64_t)g[greg_of[idx]] << (sib >> 6);
		if ((sib & 7) == 5 && mod == 0) {
			disp = rd32(p + i); i += 4;
		} else {
			ea += (uint64_t)g[greg_of[base]];
		}
	} else if (mod == 0 && rm == 5) {
		riprel = 1;
		disp = rd32(p + i); i += 4;
	} else {
		ea += (uint64_t)g[greg_of[rm | ((rex & 1) ? 8 : 0)]];
	}
	if (mod == 1) {
		disp = (int8_t)p[i]; i += 1;
	} else if (mod == 2) {
		disp = rd32(p + i); i += 4;
	}
	ea += (uint64_t)(int64_t)disp;
	if (riprel)
		ea += (uint64_t)rip + i;
	d->len = i;
	d->ea = ea;
	return 1;
}

/* -------------------------------------------------------------- helpers */

/* rt_sigaction(sig, SIG_DFL), carrying the tag (tagcall.h). */
int engine_raw_sig_default(int sig, const volatile uint64_t *tag)
{
	return tagcall_sig_default(sig, tag);
}

static void chain(const struct sigaction *p, int sig, siginfo_t *si, void *uc)
{
	if (!p) {
		/* no engine (being torn down): behave as if we were not there */
	} else if (p->sa_flags & SA_SIGINFO) {
		if (p->sa_sigaction) {
			p->sa_sigaction(sig, si, uc);
			return;
		}
	} else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
		p->sa_handler(sig);
		return;
	}
	/* Default action: uninstall ourselves. A SIGSEGV re-faults when we
	 * return (with its original context, for the core dump); a SIGTRAP
	 * would not recur, so raise it: it stays pending until we return. */
	static const uint64_t none;
	engine_raw_sig_default(sig, g_eng ? &g_eng->tag : &none);
	if (sig != SIGSEGV)
		raise(sig);
}

static void leave(struct engine *e, int outcome)
{
	e->running = 0;
	siglongjmp(e->jb, outcome);
}

static void set_view(struct engine *e, int prot)
{
	/* Cannot fail on our own mapping with PROT_NONE/PROT_READ; if it did,
	 * the next fault would loop, so die loudly instead. The tag (4th
	 * argument, ignored by the kernel) is how the sandbox's seccomp filter
	 * tells our calls from the reader's (suite/contain.c). */
	if (tagcall4(SYS_mprotect, (long)e->rbase, (long)(e->npages * E_PAGE), prot, &e->tag) != 0)
		abort();
}

/* Give event ev to the hook. Stops the run when asked or over the cap. */
static uint64_t deliver(struct engine *e, struct engine_event *ev)
{
	struct engine_result *r = e->res;
	/* The cap is for a reader spinning under trapping; once free, a spin is
	 * the sandbox timeout's business (R-SEQ-BOUNDED measures it). */
	if (e->max_events && e->trapping && e->next_index >= e->max_events)
		leave(e, ENGINE_EVENT_LIMIT);
	if (e->trapping) {
		ev->index = e->next_index++;
	} else {
		ev->index = ENGINE_INDEX_FREE;
		ev->flags |= ENGINE_EVF_FREE;
	}
	if (ev->kind == ENGINE_EV_LOAD)
		ev->kind_index = r->loads++;
	else if (ev->kind == ENGINE_EV_COUNTER)
		ev->kind_index = r->counters++;
	uint64_t v = e->hook ? e->hook(e->ctx, ev, (volatile uint8_t *)e->wbase + e->off) : 0;
	r->events++;
	if (e->stop_req)
		leave(e, ENGINE_STOPPED);
	return v;
}

/* Emulation reads the writer view and writes reader registers/memory from
 * a signal handler; ASan's shadow does not describe the uninstrumented
 * reader's stack, so keep these bodies out of instrumentation. */
__attribute__((no_sanitize_address))
static int emulate(struct engine *e, const struct insn *d, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uintptr_t lo = view_lo(e), hi = view_hi(e);
	if (d->kind == D_REPMOVS) {
		uint64_t n = (uint64_t)g[REG_RCX] * d->memsize;
		uintptr_t src = (uintptr_t)g[REG_RSI], dst = (uintptr_t)g[REG_RDI];
		if ((uint64_t)g[REG_EFL] & E_DF)
			return 0;
		if (n == 0 || src < lo || n > hi - src)
			return 0;          /* runs into the guard page: step, and crash for real */
		if (dst < hi && dst + n > lo)
			return 0;          /* copies into the view: step, the write is the verdict */
		const volatile uint8_t *s = e->wbase + (src - lo);
		volatile uint8_t *t = (volatile uint8_t *)dst;
		for (uint64_t k = 0; k < n; k++)
			t[k] = s[k];
		g[REG_RSI] = (greg_t)(src + n);
		g[REG_RDI] = (greg_t)(dst + n);
		g[REG_RCX] = 0;
		g[REG_RIP] += d->len;
		return 1;
	}
	if (d->ea < lo || d->ea >= hi || d->memsize > hi - d->ea)
		return 0;
	if (d->align && (d->ea & (d->align - 1)))
		return 0;                  /* would #GP: let the CPU do it */
	uint8_t buf[16];
	const volatile uint8_t *s = e->wbase + (d->ea - lo);
	for (unsigned k = 0; k < d->memsize; k++)
		buf[k] = s[k];
	if (d->kind == D_XMM) {
		if (!uc->uc_mcontext.fpregs)
			return 0;
		uint8_t x[16];
		memcpy(x, &uc->uc_mcontext.fpregs->_xmm[d->reg], 16);
		if (d->xmm_zero)
			memset(x, 0, 16);
		memcpy(x, buf, d->memsize);
		/* The kernel restores the legacy XMM area on sigreturn (it
		 * forces the FP/SSE bits in the frame's xstate header). */
		memcpy(&uc->uc_mcontext.fpregs->_xmm[d->reg], x, 16);
	} else {
		uint64_t v = 0;
		for (unsigned k = 0; k < d->memsize; k++)
			v |= (uint64_t)buf[k] << (8 * k);
		if (d->sext && d->memsize < 8) {
			uint64_t sign = 1ull << (8 * d->memsize - 1);
			v = (v ^ sign) - sign;
		}
		uint64_t *r = (uint64_t *)&g[greg_of[d->reg]];
		switch (d->dstsize) {
		case 8: *r = v; break;
		case 4: *r = (uint32_t)v; break;      /* 32-bit writes zero-extend */
		case 2: *r = (*r & ~0xffffull) | (v & 0xffff); break;
		default:
			if (d->high8)
				*r = (*r & ~0xff00ull) | ((v & 0xff) << 8);
			else
				*r = (*r & ~0xffull) | (v & 0xff);
		}
	}
	g[REG_RIP] += d->len;
	return 1;
}

/* A fault on the reader view: one event (or the continuation of one). */
static void view_fault(struct engine *e, siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uintptr_t a = (uintptr_t)si->si_addr, rip = (uintptr_t)g[REG_RIP];
	uintptr_t start = (uintptr_t)e->rbase + e->off;
	struct engine_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.offset = (size_t)(a - start);
	ev.ip = rip;
	if (a < start)
		ev.flags |= ENGINE_EVF_OOB;
	e->res->faults++;
	if ((uint64_t)g[REG_ERR] & 2) {   /* page-fault error code: W/R bit */
		ev.kind = ENGINE_EV_WRITE;
		e->res->write_offset = ev.offset;
		deliver(e, &ev);
		leave(e, ENGINE_WROTE);
	}
	if (e->stepping == 1 && rip == e->step_rip) {
		/* Same instruction again right after its own step (a rep string op
		 * whose next iteration faulted): part of the same event. */
		set_view(e, PROT_READ);
		g[REG_EFL] |= (greg_t)E_TF;
		return;
	}
	struct insn d;
	int ok = decode((const uint8_t *)rip, g, rip, &d);
	ev.kind = ENGINE_EV_LOAD;
	if (ok)
		ev.size = d.kind == D_REPMOVS ? (unsigned)((uint64_t)g[REG_RCX] * d.memsize) : d.memsize;
	int last = e->trapping && e->next_index == e->free_after;
	if (!(e->flags & ENGINE_F_NO_EMUL) && ok && !last)
		ev.flags |= ENGINE_EVF_EMUL;
	deliver(e, &ev);
	if (last) {
		/* The last intervention point: from here the reader runs free and
		 * re-executes this load natively. */
		e->trapping = 0;
		set_view(e, PROT_READ);
		return;
	}
	if ((ev.flags & ENGINE_EVF_EMUL) && emulate(e, &d, uc))
		return;
	e->res->stepped++;
	set_view(e, PROT_READ);
	e->stepping = 1;
	e->step_rip = rip;
	g[REG_EFL] |= (greg_t)E_TF;
}

static unsigned tsc_insn_len(const uint8_t *p)
{
	if (p[0] == 0x0F && p[1] == 0x31)
		return 2;                  /* rdtsc */
	if (p[0] == 0x0F && p[1] == 0x01 && p[2] == 0xF9)
		return 3;                  /* rdtscp */
	return 0;
}

static void counter_event(struct engine *e, uint64_t *value, uintptr_t ip, unsigned flags)
{
	struct engine_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = ENGINE_EV_COUNTER;
	ev.ip = ip;
	ev.flags = flags;
	int last = e->trapping && e->next_index == e->free_after;
	*value = deliver(e, &ev);
	if (last) {
		e->trapping = 0;
		set_view(e, PROT_READ);
	}
}

static void tsc_fault(struct engine *e, ucontext_t *uc, unsigned n)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uintptr_t rip = (uintptr_t)g[REG_RIP];
	if (rip >= e->vdso_lo && rip < e->vdso_hi) {
		/* clock_gettime() in the vDSO: not the reader's counter read, and
		 * the reader's own timeouts depend on it. Let this one instruction
		 * see the real TSC. */
		e->res->vdso_tsc++;
		prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
		e->stepping = 2;
		g[REG_EFL] |= (greg_t)E_TF;
		return;
	}
	uint64_t v;
	counter_event(e, &v, rip, ENGINE_EVF_RDTSC);
	g[REG_RAX] = (greg_t)(v & 0xffffffffu);
	g[REG_RDX] = (greg_t)(v >> 32);
	if (n == 3)
		g[REG_RCX] = 0;            /* IA32_TSC_AUX: CPU 0 */
	g[REG_RIP] += n;
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	struct engine *e = g_eng;
	ucontext_t *uc = ucv;
	if (e && e->running) {
		uintptr_t a = (uintptr_t)si->si_addr;
		if (si->si_code != SI_KERNEL && a >= view_lo(e) && a < view_hi(e)) {
			view_fault(e, si, uc);
			return;
		}
		if (si->si_code == SI_KERNEL && (e->flags & ENGINE_F_RDTSC)) {
			unsigned n = tsc_insn_len((const uint8_t *)uc->uc_mcontext.gregs[REG_RIP]);
			if (n) {
				tsc_fault(e, uc, n);
				return;
			}
		}
	}
	/* Not ours: a real crash (guard page, wild pointer), for ASan or the
	 * default action to report. */
	chain(e ? &e->prev_segv : NULL, sig, si, ucv);
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	struct engine *e = g_eng;
	ucontext_t *uc = ucv;
	if (e && e->running && e->stepping) {
		greg_t *g = uc->uc_mcontext.gregs;
		e->res->traps++;
		if (e->stepping == 2) {
			prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
		} else {
			if ((uintptr_t)g[REG_RIP] == e->step_rip)
				return;    /* rep op still iterating: stay readable, keep TF; one event */
			if (e->trapping)
				set_view(e, PROT_NONE);
		}
		e->stepping = 0;
		g[REG_EFL] &= ~(greg_t)E_TF;
		return;
	}
	chain(e ? &e->prev_trap : NULL, sig, si, ucv);
}

static uint64_t counter_cb(void *ctx)
{
	struct engine *e = ctx;
	uint64_t v;
	counter_event(e, &v, 0, 0);
	return v;
}

static void find_vdso(struct engine *e)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			e->vdso_lo = lo;
			e->vdso_hi = hi;
		}
	}
	fclose(f);
}

/* The page lives in one memfd of E_MAX_LEN bytes, mapped twice for the
 * whole life of the engine: a writable view for the writer and the reader's
 * view, followed by a PROT_NONE guard page. A layout (engine_page) only
 * chooses where the structure starts, so that its byte `len` is the first
 * byte of the guard. Mapping once, at engine_create, lets the sandbox put
 * the reader's view at a fixed low address and then forbid every later
 * change to it (suite/contain.c): the reader cannot make its view
 * readable to dodge the traps, nor writable to store unseen. */
static int map_region(struct engine *e)
{
	e->fd = memfd_create("", MFD_CLOEXEC | MFD_ALLOW_SEALING);   /* no telling name */
	if (e->fd < 0)
		return -1;
	if (ftruncate(e->fd, (off_t)E_MAX_LEN) != 0)
		return -1;
	e->wregion = mmap(NULL, E_MAX_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	if (e->wregion == MAP_FAILED) {
		e->wregion = NULL;
		return -1;
	}
	/* From now on no mapping of this memfd can become writable, and write()
	 * fails: the page changes only through wregion. Old kernels lack the
	 * seal; the view is still read-only then. */
	(void)fcntl(e->fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
	/* The view + guard at ENGINE_VIEW_ADDR when free (contain.c's rules
	 * cover that range), else anywhere. */
	size_t span = E_MAX_LEN + E_PAGE;
	uint8_t *r = mmap((void *)ENGINE_VIEW_ADDR, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r == MAP_FAILED)
		r = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return -1;
	e->rregion = r;
	if (mmap(r, E_MAX_LEN, PROT_NONE, MAP_SHARED | MAP_FIXED, e->fd, 0) == MAP_FAILED)
		return -1;
	/* The mappings keep the memfd alive; an open descriptor would only be a
	 * way in (write() is sealed off, but mmap of it is not). */
	close(e->fd);
	e->fd = -1;
	return 0;
}

static void unmap_region(struct engine *e)
{
	if (e->wregion)
		munmap(e->wregion, E_MAX_LEN);
	if (e->rregion)
		munmap(e->rregion, E_MAX_LEN + E_PAGE);
	if (e->fd >= 0)
		close(e->fd);
	e->wregion = e->rregion = NULL;
	e->fd = -1;
}

/* ------------------------------------------------------------------ API */

struct engine *engine_create(void)
{
	if (g_eng) {
		errno = EBUSY;
		return NULL;
	}
	struct engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->fd = -1;
	e->max_events = 1000000;
	e->counter.read = counter_cb;
	e->counter.ctx = e;
	find_vdso(e);

	e->altstack = mmap(NULL, E_ALTSTACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e->altstack == MAP_FAILED)
		goto fail;
	stack_t ss = { .ss_sp = e->altstack, .ss_size = E_ALTSTACK, .ss_flags = 0 };
	if (sigaltstack(&ss, &e->prev_ss) != 0)
		goto fail;

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &e->prev_segv) != 0)
		goto fail;
	sa.sa_sigaction = on_trap;
	if (sigaction(SIGTRAP, &sa, &e->prev_trap) != 0)
		goto fail;
	if (map_region(e) != 0)
		goto fail;
	g_eng = e;
	return e;
fail:
	{
		int err = errno;
		unmap_region(e);
		if (e->altstack && e->altstack != MAP_FAILED)
			munmap(e->altstack, E_ALTSTACK);
		free(e);
		errno = err;
		return NULL;
	}
}

void engine_destroy(struct engine *e)
{
	if (!e)
		return;
	sigaction(SIGSEGV, &e->prev_segv, NULL);
	sigaction(SIGTRAP, &e->prev_trap, NULL);
	stack_t cur;
	if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == e->altstack) {
		sigaltstack(&e->prev_ss, NULL);
		munmap(e->altstack, E_ALTSTACK);
	}
	unmap_region(e);
	g_eng = NULL;
	free(e);
}

volatile uint8_t *engine_page(struct engine *e, size_t len)
{
	if (len > E_MAX_LEN || len % 8 || !e->rregion) {
		errno = EINVAL;
		return NULL;
	}
	if (e->have_layout && e->len == len)
		return (volatile uint8_t *)e->wbase + e->off;
	size_t np = (len + E_PAGE - 1) / E_PAGE;
	if (np == 0)
		np = 1;
	/* The pages the structure spans, ending at the guard; what lies before
	 * the structure start reads as zeros, as on a fresh page. */
	e->npages = np;
	e->rbase = e->rregion + E_MAX_LEN - np * E_PAGE;
	e->wbase = e->wregion + E_MAX_LEN - np * E_PAGE;
	e->off = np * E_PAGE - len;
	e->len = len;
	memset(e->wbase, 0, e->off);
	e->have_layout = 1;
	return (volatile uint8_t *)e->wbase + e->off;
}

const volatile void *engine_reader_view(struct engine *e)
{
	return e->have_layout ? (const volatile void *)(e->rbase + e->off) : NULL;
}

void engine_set_max_events(struct engine *e, unsigned long max_events)
{
	e->max_events = max_events;
}

void engine_stop(struct engine *e)
{
	e->stop_req = 1;
}

void engine_set_readable(struct engine *e, int on)
{
	if (e->have_layout)
		set_view(e, on ? PROT_READ : PROT_NONE);
}

void engine_set_protect_tag(struct engine *e, uint64_t tag)
{
	e->tag = tag;
}

/* After the reader returned: did it take our signal setup away? */
static int check_signals(struct engine *e, struct engine_result *r)
{
	int bad = 0;
	struct sigaction cur;
	if (sigaction(SIGSEGV, NULL, &cur) == 0 &&
	    (!(cur.sa_flags & SA_SIGINFO) || cur.sa_sigaction != on_segv)) {
		r->detail = "reader replaced the SIGSEGV handler";
		bad = 1;
	}
	if (sigaction(SIGTRAP, NULL, &cur) == 0 &&
	    (!(cur.sa_flags & SA_SIGINFO) || cur.sa_sigaction != on_trap)) {
		r->detail = r->detail ? "reader replaced the SIGSEGV and SIGTRAP handlers"
		                      : "reader replaced the SIGTRAP handler";
		bad = 1;
	}
	if (bad) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		sa.sa_sigaction = on_segv;
		sigaction(SIGSEGV, &sa, NULL);
		sa.sa_sigaction = on_trap;
		sigaction(SIGTRAP, &sa, NULL);
	}
	sigset_t m;
	if (sigprocmask(SIG_BLOCK, NULL, &m) == 0 &&
	    (sigismember(&m, SIGSEGV) || sigismember(&m, SIGTRAP))) {
		sigset_t u;
		sigemptyset(&u);
		sigaddset(&u, SIGSEGV);
		sigaddset(&u, SIGTRAP);
		sigprocmask(SIG_UNBLOCK, &u, NULL);
		r->detail = "reader left SIGSEGV/SIGTRAP blocked";
		bad = 1;
	}
	stack_t ss;
	if (sigaltstack(NULL, &ss) == 0 && (ss.ss_sp != e->altstack || (ss.ss_flags & SS_DISABLE))) {
		stack_t mine = { .ss_sp = e->altstack, .ss_size = E_ALTSTACK, .ss_flags = 0 };
		sigaltstack(&mine, NULL);
		r->detail = "reader changed the alternate signal stack";
		bad = 1;
	}
	return bad;
}

/* ---------------------------------------------- instrumented readers */


/* A hooked load (see trap.h): the same event a fault on the view gives,
 * from a plain call. The view is readable for the whole hooked run, so
 * after the hook returns the reader's own load reads what the writer left. */
void engine_hooked_load(uintptr_t a, unsigned size, uintptr_t ip)
{
	struct engine *e = g_eng;
	if (!e || !e->running || !(e->flags & ENGINE_F_HOOKED) || !e->trapping)
		return;
	if (a < view_lo(e) || a >= view_hi(e))
		return;             /* not the page (the guard page faults as in any run) */
	uintptr_t start = (uintptr_t)e->rbase + e->off;
	struct engine_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = ENGINE_EV_LOAD;
	ev.offset = (size_t)(a - start);
	ev.size = size;
	ev.ip = ip;
	if (a < start)
		ev.flags |= ENGINE_EVF_OOB;
	int last = e->next_index == e->free_after;
	deliver(e, &ev);
	if (last)
		e->trapping = 0;    /* from here the reader runs free, as after a fault */
}


/* The sigsetjmp lives in its own frame so nothing of engine_run is live
 * across the longjmp (and -Wclobbered has nothing to say). */
__attribute__((noinline))
static int call_reader(struct engine *e, vmclock_iut_read_fn fn, size_t len,
                       struct vmclock_iut_reading *out, struct engine_result *res)
{
	e->running = 1;
	int jr = sigsetjmp(e->jb, 1);
	if (jr == 0) {
		res->status = fn(e->rbase + e->off, len, &e->counter, out);
		e->running = 0;
		return ENGINE_OK;
	}
	e->running = 0;
	return jr;
}

int engine_run(struct engine *e, vmclock_iut_read_fn fn, size_t len, unsigned flags,
               engine_hook hook, void *ctx, struct vmclock_iut_reading *out,
               unsigned free_after, struct engine_result *res)
{
	static struct engine_result dummy;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (!engine_page(e, len)) {
		res->err = errno;
		res->detail = "page setup failed";
		return ENGINE_ERROR;
	}
	e->hook = hook;
	e->ctx = ctx;
	e->flags = flags;
	e->free_after = free_after;
	e->trapping = 1;
	e->stepping = 0;
	e->step_rip = 0;
	e->stop_req = 0;
	e->next_index = 0;
	e->res = res;
	/* Trapped: every load of the view faults. Hooked: the reader calls in
	 * itself, and the view stays readable (a store still faults). */
	set_view(e, (flags & ENGINE_F_HOOKED) ? PROT_READ : PROT_NONE);
	if ((flags & ENGINE_F_RDTSC) && prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) {
		res->err = errno;
		res->detail = "prctl(PR_SET_TSC) failed";
		return ENGINE_ERROR;
	}
	int outcome = call_reader(e, fn, len, out, res);
	if (flags & ENGINE_F_RDTSC)
		prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
	if (check_signals(e, res) && outcome == ENGINE_OK)
		outcome = ENGINE_HANDLER_REPLACED;
	return outcome;
}

#else /* not x86_64 Linux: the mechanism needs the x86 trap flag */

/* Instrumented readers load through hooks.c; without the engine they see nothing. */
void engine_hooked_load(uintptr_t a, unsigned size, uintptr_t ip) { (void)a; (void)size; (void)ip; }

struct engine { int unused; };

struct engine *engine_create(void)
{
	errno = ENOSYS;
	return NULL;
}
void engine_destroy(struct engine *e) { (void)e; }
volatile uint8_t *engine_page(struct engine *e, size_t len)
{
	(void)e; (void)len;
	errno = ENOSYS;
	return NULL;
}
void engine_set_readable(struct engine *e, int on) { (void)e; (void)on; }
void engine_set_protect_tag(struct engine *e, uint64_t tag) { (void)e; (void)tag; }
int engine_raw_sig_default(int sig, const volatile uint64_t *tag)
{
	return tagcall_sig_default(sig, tag);
}
const volatile void *engine_reader_view(struct engine *e) { (void)e; return NULL; }
void engine_set_max_events(struct engine *e, unsigned long m) { (void)e; (void)m; }
void engine_stop(struct engine *e) { (void)e; }
int engine_run(struct engine *e, vmclock_iut_read_fn fn, size_t len, unsigned flags,
               engine_hook hook, void *ctx, struct vmclock_iut_reading *out,
               unsigned free_after, struct engine_result *res)
{
	(void)e; (void)fn; (void)len; (void)flags; (void)hook; (void)ctx; (void)out; (void)free_after;
	if (res) {
		memset(res, 0, sizeof(*res));
		res->detail = "interleaving engine needs x86_64 Linux";
	}
	return ENGINE_UNSUPPORTED;
}

#endif
