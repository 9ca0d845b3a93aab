/* bench.c - measures and self-checks the trap engine (suite/engine/trap.c).
 * Not built by the Makefile (the suite links only the .c files directly in suite/engine). Build:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -g -Ireference -Isuite \
 *      suite/engine/tests/bench.c suite/engine/trap.c reference/abi.c \
 *      reference/writer.c reference/rng.c reference/reader.c reference/timemath.c \
 *      -lm -o /tmp/engine-bench
 *   (add -fsanitize=address,undefined -fno-omit-frame-pointer for the ASan run)
 *
 * Prints the cost per trapped load (single-step vs emulated), events per
 * read, schedules/s for "intervene at k, run free after k", rep movsb
 * coalescing, rdtsc emulation, and the robustness cases (each in a forked
 * child). Exit status 0 iff every check passed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "reader.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("  FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

static struct engine *E;
static struct vmclock_fields A, B;
static struct vmclock_step steps[64];
static size_t nsteps;

/* ---- hooks ---- */
struct at_k {
	unsigned k;           /* apply the full update A->B before event k (UINT_MAX: never) */
	uint64_t counter;
	unsigned seen_loads, seen_counters, rdtsc_flags;
};

static uint64_t hook_at_k(void *ctx, const struct engine_event *ev, volatile uint8_t *wv)
{
	struct at_k *h = ctx;
	if (!(ev->flags & ENGINE_EVF_FREE) && ev->index == h->k)
		apply_steps(wv, steps, nsteps);
	if (ev->kind == ENGINE_EV_LOAD)
		h->seen_loads++;
	if (ev->kind == ENGINE_EV_COUNTER) {
		h->seen_counters++;
		if (ev->flags & ENGINE_EVF_RDTSC)
			h->rdtsc_flags++;
		return h->counter;
	}
	return 0;
}

/* ---- more readers ---- */
static int rd_rdtsc_asm(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out)
{
	(void)len;
	return seq_reader(page, c, out, 1, CNT_RDTSC_ASM);
}
static int rd_rdtsc_builtin(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                            struct vmclock_iut_reading *out)
{
	(void)len;
	return seq_reader(page, c, out, 1, CNT_RDTSC_BUILTIN);
}
static int rd_rdtscp(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                     struct vmclock_iut_reading *out)
{
	(void)len;
	return seq_reader(page, c, out, 1, CNT_RDTSCP_BUILTIN);
}

/* rdtsc reader that also calls clock_gettime (a vDSO rdtsc the engine must
 * let through to the real TSC). */
static int rd_rdtsc_clock(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                          struct vmclock_iut_reading *out)
{
	struct timespec ts;
	(void)len;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int st = seq_reader(page, c, out, 1, CNT_RDTSC_ASM);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec > 0 ? st : -1;
}

/* Copy with rep movsb, as some memcpy implementations do. */
static int rd_repmovsb(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                       struct vmclock_iut_reading *out)
{
	(void)len;
	uint64_t w[N_WORDS];
	for (int tries = 0; tries < 1000; tries++) {
		uint32_t s1 = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (s1 & 1)
			continue;
		void *d = w;
		const volatile void *s = page;
		size_t n = sizeof(w);
		__asm__ __volatile__("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
		uint64_t cnt = c->read(c->ctx);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) != s1)
			continue;
		fill_from(w, cnt, out);
		return VMCLOCK_IUT_OK;
	}
	return VMCLOCK_IUT_BUSY;
}

/* Byte loads with movzx/movsx, 16-bit loads, a high-byte load: exercises
 * the decoder's less common forms; the result is a checksum compared
 * against an untrapped run. */
static int rd_mixed(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                    struct vmclock_iut_reading *out)
{
	(void)len; (void)c;
	const volatile uint8_t *b = page;
	const volatile int8_t *sb = page;
	const volatile int16_t *sh = page;
	const volatile int32_t *si = page;
	uint64_t acc = 0;
	for (unsigned i = 0; i < VMCLOCK_ABI_SIZE; i++)
		acc = acc * 31 + b[i];
	for (unsigned i = 0; i < VMCLOCK_ABI_SIZE; i++)
		acc = acc * 31 + (uint64_t)(int64_t)sb[i];
	for (unsigned i = 0; i < VMCLOCK_ABI_SIZE / 2; i++)
		acc = acc * 31 + (uint64_t)(int64_t)sh[i];
	for (unsigned i = 0; i < VMCLOCK_ABI_SIZE / 4; i++)
		acc = acc * 31 + (uint64_t)(int64_t)si[i];
	uint16_t hv;
	/* mov (%rsi),%ah style: load into a high byte register. */
	__asm__ __volatile__("xor %%eax,%%eax\n\tmovb 9(%1),%%ah\n\tmovw %%ax,%0"
	                     : "=r"(hv) : "S"(page) : "rax", "memory");  /* no REX with %ah */
	acc = acc * 31 + hv;
	/* An SSE 16-byte load. */
	uint64_t x[2];
	__asm__ __volatile__("movdqu 32(%1),%%xmm1\n\tmovdqu %%xmm1,%0"
	                     : "=m"(x) : "r"(page) : "xmm1", "memory");
	acc = acc * 31 + x[0] + x[1] * 7;
	memset(out, 0, sizeof(*out));
	out->sec = acc;
	return VMCLOCK_IUT_OK;
}

/* memcpy from the page (glibc picks AVX/ERMS moves: mostly stepped). */
static int rd_memcpy(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                     struct vmclock_iut_reading *out)
{
	(void)len;
	uint64_t w[N_WORDS];
	for (int tries = 0; tries < 1000; tries++) {
		uint32_t s1 = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (s1 & 1)
			continue;
		memcpy(w, (const void *)page, sizeof(w));
		uint64_t cnt = c->read(c->ctx);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) != s1)
			continue;
		fill_from(w, cnt, out);
		return VMCLOCK_IUT_OK;
	}
	return VMCLOCK_IUT_BUSY;
}

/* ---- robustness readers (run in forked children) ---- */
static int rd_crash(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                    struct vmclock_iut_reading *out)
{
	(void)len; (void)c; (void)out;
	volatile int *volatile np = NULL;
	return vmclock_load32(page, 0) + *np;
}
static int rd_overread(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                       struct vmclock_iut_reading *out)
{
	(void)c; (void)out;
	return (int)vmclock_load64(page, len);        /* first byte of the guard page */
}
static int rd_block(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                    struct vmclock_iut_reading *out)
{
	(void)len; (void)c; (void)out;
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGSEGV);
	sigaddset(&m, SIGTRAP);
	sigprocmask(SIG_BLOCK, &m, NULL);
	return (int)vmclock_load32(page, 0);
}
static void own_handler(int sig) { (void)sig; _exit(42); }
static int rd_own_handler(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                          struct vmclock_iut_reading *out)
{
	(void)page; (void)len; (void)c; (void)out;
	signal(SIGSEGV, own_handler);     /* no page load after it: the run ends normally */
	return VMCLOCK_IUT_OK;
}
static int rd_write(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                    struct vmclock_iut_reading *out)
{
	(void)len; (void)c; (void)out;
	*(volatile uint32_t *)((volatile uint8_t *)page + 12) = 0;
	return VMCLOCK_IUT_OK;
}
static int rd_spin(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                   struct vmclock_iut_reading *out)
{
	(void)len; (void)c; (void)out;
	while (vmclock_load32(page, VMCLOCK_OFF_seq_count) & 1)
		;
	return VMCLOCK_IUT_OK;
}

/* ---- helpers ---- */
static void reset_page(void)
{
	put_state(engine_page(E, VMCLOCK_PAGE_SIZE), &A);
}

static int run_once(vmclock_iut_read_fn fn, unsigned flags, unsigned k, unsigned free_after,
                    struct vmclock_iut_reading *out, struct engine_result *r, struct at_k *h)
{
	reset_page();
	memset(h, 0, sizeof(*h));
	h->k = k;
	h->counter = 0x123456789abcull;
	return engine_run(E, fn, VMCLOCK_PAGE_SIZE, flags, hook_at_k, h, out, free_after, r);
}

/* Cost per trapped load: time of trapped runs minus untrapped runs, per load. */
static void bench_load_cost(const char *name, vmclock_iut_read_fn fn)
{
	struct vmclock_iut_reading out;
	struct engine_result r;
	struct at_k h;
	const int N = 2000;
	double t0 = now_s();
	for (int i = 0; i < N; i++)
		run_once(fn, 0, UINT_MAX, 0, &out, &r, &h);   /* traps only event 0 */
	double base = (now_s() - t0) / N;
	t0 = now_s();
	for (int i = 0; i < N; i++)
		run_once(fn, ENGINE_F_NO_EMUL, UINT_MAX, UINT_MAX, &out, &r, &h);
	double step = (now_s() - t0) / N;
	unsigned loads = r.loads;
	t0 = now_s();
	for (int i = 0; i < N; i++)
		run_once(fn, 0, UINT_MAX, UINT_MAX, &out, &r, &h);
	double emu = (now_s() - t0) / N;
	printf("%-22s loads/read %3u  run(1 trapped) %6.2f us  single-step %6.2f us/load  emulated %6.2f us/load (%u stepped)\n",
	       name, loads, base * 1e6, (step - base) / (loads - 1) * 1e6, (emu - base) / (loads - 1) * 1e6,
	       r.stepped);
}

/* Schedules/s: for every event k of the undisturbed run, run once with the
 * full update applied at k and free_after = k. */
static uint64_t fixed_counter(void *ctx) { (void)ctx; return 0x123456789abcull; }

/* What fn returns for state s read without interference (plain memory). */
static void expected(vmclock_iut_read_fn fn, const struct vmclock_fields *s, struct vmclock_iut_reading *out)
{
	static uint8_t buf[VMCLOCK_PAGE_SIZE] __attribute__((aligned(4096)));
	struct vmclock_iut_counter c = { fixed_counter, NULL };
	memset(buf, 0, sizeof(buf));
	vmclock_encode(s, buf);
	fn(buf, sizeof(buf), &c, out);
}

static void bench_schedules(const char *name, vmclock_iut_read_fn fn, unsigned flags)
{
	struct vmclock_iut_reading out, ea, eb;
	struct engine_result r;
	struct at_k h;
	unsigned bad = 0;
	expected(fn, &A, &ea);
	expected(fn, &B, &eb);
	run_once(fn, flags, UINT_MAX, UINT_MAX, &out, &r, &h);
	unsigned n = r.events;
	unsigned long sched = 0;
	double t0 = now_s(), t;
	do {
		for (unsigned k = 0; k < n; k++, sched++) {
			int o = run_once(fn, flags, k, k, &out, &r, &h);
			if ((o != ENGINE_OK || r.status != VMCLOCK_IUT_OK ||
			     ((out.sec != ea.sec || out.nsec != ea.nsec) &&
			      (out.sec != eb.sec || out.nsec != eb.nsec))) && bad++ < 5) {
				failures++;
				printf("  FAIL: %s k=%u outcome %d status %d\n", name, k, o, r.status);
			}
		}
		t = now_s() - t0;
	} while (t < 1.0);
	run_once(fn, flags, UINT_MAX, UINT_MAX, &out, &r, &h);
	double all = 0;
	{
		double t1 = now_s();
		for (int i = 0; i < 1000; i++)
			run_once(fn, flags, UINT_MAX, UINT_MAX, &out, &r, &h);
		all = (now_s() - t1) / 1000;
	}
	printf("%-22s events %3u (loads %u, counters %u): %8.0f schedules/s with free_after=k; "
	       "trap-all run %.1f us (%.0f/s)\n",
	       name, n, r.loads, r.counters, sched / t, all * 1e6, 1 / all);
}

static int in_child(vmclock_iut_read_fn fn, int *outcome)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct vmclock_iut_reading out;
		struct engine_result r;
		struct at_k h;
		int o = run_once(fn, 0, UINT_MAX, UINT_MAX, &out, &r, &h);
		_exit(10 + o);   /* apart from a crash exit (ASan: 1) */
	}
	int st;
	waitpid(pid, &st, 0);
	*outcome = WIFEXITED(st) ? WEXITSTATUS(st) - 10 : -1;
	return st;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	nsteps = make_two_states(&A, &B, steps);

	E = engine_create();
	if (!E) {
		perror("engine_create");
		return 1;
	}
	struct vmclock_iut_reading out, ref;
	struct engine_result r;
	struct at_k h;

	printf("== correctness of emulation (decoder forms) ==\n");
	{
		reset_page();
		/* untrapped reference value: read the writer view directly */
		rd_mixed(engine_page(E, VMCLOCK_PAGE_SIZE), VMCLOCK_PAGE_SIZE, NULL, &ref);
		int o = run_once(rd_mixed, 0, UINT_MAX, UINT_MAX, &out, &r, &h);
		CHECK(o == ENGINE_OK && out.sec == ref.sec, "mixed emulated checksum %llx vs %llx",
		      (unsigned long long)out.sec, (unsigned long long)ref.sec);
		printf("mixed forms, emulated:  events %u stepped %u checksum %s\n", r.events, r.stepped,
		       out.sec == ref.sec ? "ok" : "BAD");
		o = run_once(rd_mixed, ENGINE_F_NO_EMUL, UINT_MAX, UINT_MAX, &out, &r, &h);
		CHECK(o == ENGINE_OK && out.sec == ref.sec, "mixed stepped checksum");
		printf("mixed forms, stepped:   events %u stepped %u checksum %s\n", r.events, r.stepped,
		       out.sec == ref.sec ? "ok" : "BAD");
	}

	printf("== events and cost per trapped load ==\n");
	bench_load_cost("seqlock volatile copy", rd_good);
	bench_load_cost("reference reader", vmclock_ref_read);

	printf("== schedules ==\n");
	bench_schedules("seqlock volatile copy", rd_good, 0);
	bench_schedules("reference reader", vmclock_ref_read, 0);
	bench_schedules("rdtsc asm reader", rd_rdtsc_asm, ENGINE_F_RDTSC);

	printf("== rep movsb coalescing ==\n");
	{
		int o = run_once(rd_repmovsb, 0, UINT_MAX, UINT_MAX, &out, &r, &h);
		CHECK(o == ENGINE_OK && out.sec == A.time_sec && r.loads == 3, "repmovsb emulated");
		printf("rep movsb, emulated:     events %u (loads %u), faults %u, stepped %u, traps %u\n", r.events, r.loads,
		       r.faults, r.stepped, r.traps);
		o = run_once(rd_repmovsb, ENGINE_F_NO_EMUL, UINT_MAX, UINT_MAX, &out, &r, &h);
		CHECK(o == ENGINE_OK && out.sec == A.time_sec && r.loads == 3, "repmovsb stepped");
		printf("rep movsb, single-step:  events %u (loads %u), faults %u, stepped %u, traps %u\n", r.events, r.loads,
		       r.faults, r.stepped, r.traps);
		/* the update at the copy event must be seen whole (after), and a
		 * torn copy is impossible since the copy is one event */
		for (unsigned k = 0; k < 5; k++) {
			o = run_once(rd_repmovsb, 0, k, UINT_MAX, &out, &r, &h);
			CHECK(o == ENGINE_OK && (out.sec == A.time_sec || out.sec == B.time_sec), "repmovsb k=%u", k);
		}
		bench_load_cost("memcpy (glibc)", rd_memcpy);
	}

	printf("== rdtsc emulation ==\n");
	{
		struct { const char *name; vmclock_iut_read_fn fn; } t[] = {
			{ "inline asm rdtsc", rd_rdtsc_asm },
			{ "__rdtsc()", rd_rdtsc_builtin },
			{ "__rdtscp()", rd_rdtscp },
			{ "rdtsc + clock_gettime", rd_rdtsc_clock },
		};
		for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			int o = run_once(t[i].fn, ENGINE_F_RDTSC, UINT_MAX, UINT_MAX, &out, &r, &h);
			int ok = o == ENGINE_OK && r.status == VMCLOCK_IUT_OK && out.counter == 0x123456789abcull &&
			         h.rdtsc_flags == 1 && out.sec == A.time_sec;
			CHECK(ok, "%s: outcome %d status %d counter %llx", t[i].name, o, r.status,
			      (unsigned long long)out.counter);
			printf("%-22s events %u, counter events %u (rdtsc-flagged %u), vdso rdtsc passed %u: %s\n",
			       t[i].name, r.events, r.counters, h.rdtsc_flags, r.vdso_tsc, ok ? "ok" : "BAD");
		}
		/* same judgement as a callback reader: the full update at every k */
		unsigned bad = 0, n = 18;
		for (unsigned k = 0; k < n; k++) {
			run_once(rd_rdtsc_asm, ENGINE_F_RDTSC, k, k, &out, &r, &h);
			bad += out.sec != A.time_sec && out.sec != B.time_sec;
		}
		CHECK(bad == 0, "rdtsc reader torn");
	}

	printf("== robustness (forked children) ==\n");
	{
		int o, st;
		st = in_child(rd_crash, &o);
		CHECK(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) < 10),
		      "crash outside page must kill the child (status %x)", st);
		printf("crash outside the page:  child %s %d\n", WIFSIGNALED(st) ? "killed by signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		st = in_child(rd_overread, &o);
		CHECK(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) < 10), "over-read into the guard must crash");
		printf("over-read into guard:    child %s %d\n", WIFSIGNALED(st) ? "killed by signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		st = in_child(rd_block, &o);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "blocked signals: kernel kill expected");
		printf("reader blocks SIGSEGV:   child %s %d\n", WIFSIGNALED(st) ? "killed by signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		st = in_child(rd_own_handler, &o);
		CHECK(o == ENGINE_HANDLER_REPLACED, "own handler: outcome %d", o);
		printf("reader installs handler: outcome %d (HANDLER_REPLACED=%d)\n", o, ENGINE_HANDLER_REPLACED);
		st = in_child(rd_write, &o);
		CHECK(o == ENGINE_WROTE, "write: outcome %d", o);
		printf("reader writes the page:  outcome %d (WROTE=%d)\n", o, ENGINE_WROTE);
		/* a writer left odd: trapped spinning hits the event cap */
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			struct vmclock_fields odd = A;
			odd.seq_count |= 1;
			put_state(engine_page(E, VMCLOCK_PAGE_SIZE), &odd);
			engine_set_max_events(E, 10000);
			double t0 = now_s();
			int oc = engine_run(E, rd_spin, VMCLOCK_PAGE_SIZE, 0, NULL, NULL, &out, UINT_MAX, &r);
			printf("odd forever, spin:       outcome %d (EVENT_LIMIT=%d) after %u events, %.1f ms\n",
			       oc, ENGINE_EVENT_LIMIT, r.events, (now_s() - t0) * 1e3);
			fflush(stdout);
			_exit(oc);
		}
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == ENGINE_EVENT_LIMIT, "spin cap");
		/* other mapping lengths: the structure still ends where len says,
		 * the last 8 bytes are readable, byte len is the guard */
		size_t lens[] = { 112, 4104, 8192 };
		for (unsigned i = 0; i < 3; i++) {
			volatile uint8_t *wv = engine_page(E, lens[i]);
			put_state(wv, &A);
			wv[lens[i] - 1] = 0x5a;
			struct at_k hh = { UINT_MAX - 1, 1, 0, 0, 0 };
			o = engine_run(E, rd_good, lens[i], 0, hook_at_k, &hh, &out, UINT_MAX, &r);
			const volatile uint8_t *rv = engine_reader_view(E);
			CHECK(o == ENGINE_OK && out.sec == A.time_sec && ((uintptr_t)rv + lens[i]) % 4096 == 0,
			      "len %zu", lens[i]);
			fflush(stdout);
			pid_t p = fork();
			if (p == 0) {
				engine_run(E, rd_overread, lens[i], 0, NULL, NULL, &out, UINT_MAX, &r);
				_exit(10);
			}
			waitpid(p, &st, 0);
			CHECK(!(WIFEXITED(st) && WEXITSTATUS(st) == 10), "len %zu over-read not caught", lens[i]);
			printf("len %-5zu view %p: read ok, over-read %s\n", lens[i], (const void *)rv,
			       WIFEXITED(st) && WEXITSTATUS(st) == 10 ? "NOT caught" : "crashes");
		}
		/* the engine still works after all that in this process */
		o = run_once(rd_good, 0, 3, UINT_MAX, &out, &r, &h);
		CHECK(o == ENGINE_OK && out.sec == B.time_sec, "engine reusable");
	}

	engine_destroy(E);
	printf("%s (%d failures)\n", failures ? "FAILED" : "ALL OK", failures);
	return failures != 0;
}
