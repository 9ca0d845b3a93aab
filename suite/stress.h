/* stress.h - the real-thread stress mode (issue 4, part c): a writer thread
 * updates a live page by the seqcount protocol while the reader under test
 * loops on it, and every reading is judged by the oracle against the
 * committed states whose windows overlap the call.
 *
 * It is a cross-check of the deterministic engine (suite/schedule.c) and the
 * only option for readers whose loads cannot be trapped. It promises nothing:
 * what it catches depends on the scheduler, the CPUs and luck, which is what
 * the detection table of `make bench` (bench/detect.c) measures.
 *
 * The reader is untrusted: it runs in a forked child with the page mapped
 * read-only; a crash or hang of the child is a result (outcome), never a
 * failure of the caller. */
#ifndef VMCLOCK_STRESS_H
#define VMCLOCK_STRESS_H

#include <stdint.h>

enum stress_writer {
	STRESS_REALISTIC,  /* pauses 20..100 us between updates */
	STRESS_HAMMER,     /* back-to-back updates */
};

struct stress_opts {
	unsigned duration_ms;      /* how long the reader loops (default 1000 when 0) */
	unsigned cpus;             /* 1: reader and writer pinned to one CPU; 2: to two
	                              different CPUs; 0: not pinned */
	enum stress_writer writer;
	uint64_t seed;             /* the writer's states (struct vmclock_rng) */
	int stop_at_first;         /* stop at the first torn or backwards reading */
	uint32_t seq_start;        /* the page's first seq_count (made even); e.g.
	                              0xfffffff0 so that seq_count wraps early */
};

enum stress_outcome {
	STRESS_OK,       /* the child ran its duration (or stopped at a detection) */
	STRESS_CRASHED,  /* the child died of a signal (reader crash) */
	STRESS_HUNG,     /* killed after duration + 2 s (a reader call never returned) */
	STRESS_ERROR,    /* could not set up: reader not loadable, mmap, threads */
};

struct stress_result {
	enum stress_outcome outcome;
	uint64_t reads;            /* reader calls made and judged */
	uint64_t torn;             /* readings with a FAIL finding: R-SEQ-TORN when the oracle
	                              explains the mix, else R-TIME-EXACT, R-ERR-BOUND, ... (a
	                              mix it could not explain; never for a correct reader) */
	uint64_t mono;             /* OK readings earlier than the previous OK reading (R-MONO) */
	uint64_t window;           /* readings with an R-SEQ-WINDOW finding (SHOULD; not counted
	                              as a detection) */
	uint64_t busy;             /* BUSY returns */
	uint64_t unjudged;         /* calls the writer outran too far to judge */
	uint64_t updates;          /* updates the writer committed */
	uint64_t wraps;            /* of which seq_count wrapped */
	uint64_t first_torn_ns;    /* time to the first torn reading, 0 if none */
	uint64_t first_mono_ns;    /* time to the first backwards reading, 0 if none */
	uint64_t elapsed_ns;       /* the reader loop's wall time */
	int pinned;                /* the CPU pinning asked for was applied */
	int rdtsc;                 /* the reader reads the TSC itself (real counter used) */
	char evidence[320];        /* the first torn reading; else the first backwards one;
	                              else the crash, hang or set-up error */
};

/* Run the stress mode on the reader at reader_path. Returns 0 with *r filled
 * (whatever the reader did), or -1 when the run could not be made (fork, mmap,
 * or the reader could not be loaded: r->outcome STRESS_ERROR, reason in
 * r->evidence). */
int stress_run(const char *reader_path, const struct stress_opts *o, struct stress_result *r);

#endif
