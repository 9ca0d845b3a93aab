/* stress.c - the real-thread stress mode (see stress.h).
 *
 * In a forked child: the page lives in a memfd mapped twice (the writer's
 * writable view, the reader's read-only view followed by a PROT_NONE guard
 * page). A writer thread publishes updates by the seqcount protocol (seq odd,
 * fence, field stores, fence, seq even), each new state made like
 * suite/schedule.c's make_next: time and period move on, the markers change
 * on disruption and restore, and the MONOTONIC rule holds because the switch
 * counter is taken from the shared clock after seq_count became odd. The
 * writer logs every state in a ring, indexed by a global publish counter
 * `gen` (2k: state k committed and current; 2k+1: state k+1 being written).
 *
 * The main thread calls the reader in a loop. Its counter callback returns a
 * virtual clock (an atomic increment, shared with the writer), so that every
 * counter value is unique and ordered against the writer's switch points.
 * Each reading is judged by the oracle against the states from the one
 * current before the call to the one being written after it, writer_active=1.
 * A reading with any FAIL finding is torn (under a valid writer, a correct
 * reader's readings are each exactly one committed state); an OK reading
 * earlier than the previous OK one breaks R-MONO.
 *
 * The ordering argument (x86: a locked RMW is a full barrier): a correct
 * reader that returns state A used a counter c1 taken before its second seq
 * load saw A's even seq_count, so c1 < c_sw of the next update; state B after
 * it is used only with c2 > c_sw; and B(c2) >= B(c_sw) = A(c_sw) + step >
 * A(c1). So a correct reader is never torn and never goes backwards here. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "contain.h"
#include "oracle.h"
#include "rng.h"
#include "stress.h"
#include "timemath.h"
#include "vmclock_iut.h"
#include "writer.h"

#define RING      1024u   /* states logged */
#define MAXST     8u      /* states handed to the oracle for one reading */
#define MAXCTR    256u    /* counter reads remembered per call (the last ones) */
#define PAGE_LEN  VMCLOCK_PAGE_SIZE

typedef int (*read_fn)(const volatile void *, size_t, const struct vmclock_iut_counter *,
                       struct vmclock_iut_reading *);
typedef const struct vmclock_iut_info *(*info_fn)(void);

/* ---- the child's shared state ------------------------------------------- */
static struct {
	volatile uint8_t *wv;          /* writer's view */
	const volatile uint8_t *rv;    /* reader's view (read-only) */
	struct vmclock_fields ring[RING];
	_Atomic uint64_t gen;
	_Atomic uint64_t clk;          /* the virtual counter */
	atomic_int stop;
	int rdtsc;
	const struct stress_opts *o;
	int writer_cpu;                /* -1: not pinned */
	_Atomic uint64_t updates, wraps;
	/* counter reads of the current call (reader thread only) */
	uint64_t lo;                   /* first state of the call */
	unsigned nctr;
	struct { uint64_t value; int current; } ctr[MAXCTR];  /* current: state index from lo, -1 odd */
} S;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_TSC 1
static inline uint64_t tsc(void)
{
	__builtin_ia32_lfence();
	uint64_t t = __builtin_ia32_rdtsc();
	__builtin_ia32_lfence();
	return t;
}
#else
#define HAVE_TSC 0
static inline uint64_t tsc(void) { return 0; }
#endif

/* A counter value no earlier read has had, later than all of them. */
static inline uint64_t clock_take(void)
{
	if (S.rdtsc)
		return tsc();
	return atomic_fetch_add(&S.clk, 1) + 1;
}

static uint64_t counter_cb(void *ctx)
{
	(void)ctx;
	uint64_t v = clock_take();
	uint64_t g = atomic_load(&S.gen);
	__typeof__(&S.ctr[0]) c = &S.ctr[S.nctr++ % MAXCTR];
	c->value = v;
	c->current = (g & 1) ? -1 : (int)(g / 2 - S.lo);
	return v;
}

/* ---- the writer ------------------------------------------------------------ */
enum { K_NORMAL, K_DISRUPT, K_RESTORE, K_LEAP };

/* As suite/schedule.c's make_next: the next committed state, switching at c_sw. */
static void make_next(struct vmclock_rng *rng, const struct vmclock_fields *o, int kind,
                      uint64_t c_sw, struct vmclock_fields *n)
{
	*n = *o;
	n->seq_count = (uint32_t)(o->seq_count + 2);
	struct vmclock_tm_time t = vmclock_tm_at(o->time_sec, o->time_frac_sec, o->counter_value,
	                                         o->counter_period_frac_sec,
	                                         (unsigned)o->counter_period_shift, c_sw);
	/* Large steps (up to ~60 us), so that a mix is never within a few ns of a
	 * real state's time. */
	uint64_t step = 1 + vmclock_rng_below(rng, 1ull << 50);
	n->counter_value = c_sw;
	n->time_frac_sec = t.frac + step;
	n->time_sec = t.sec + (n->time_frac_sec < step);
	uint64_t d = o->counter_period_frac_sec >> 10;
	n->counter_period_frac_sec = o->counter_period_frac_sec - d + vmclock_rng_below(rng, 2 * d + 1);
	n->time_esterror_nanosec = 1 + vmclock_rng_below(rng, 10000);
	n->time_maxerror_nanosec = n->time_esterror_nanosec + vmclock_rng_below(rng, 100000);
	if (kind == K_DISRUPT || kind == K_RESTORE) {
		n->disruption_marker = vmclock_rng_next(rng);
		if (n->disruption_marker == o->disruption_marker)
			n->disruption_marker ^= 1;
	}
	if (kind == K_RESTORE)
		n->vm_generation_counter = o->vm_generation_counter + 1 + vmclock_rng_below(rng, 1000);
	if (kind == K_LEAP)
		n->leap_indicator = (o->leap_indicator + 1) % (VMCLOCK_LEAP_MAX + 1);
}

static void store(size_t off, unsigned size, uint64_t v)
{
	volatile uint8_t *wv = S.wv;
	switch (size) {
	case 8: *(volatile uint64_t *)(wv + off) = vmclock_le64(v); break;
	case 4: *(volatile uint32_t *)(wv + off) = vmclock_le32((uint32_t)v); break;
	case 2: *(volatile uint16_t *)(wv + off) = vmclock_le16((uint16_t)v); break;
	default: wv[off] = (uint8_t)v; break;
	}
}

/* The field stores from cur to next: in layout order, reversed, or byte by
 * byte (a non-atomic copy). */
static void write_fields(const struct vmclock_fields *cur, const struct vmclock_fields *next, int order)
{
	size_t n = vmclock_field_count;
	for (size_t k = 0; k < n; k++) {
		size_t i = order == 1 ? n - 1 - k : k;
		const struct vmclock_field_desc *f = &vmclock_field_table[i];
		uint64_t v = vmclock_field_get(next, i);
		if (!f->protected_by_seq || f->offset == VMCLOCK_OFF_seq_count || v == vmclock_field_get(cur, i))
			continue;
		if (order == 2)
			for (unsigned b = 0; b < f->size; b++)
				store(f->offset + b, 1, (uint8_t)(v >> (8 * b)));
		else
			store(f->offset, f->size, v);
	}
}

static void pause_between(struct vmclock_rng *rng, int same_cpu)
{
	uint64_t us = 20 + vmclock_rng_below(rng, 81);
	if (same_cpu) {
		/* Sharing the reader's CPU: sleep, so the reader runs and is
		 * preempted wherever the writer's wake-up lands. */
		struct timespec ts = { 0, (long)(us * 1000) };
		nanosleep(&ts, NULL);
		return;
	}
	uint64_t end = now_ns() + us * 1000;
	while (now_ns() < end && !atomic_load_explicit(&S.stop, memory_order_relaxed))
		relax();
}

static void pin(pthread_t t, int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)pthread_setaffinity_np(t, sizeof set, &set);
}

static void *writer_main(void *arg)
{
	(void)arg;
	const struct stress_opts *o = S.o;
	if (S.writer_cpu >= 0)
		pin(pthread_self(), S.writer_cpu);
	struct vmclock_rng rng = { o->seed ^ 0x5354524553530000ull };
	int same_cpu = o->cpus == 1;
	uint64_t k = 0;
	while (!atomic_load_explicit(&S.stop, memory_order_relaxed)) {
		if (o->writer == STRESS_REALISTIC)
			pause_between(&rng, same_cpu);
		const struct vmclock_fields *cur = &S.ring[k % RING];
		struct vmclock_fields *next = &S.ring[(k + 1) % RING];
		uint64_t r = vmclock_rng_below(&rng, 10);
		int kind = r < 7 ? K_NORMAL : (int)(r - 6);
		r = vmclock_rng_below(&rng, 8);
		int order = r < 5 ? 0 : r < 7 ? 1 : 2;

		store(VMCLOCK_OFF_seq_count, 4, (uint32_t)(cur->seq_count + 1));   /* odd */
		atomic_thread_fence(memory_order_seq_cst);
		uint64_t c_sw = clock_take();
		struct vmclock_fields tmp;
		make_next(&rng, cur, kind, c_sw, &tmp);
		*next = tmp;
		atomic_store(&S.gen, 2 * k + 1);
		atomic_thread_fence(memory_order_release);
		write_fields(cur, next, order);
		atomic_thread_fence(memory_order_release);
		store(VMCLOCK_OFF_seq_count, 4, (uint32_t)next->seq_count);       /* even */
		atomic_store(&S.gen, 2 * k + 2);
		if ((uint32_t)next->seq_count < (uint32_t)cur->seq_count)
			atomic_fetch_add_explicit(&S.wraps, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&S.updates, 1, memory_order_relaxed);
		k++;
	}
	return NULL;
}

/* ---- the child -------------------------------------------------------------- */
static void pick_cpus(unsigned cpus, int *reader_cpu, int *writer_cpu)
{
	*reader_cpu = *writer_cpu = -1;
	cpu_set_t set;
	if (!cpus || sched_getaffinity(0, sizeof set, &set) != 0)
		return;
	int last = -1, prev = -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set)) {
			prev = last;
			last = c;
		}
	if (last < 0 || (cpus >= 2 && prev < 0))
		return;
	*reader_cpu = last;
	*writer_cpu = cpus >= 2 ? prev : last;
}

static int map_page(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	if (ps <= 0 || (size_t)ps != PAGE_LEN)
		ps = PAGE_LEN;
	int fd = memfd_create("", MFD_ALLOW_SEALING);   /* no telling name */
	if (fd >= 0 && ftruncate(fd, PAGE_LEN) == 0) {
		void *w = mmap(NULL, PAGE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		/* no later mapping can be writable: the reader's view stays read-only */
		(void)fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_GROW | F_SEAL_SHRINK);
		uint8_t *area = mmap(NULL, 2 * PAGE_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (w != MAP_FAILED && area != MAP_FAILED &&
		    mmap(area, PAGE_LEN, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED) {
			close(fd);
			S.wv = w;
			S.rv = area;
			return 0;
		}
	}
	/* No memfd: one shared mapping for both (still a guard page after it). */
	if (fd >= 0)
		close(fd);
	uint8_t *area = mmap(NULL, 2 * PAGE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || mprotect(area + PAGE_LEN, PAGE_LEN, PROT_NONE) != 0)
		return -1;
	S.wv = area;
	S.rv = area;
	return 0;
}

/* Does the reader read a quiet copy of state s, at the reading's own
 * counter, as it read the live page? The copy gets an ordinary seq_count of
 * its own, so a cache keyed on seq_count sees a new page. */
static uint64_t quiet_counter_value;
static uint64_t quiet_counter(void *ctx)
{
	(void)ctx;
	return quiet_counter_value;
}

static int quiet_matches(read_fn fn, const struct vmclock_fields *s, int status, const struct vmclock_iut_reading *r)
{
	static _Alignas(64) uint8_t page[PAGE_LEN];
	static uint32_t seq = 0x1000;
	struct vmclock_fields f = *s;
	seq = seq + 2 > 0x7ffffff0u ? 0x1000 : seq + 2;
	f.seq_count = seq;
	vmclock_encode(&f, page);
	quiet_counter_value = r->counter;
	const struct vmclock_iut_counter c = { quiet_counter, NULL };
	struct vmclock_iut_reading q;
	memset(&q, 0, sizeof q);
	int qs = fn(page, PAGE_LEN, &c, &q);
	if (S.rdtsc)   /* its own TSC, not ours: compare all but the time */
		return (vmclock_reading_diff(status, r, qs, &q) & ~(1u << VP_TIME)) == 0;
	return vmclock_reading_diff(status, r, qs, &q) == 0;
}

static void child(const char *path, const struct stress_opts *o, struct stress_result *sr, int ready)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	S.o = o;
	if (map_page() != 0) {
		snprintf(sr->evidence, sizeof sr->evidence, "stress: cannot map the page: %s", strerror(errno));
		_exit(3);
	}
	/* The walls of the case children (contain.h); then one byte tells the
	 * parent that from here on, any ending is the reader's doing. */
	const int keep[] = { ready, contain_reader_fd() };
	contain_child_enter(keep, 2);
	if (write(ready, "L", 1) != 1)
		_exit(3);
	void *h = dlopen(contain_reader_path(path), RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(sr->evidence, sizeof sr->evidence, "stress: cannot load the reader: %s", dlerror());
		_exit(3);
	}
	contain_child_loaded(&ready, 1);
	read_fn fn;
	*(void **)&fn = dlsym(h, "vmclock_iut_read");
	if (!fn) {
		snprintf(sr->evidence, sizeof sr->evidence, "stress: %s has no vmclock_iut_read", path);
		_exit(3);
	}
	info_fn info;
	*(void **)&info = dlsym(h, "vmclock_iut_info");
	const struct vmclock_iut_info *in = info ? info() : NULL;
	S.rdtsc = HAVE_TSC && in && (in->caps & VMCLOCK_IUT_CAP_RDTSC);
	sr->rdtsc = S.rdtsc;

	/* The first state: a full page, TIME_MONOTONIC, seq_count where asked. */
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	f.flags |= VMCLOCK_FLAG_TIME_MONOTONIC;
	f.seq_count = o->seq_start & ~1u;
	f.counter_value = S.rdtsc ? tsc() : f.counter_value;
	atomic_store(&S.clk, f.counter_value);
	struct vmclock_image img;
	vmclock_image_from(&img, &f, PAGE_LEN, 0);
	for (size_t i = 0; i < PAGE_LEN; i++)
		S.wv[i] = img.bytes[i];
	vmclock_decode(img.bytes, PAGE_LEN, &S.ring[0]);
	const struct vmclock_fields hdr = S.ring[0];

	int reader_cpu;
	pick_cpus(o->cpus, &reader_cpu, &S.writer_cpu);
	sr->pinned = reader_cpu >= 0;
	if (reader_cpu >= 0)
		pin(pthread_self(), reader_cpu);
	pthread_t wt;
	if (pthread_create(&wt, NULL, writer_main, NULL) != 0) {
		snprintf(sr->evidence, sizeof sr->evidence, "stress: cannot start the writer thread");
		_exit(3);
	}

	const struct vmclock_iut_counter counter = { counter_cb, NULL };
	struct vmclock_fields st[MAXST];
	int have_prev = 0;
	uint64_t prev_sec = 0, prev_nsec = 0, prev_read = 0;
	const uint64_t t0 = now_ns();
	const uint64_t dur = (uint64_t)(o->duration_ms ? o->duration_ms : 1000) * 1000000u;
	uint64_t reads = 0, torn = 0, mono = 0, window = 0, busy = 0, unjudged = 0;
	int have_ev = 0;

	for (;;) {
		/* The clock at every read: on a loaded machine one call can take its
		 * whole 100 ms retry bound (the writer starved mid-update). */
		{
			uint64_t el = now_ns() - t0;
			if (el >= dur)
				break;
			if ((reads & 4095) == 0) {  /* partial counts, should the reader die */
				sr->reads = reads;
				sr->torn = torn;
				sr->mono = mono;
				sr->busy = busy;
				sr->elapsed_ns = el;
			}
		}
		struct vmclock_iut_reading out;
		memset(&out, 0, sizeof out);
		uint64_t g0 = atomic_load(&S.gen);
		S.lo = g0 / 2;
		S.nctr = 0;
		uint64_t c0 = S.rdtsc ? tsc() : 0;
		int status = fn(S.rv, PAGE_LEN, &counter, &out);
		uint64_t c1 = S.rdtsc ? tsc() : 0;
		atomic_thread_fence(memory_order_seq_cst);
		uint64_t g1 = atomic_load(&S.gen);
		reads++;
		if (status == VMCLOCK_IUT_BUSY)
			busy++;

		uint64_t lo = g0 / 2, hi = (g1 + 1) / 2;
		if (hi - lo + 1 > MAXST) {
			unjudged++;
			continue;
		}
		size_t nst = (size_t)(hi - lo + 1);
		for (size_t i = 0; i < nst; i++)
			st[i] = S.ring[(lo + i) % RING];
		atomic_thread_fence(memory_order_seq_cst);
		if (atomic_load(&S.gen) / 2 + 2 >= lo + RING) {   /* lapped while copying */
			unjudged++;
			continue;
		}
		/* The contract, then consistency: the reading must be one the same
		 * reader gives for a quiet copy of one of the states current during
		 * the call, at the same counter (spec "How findings are charged" 3:
		 * its arithmetic is judged elsewhere). */
		uint64_t ctrv[MAXCTR];
		size_t nc = 0;
		if (S.rdtsc) {
			if (out.counter >= c0 && out.counter <= c1)
				ctrv[nc++] = out.counter;
		} else {
			nc = S.nctr < MAXCTR ? S.nctr : MAXCTR;
			for (size_t i = 0; i < nc; i++)
				ctrv[i] = S.ctr[(S.nctr - nc + i) % MAXCTR].value;
		}
		struct vmclock_oracle_input oi = { .page = &hdr, .len = PAGE_LEN, .counters = ctrv, .ncounters = nc,
		                                   .native_counter_id = VMCLOCK_COUNTER_NATIVE };
		const char *breach = vmclock_oracle_contract(&oi, status, &out);
		int bad = 0;
		char why[200] = "";
		if (breach) {
			bad = 1;
			snprintf(why, sizeof why, "R-CONTRACT: %s", breach);
		} else if (status == VMCLOCK_IUT_OK || (status == VMCLOCK_IUT_NO_TIME && out.filled)) {
			int match = -1;
			for (size_t i = 0; i < nst && match < 0; i++)
				if (quiet_matches(fn, &st[i], status, &out))
					match = (int)i;
			if (match < 0) {
				bad = 1;
				snprintf(why, sizeof why, "R-SEQ-TORN: the reading is none of the %zu states' (as this reader reads them quiet)",
				         nst);
			} else {
				/* the counter the time is for, read while that state was current? */
				for (size_t i = 0; !S.rdtsc && i < nc; i++)
					if (S.ctr[(S.nctr - nc + i) % MAXCTR].value == out.counter &&
					    S.ctr[(S.nctr - nc + i) % MAXCTR].current != match)
						window++;
			}
		}
		uint64_t el = now_ns() - t0;
		if (bad) {
			if (!torn++) {
				sr->first_torn_ns = el ? el : 1;
				snprintf(sr->evidence, sizeof sr->evidence, "read %" PRIu64 " (states %" PRIu64 "..%" PRIu64 ", returned %d): %s",
				         reads, lo, hi, status, why);
				have_ev = 1;
			}
		}
		if (status == VMCLOCK_IUT_OK && (out.filled & VMCLOCK_IUT_HAS_TIME)) {
			if (have_prev && (out.sec < prev_sec || (out.sec == prev_sec && out.nsec < prev_nsec))) {
				if (!mono++) {
					sr->first_mono_ns = el ? el : 1;
					if (!have_ev)
						snprintf(sr->evidence, sizeof sr->evidence,
						         "R-MONO: read %" PRIu64 " gave %" PRIu64 ".%09u s at counter 0x%" PRIx64
						         ", read %" PRIu64 " had given %" PRIu64 ".%09" PRIu64 " s",
						         reads, out.sec, out.nsec, out.counter, prev_read, prev_sec, prev_nsec);
				}
			}
			have_prev = 1;
			prev_sec = out.sec;
			prev_nsec = out.nsec;
			prev_read = reads;
		}
		if (o->stop_at_first && (torn || mono))
			break;
	}
	sr->elapsed_ns = now_ns() - t0;
	atomic_store(&S.stop, 1);
	pthread_join(wt, NULL);
	sr->reads = reads;
	sr->torn = torn;
	sr->mono = mono;
	sr->window = window;
	sr->busy = busy;
	sr->unjudged = unjudged;
	sr->updates = atomic_load(&S.updates);
	sr->wraps = atomic_load(&S.wraps);
	_exit(0);
}

/* ---- the parent ------------------------------------------------------------- */

int stress_run(const char *reader_path, const struct stress_opts *o, struct stress_result *r)
{
	memset(r, 0, sizeof *r);
	struct stress_result *sr = mmap(NULL, sizeof *sr, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int ready[2] = { -1, -1 };
	if (sr == MAP_FAILED || pipe2(ready, O_CLOEXEC | O_NONBLOCK) != 0) {
		r->outcome = STRESS_ERROR;
		snprintf(r->evidence, sizeof r->evidence, "stress: mmap or pipe: %s", strerror(errno));
		if (sr != MAP_FAILED)
			munmap(sr, sizeof *sr);
		return -1;
	}
	memset(sr, 0, sizeof *sr);
	/* before the fork: a parent starved right after it would see a
	 * shorter run than the child's, and call its normal end early */
	const uint64_t start = now_ns();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		munmap(sr, sizeof *sr);
		close(ready[0]);
		close(ready[1]);
		r->outcome = STRESS_ERROR;
		snprintf(r->evidence, sizeof r->evidence, "stress: fork: %s", strerror(e));
		return -1;
	}
	if (pid == 0) {
		close(ready[0]);
		child(reader_path, o, sr, ready[1]);
	}
	close(ready[1]);

	/* Decided here, from what the parent sees: when the child ended, how,
	 * and whether the reader's code had started (the counts come from the
	 * child and can only add failures, never clear one). A child still
	 * running after its duration + 2 s is hung only if its reader loop (the
	 * main thread) also used that much CPU time (a busy machine starves it,
	 * a spinning reader does not), or after ten times as long. */
	const unsigned dur_ms = o->duration_ms ? o->duration_ms : 1000;
	const uint64_t limit = (uint64_t)(dur_ms + 2000) * 1000000u;
	int ws = 0, hung = 0, loaded = 0;
	for (;;) {
		char b;
		if (!loaded && read(ready[0], &b, 1) == 1)
			loaded = 1;
		pid_t w = waitpid(pid, &ws, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			ws = 0;
			break;
		}
		uint64_t el = now_ns() - start;
		if (el > limit && (contain_cpu_ms(pid, pid) * 1000000u >= limit || el > 10 * limit)) {
			contain_end(pid, &ws);
			hung = 1;
			break;
		}
		struct timespec ts = { 0, 2 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	const uint64_t wall = now_ns() - start;
	if (!loaded) {
		char b;
		loaded = read(ready[0], &b, 1) == 1;
	}
	close(ready[0]);
	if (!hung)
		contain_end(pid, NULL);   /* anything it left behind */
	*r = *sr;
	munmap(sr, sizeof *sr);
	r->evidence[sizeof r->evidence - 1] = 0;
	if (hung) {
		r->outcome = STRESS_HUNG;
		if (!r->torn && !r->mono)
			snprintf(r->evidence, sizeof r->evidence,
			         "the child did not finish within %u ms + 2 s while using the CPU (a reader call never returned?); killed",
			         dur_ms);
		return 0;
	}
	if (!loaded) {
		/* ended before the reader was loaded: the suite's own set-up */
		r->outcome = STRESS_ERROR;
		if (!r->evidence[0])
			snprintf(r->evidence, sizeof r->evidence, "stress: the child could not be set up");
		return -1;
	}
	if (WIFSIGNALED(ws)) {
		r->outcome = STRESS_CRASHED;
		if (!r->torn && !r->mono)
			snprintf(r->evidence, sizeof r->evidence, "the child died of signal %d (%s) after %" PRIu64 " reads",
			         WTERMSIG(ws), strsignal(WTERMSIG(ws)), r->reads);
		return 0;
	}
	const int early = wall < (uint64_t)dur_ms * 1000000u && !r->torn && !r->mono;  /* stop_at_first stops early */
	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0 || early) {
		r->outcome = STRESS_CRASHED;
		if (!r->torn && !r->mono)
			snprintf(r->evidence, sizeof r->evidence,
			         "the reader ended the process (exit status %d) after %.0f ms of the %u ms run",
			         WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, (double)wall / 1e6, dur_ms);
		return 0;
	}
	r->outcome = STRESS_OK;
	return 0;
}
