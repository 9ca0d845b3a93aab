/* refread.c - cost per read of the reference reader against the cheapest
 * correct seqlock read of the same page, measured in the same process.
 *
 * Why a baseline in the same run: absolute ns per read swing a lot between
 * VMs and runs (frequency, noisy neighbours), the ratio reference/minimal
 * much less, and the ratio is what says whether the reference reader's
 * extra checks cost anything that matters.
 *
 * Rows:
 *   reference   vmclock_ref_read(), a full reading (header checks, every
 *               field, error bounds), counter taken through the callback;
 *   minimal     inline seqlock read of only the fields time needs, then the
 *               exact 128-bit time arithmetic floored to ns;
 * each with two counters: "inc" (a cheap incrementing value, so the row is
 * the reader's own cost) and, on x86, "rdtsc" (what a real reader pays).
 * Plus one call of the reference reader on a page left odd: the time it
 * takes to give up (BUSY), i.e. its retry bound in practice.
 *
 * This is a benchmark, not a test: it prints numbers and fails only when
 * it cannot run or when the two readers disagree on the time.
 *
 * usage: refread [--reads N] [--runs N]
 *
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "reader.h"
#include "vmclock_iut.h"
#include "writer.h"

#define DEFAULT_READS 10000000ul
#define DEFAULT_RUNS 5
#define MAX_RUNS 101

/* Every result is folded into this so the compiler cannot drop reads whose
 * results would otherwise be unused. */
static volatile uint64_t sink;

/* ---- counters -------------------------------------------------------------
 * noinline: the reference reader reaches the counter through a pointer
 * across translation units, so the minimal reader must pay a real call too,
 * or the comparison flatters the baseline. */
static uint64_t inc_value;
__attribute__((noinline)) static uint64_t counter_inc(void *ctx)
{
	(void)ctx;
	/* Start past the page's counter_value so delta stays small and
	 * positive, as it is on a live system. */
	return ++inc_value;
}

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_RDTSC 1
__attribute__((noinline)) static uint64_t counter_rdtsc(void *ctx)
{
	(void)ctx;
	return __builtin_ia32_rdtsc();
}
#else
#define HAVE_RDTSC 0
#endif

/* ---- the minimal correct seqlock read --------------------------------------
 * Only what time needs: no header checks (the page is known good here),
 * no error bounds, no markers. Same protocol as the spec's reader: seq,
 * odd -> retry, acquire, body, counter inside the window, acquire, seq
 * again. Unbounded retry is fine here: the page never changes. */
static inline int minimal_read(const volatile void *page,
                               const struct vmclock_iut_counter *ctr,
                               uint64_t *sec, uint32_t *nsec)
{
	uint32_t seq;
	uint64_t cval, period, tsec, tfrac, c;
	unsigned shift;
	do {
		seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (seq & 1u)
			continue;
		atomic_thread_fence(memory_order_acquire);
		shift = vmclock_load8(page, VMCLOCK_OFF_counter_period_shift);
		cval = vmclock_load64(page, VMCLOCK_OFF_counter_value);
		period = vmclock_load64(page, VMCLOCK_OFF_counter_period_frac_sec);
		tsec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
		tfrac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
		c = ctr->read(ctr->ctx);
		atomic_thread_fence(memory_order_acquire);
	} while ((seq & 1u) || vmclock_load32(page, VMCLOCK_OFF_seq_count) != seq);

	/* 128-bit product; a shift of 128 or more leaves nothing (and shifting
	 * an __int128 by >= 128 would be undefined). */
	unsigned __int128 p = (unsigned __int128)(c - cval) * period;
	p = shift < 128 ? p >> shift : 0;
	unsigned __int128 x = (unsigned __int128)tfrac + p;
	*sec = tsec + (uint64_t)(x >> 64);          /* the carry into seconds */
	*nsec = (uint32_t)(((unsigned __int128)(uint64_t)x * 1000000000u) >> 64);
	return 0;
}

/* ---- timing ---------------------------------------------------------------- */
static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* User-only instruction counter; -1 with the reason when the VM or the
 * kernel does not offer one (common: no virtual PMU, perf_event_paranoid). */
static int perf_fd = -1;
static char perf_why[160];

static void perf_open(void)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	long fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (fd < 0) {
		int e = errno;
		/* Say which of the usual causes it is, so nobody chases the wrong one. */
		const char *hint = e == ENOENT || e == EOPNOTSUPP || e == ENODEV
			? "no hardware instruction counter exposed, e.g. a VM without a virtual PMU"
			: e == EACCES || e == EPERM ? "not permitted, see /proc/sys/kernel/perf_event_paranoid"
			: e == ENOSYS ? "kernel without perf events" : "unexpected error";
		snprintf(perf_why, sizeof(perf_why), "perf_event_open: %s; %s", strerror(e), hint);
		return;
	}
	perf_fd = (int)fd;
}

enum which { REF, MINIMAL };

/* One timed run of n reads. Returns ns for the whole run; *instr gets the
 * user-mode instructions retired (or 0 without perf). */
static uint64_t run_once(enum which w, const volatile void *page, size_t len,
                         const struct vmclock_iut_counter *ctr, unsigned long n,
                         uint64_t *instr)
{
	struct vmclock_iut_reading r;
	uint64_t acc = 0;
	if (perf_fd >= 0) {
		ioctl(perf_fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);
	}
	uint64_t t0 = now_ns();
	if (w == REF) {
		for (unsigned long i = 0; i < n; i++) {
			int st = vmclock_ref_read(page, len, ctr, &r);
			acc += (uint64_t)st + r.sec + r.nsec + r.maxerror_ns;
		}
	} else {
		for (unsigned long i = 0; i < n; i++) {
			uint64_t sec;
			uint32_t nsec;
			int st = minimal_read(page, ctr, &sec, &nsec);
			acc += (uint64_t)st + sec + nsec;
		}
	}
	uint64_t t1 = now_ns();
	*instr = 0;
	if (perf_fd >= 0) {
		ioctl(perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		uint64_t v;
		if (read(perf_fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
			*instr = v;
	}
	sink += acc;
	return t1 - t0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

struct result {
	const char *name;
	double best_ns, median_ns;   /* per read */
	double instr;                /* per read, best run; < 0 = n/a */
};

static struct result measure(const char *name, enum which w, const volatile void *page,
                             size_t len, const struct vmclock_iut_counter *ctr,
                             unsigned long n, int runs)
{
	uint64_t t[MAX_RUNS] = { 0 }, in[MAX_RUNS] = { 0 };
	uint64_t dummy;
	/* Warm-up: caches, branch predictors, page tables, CPU frequency. */
	run_once(w, page, len, ctr, n / 10 + 1, &dummy);
	for (int i = 0; i < runs; i++)
		t[i] = run_once(w, page, len, ctr, n, &in[i]);
	uint64_t min_in = in[0];
	for (int i = 1; i < runs; i++)
		if (in[i] < min_in)
			min_in = in[i];
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_u64);
	struct result res = {
		.name = name,
		.best_ns = (double)t[0] / (double)n,
		.median_ns = (double)t[runs / 2] / (double)n,
		.instr = perf_fd >= 0 && min_in ? (double)min_in / (double)n : -1.0,
	};
	return res;
}

static void print_row(const struct result *r)
{
	char instr[32];
	if (r->instr >= 0)
		snprintf(instr, sizeof(instr), "%.1f", r->instr);
	else
		snprintf(instr, sizeof(instr), "n/a");
	printf("  %-18s %10.2f %10.2f %12s\n", r->name, r->best_ns, r->median_ns, instr);
}

static void print_ratio(const char *what, const struct result *ref, const struct result *min)
{
	printf("  ratio reference/minimal (%s): %.2fx time (best), ", what,
	       ref->best_ns / min->best_ns);
	if (ref->instr > 0 && min->instr > 0)
		printf("%.2fx instructions\n", ref->instr / min->instr);
	else
		printf("instructions n/a\n");
}

static unsigned long parse_ulong(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v == 0) {
		fprintf(stderr, "refread: bad %s '%s' (want a positive integer)\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n = DEFAULT_READS;
	int runs = DEFAULT_RUNS;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reads") && i + 1 < argc) {
			n = parse_ulong(argv[++i], "--reads");
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			unsigned long r = parse_ulong(argv[++i], "--runs");
			if (r > MAX_RUNS) {
				fprintf(stderr, "refread: --runs at most %d\n", MAX_RUNS);
				return 2;
			}
			runs = (int)r;
		} else {
			fprintf(stderr, "usage: refread [--reads N] [--runs N]\n");
			return 2;
		}
	}

	/* The page the suite would map: default fields, encoded, read-only,
	 * page-aligned (so the 8-byte fields are aligned as on a device). */
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	static struct vmclock_image img;
	vmclock_image_from(&img, &f, VMCLOCK_PAGE_SIZE, 0);
	uint8_t *page = mmap(NULL, VMCLOCK_PAGE_SIZE, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("refread: mmap");
		return 2;
	}
	memcpy(page, img.bytes, VMCLOCK_PAGE_SIZE);
	if (mprotect(page, VMCLOCK_PAGE_SIZE, PROT_READ) != 0) {
		perror("refread: mprotect");
		return 2;
	}
	const size_t len = VMCLOCK_PAGE_SIZE;
	inc_value = f.counter_value;

	/* Both readers must agree on the time, or the comparison is of two
	 * different computations. Same counter value for both. */
	{
		struct vmclock_iut_counter c = { counter_inc, NULL };
		struct vmclock_iut_reading r;
		uint64_t sec;
		uint32_t nsec;
		uint64_t saved = inc_value;
		int st = vmclock_ref_read(page, len, &c, &r);
		inc_value = saved;
		minimal_read(page, &c, &sec, &nsec);
		if (st != VMCLOCK_IUT_OK || r.sec != sec || r.nsec != nsec) {
			fprintf(stderr, "refread: readers disagree: reference status %d %" PRIu64
			        ".%09u, minimal %" PRIu64 ".%09u\n", st, r.sec, r.nsec, sec, nsec);
			return 1;
		}
	}

	perf_open();
	printf("reads per run: %lu, runs: %d (ns/read: best and median of the runs; "
	       "instructions: user-mode, per read, incl. loop)\n", n, runs);
	if (perf_fd < 0)
		printf("instructions: n/a (perf events not available: %s)\n", perf_why);
	printf("  %-18s %10s %10s %12s\n", "reader (counter)", "best ns", "median ns", "instr/read");

	struct vmclock_iut_counter inc = { counter_inc, NULL };
	struct result ref_inc = measure("reference (inc)", REF, page, len, &inc, n, runs);
	struct result min_inc = measure("minimal (inc)", MINIMAL, page, len, &inc, n, runs);
	print_row(&ref_inc);
	print_row(&min_inc);
#if HAVE_RDTSC
	struct vmclock_iut_counter tsc = { counter_rdtsc, NULL };
	struct result ref_tsc = measure("reference (rdtsc)", REF, page, len, &tsc, n, runs);
	struct result min_tsc = measure("minimal (rdtsc)", MINIMAL, page, len, &tsc, n, runs);
	print_row(&ref_tsc);
	print_row(&min_tsc);
#endif
	print_ratio("inc", &ref_inc, &min_inc);
#if HAVE_RDTSC
	print_ratio("rdtsc", &ref_tsc, &min_tsc);
#endif

	/* (c) A writer that never finishes: one call must come back BUSY, and
	 * how long that takes is the reader's retry bound in practice (the
	 * 2^20-attempt cap or the 100 ms wall limit, whichever is first). */
	{
		struct vmclock_fields odd = f;
		odd.seq_count |= 1u;
		vmclock_image_from(&img, &odd, VMCLOCK_PAGE_SIZE, 0);
		if (mprotect(page, VMCLOCK_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
			perror("refread: mprotect");
			return 2;
		}
		memcpy(page, img.bytes, VMCLOCK_PAGE_SIZE);
		mprotect(page, VMCLOCK_PAGE_SIZE, PROT_READ);
		struct vmclock_iut_reading r;
		uint64_t t0 = now_ns();
		int st = vmclock_ref_read(page, len, &inc, &r);
		uint64_t t1 = now_ns();
		/* Under the wall limit means the attempt cap was what stopped it. */
		const char *why = t1 - t0 < VMCLOCK_REF_TIMEOUT_NS ? "attempt cap" : "wall-time limit";
		printf("  reference on odd seq_count: %.2f ms to status %d (%s), stopped by the %s "
		       "(%u attempts or %u ms)\n", (double)(t1 - t0) / 1e6, st,
		       st == VMCLOCK_IUT_BUSY ? "BUSY" : "NOT BUSY", why,
		       VMCLOCK_REF_MAX_RETRIES, VMCLOCK_REF_TIMEOUT_NS / 1000000u);
	}

	munmap(page, VMCLOCK_PAGE_SIZE);
	if (perf_fd >= 0)
		close(perf_fd);
	return 0;
}
