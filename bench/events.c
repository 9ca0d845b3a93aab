/* events.c - what one event of the interleaving engine costs, by mechanism,
 * next to an untrapped load, measured in one process (issue 11):
 *
 *   untrapped load     a volatile 8-byte load of a readable page;
 *   fault round trip   a load of a PROT_NONE page whose SIGSEGV handler only
 *                      steps over the instruction: the kernel's share of a
 *                      trapped load (fault, signal frame, sigreturn);
 *   trapped, emulated  the engine's trapped load (suite/engine/trap.c):
 *                      fault + decode + emulation + the hook;
 *   trapped, stepped   the same, single-stepped (ENGINE_F_NO_EMUL): two
 *                      signals and two mprotect calls per load;
 *   hooked             what a reader built by `vmclock-cts build-reader`
 *                      does: a call of __sanitizer_cov_load8 before the
 *                      load (the calls are written out here, as clang's
 *                      trace-loads emits them), on a readable view.
 *
 * Each row is the best of several runs of a reader making LOADS loads of
 * the page, all of them events (the hook does nothing), divided by LOADS.
 * The ratios are what matters: absolute ns swing with the VM and the load
 * of the machine. This is a benchmark, not a test: it prints numbers and
 * fails only when it cannot run.
 *
 * usage: events [--runs N]
 *
 * SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "engine/trap.h"

#define LOADS 64u

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile uint64_t sink;

/* LOADS loads of the page, every one through `mov (%reg), %reg` (emulated
 * by the engine), and a counter read so the engine sees a whole call. */
static int plain_reader(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out)
{
	(void)len;
	uint64_t acc = 0;
	const volatile uint64_t *p = page;
	for (unsigned i = 0; i < LOADS; i++)
		acc += p[i % 8];
	out->counter = c ? c->read(c->ctx) : 0;
	sink += acc;
	return 0;
}

/* The same reader as clang -fsanitize-coverage=trace-loads compiles it. */
static int hooked_reader(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                         struct vmclock_iut_reading *out)
{
	(void)len;
	uint64_t acc = 0;
	const volatile uint64_t *p = page;
	for (unsigned i = 0; i < LOADS; i++) {
		__sanitizer_cov_load8((uint64_t *)(uintptr_t)&p[i % 8]);
		acc += p[i % 8];
	}
	out->counter = c ? c->read(c->ctx) : 0;
	sink += acc;
	return 0;
}

static uint64_t null_hook(void *ctx, const struct engine_event *ev, volatile uint8_t *wv)
{
	(void)ctx;
	(void)ev;
	(void)wv;
	return 1;
}

/* ---- the bare fault: a handler that only steps over `mov (%rdi), %rax` ---- */
static void skip_load(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	ucontext_t *uc = ucv;
	uc->uc_mcontext.gregs[REG_RIP] += 3;   /* 48 8b 07 */
}

__attribute__((noinline)) static void faulting_loads(const void *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t v;
		__asm__ volatile("mov (%1), %0" : "=a"(v) : "D"(p) : "memory");
		sink += v;
	}
}

static double best_of(double *v, int n)
{
	double b = v[0];
	for (int i = 1; i < n; i++)
		if (v[i] < b)
			b = v[i];
	return b;
}

int main(int argc, char **argv)
{
	int runs = 7;
	if (argc == 3 && !strcmp(argv[1], "--runs"))
		runs = atoi(argv[2]);
	if (runs < 1 || runs > 101) {
		fprintf(stderr, "usage: events [--runs N (1..101)]\n");
		return 2;
	}
	double t[101];
	const unsigned calls = 2000;

	/* untrapped */
	static uint64_t plain_page[512] __attribute__((aligned(4096)));
	for (int r = 0; r < runs; r++) {
		struct vmclock_iut_reading out;
		uint64_t t0 = now_ns();
		for (unsigned k = 0; k < calls * 20; k++)
			plain_reader(plain_page, sizeof plain_page, NULL, &out);
		t[r] = (double)(now_ns() - t0) / (calls * 20.0 * LOADS);
	}
	double untrapped = best_of(t, runs);

	/* the bare fault */
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = skip_load;
	sa.sa_flags = SA_SIGINFO;
	if (none == MAP_FAILED || sigaction(SIGSEGV, &sa, &old) != 0) {
		perror("events: setup");
		return 2;
	}
	for (int r = 0; r < runs; r++) {
		uint64_t t0 = now_ns();
		faulting_loads(none, calls * 4);
		t[r] = (double)(now_ns() - t0) / (calls * 4.0);
	}
	double fault = best_of(t, runs);
	sigaction(SIGSEGV, &old, NULL);

	/* the engine, three ways */
	struct engine *e = engine_create();
	if (!e || !engine_page(e, 4096)) {
		perror("events: engine");
		return 2;
	}
	struct { const char *name; vmclock_iut_read_fn fn; unsigned flags; unsigned calls; double ns; } m[] = {
		{ "trapped, emulated", plain_reader, 0, calls / 4, 0 },
		{ "trapped, stepped", plain_reader, ENGINE_F_NO_EMUL, calls / 20, 0 },
		{ "hooked", hooked_reader, ENGINE_F_HOOKED, calls * 4, 0 },
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		for (int r = 0; r < runs; r++) {
			struct vmclock_iut_reading out;
			struct engine_result er;
			unsigned events = 0;
			uint64_t t0 = now_ns();
			for (unsigned k = 0; k < m[i].calls; k++) {
				if (engine_run(e, m[i].fn, 4096, m[i].flags, null_hook, NULL, &out, UINT_MAX, &er) != ENGINE_OK) {
					fprintf(stderr, "events: %s: the engine run failed (%s)\n", m[i].name, er.detail ? er.detail : "?");
					return 2;
				}
				events += er.loads;
			}
			t[r] = (double)(now_ns() - t0) / (events ? events : 1);
			if (events != m[i].calls * LOADS) {
				fprintf(stderr, "events: %s: %u events, expected %u\n", m[i].name, events, m[i].calls * LOADS);
				return 2;
			}
		}
		m[i].ns = best_of(t, runs);
	}
	engine_destroy(e);

	printf("per event, best of %d runs (%u loads per call):\n", runs, LOADS);
	printf("  %-20s %9.1f ns\n", "untrapped load", untrapped);
	printf("  %-20s %9.1f ns   (the kernel's share of a trapped load)\n", "fault round trip", fault);
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		printf("  %-20s %9.1f ns\n", m[i].name, m[i].ns);
	printf("ratios: trapped emulated / hooked %.0fx, trapped stepped / hooked %.0fx, hooked / untrapped load %.1fx;\n"
	       "        of a trapped emulated event, the fault round trip is %.0f%%, decode + emulation + hook %.0f%%\n",
	       m[0].ns / m[2].ns, m[1].ns / m[2].ns, m[2].ns / untrapped, 100 * fault / m[0].ns,
	       100 * (m[0].ns - fault) / m[0].ns);
	return 0;
}
