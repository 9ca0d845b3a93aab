/* sandbox.h - running the untrusted reader.
 *
 * The reader runs in a forked child, inside the walls of contain.h, with a
 * timeout and an overall deadline. Its page is the interleaving engine's
 * view (read-only, or trapped), placed so that the byte after `len` is the
 * first byte of a PROT_NONE guard page: reading past the mapping, writing the page,
 * crashing or hanging end the child, and become a result, never a failure of
 * the suite itself. One child runs many cases in a row (a reader's cached
 * state carries over, as in a real process); after a crash or a hang a new
 * child goes on with the next case. */
#ifndef VMCLOCK_SANDBOX_H
#define VMCLOCK_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include "case.h"
#include "vmclock_iut.h"

#define SB_MAX_COUNTERS 64

enum sb_outcome {
	SB_RETURNED,     /* the reader returned: status and reading are valid */
	SB_CRASHED,      /* killed by a signal (fault, abort, sanitizer) */
	SB_HUNG,         /* did not return within the timeout */
	SB_EXITED,       /* called exit() */
	SB_WROTE_PAGE,   /* stored to the page, or the page bytes changed */
	SB_UNTRAPPABLE,  /* the interleaving engine could not follow the reader */
	SB_NOT_RUN,      /* skipped: the reader hung or crashed in too many cases before */
	SB_INTERFERED,   /* tried to interfere with the suite (a forged or malformed message) */
	SB_OVER_BUDGET,  /* not run: the run's overall time budget was used up */
};

struct sb_result {
	enum sb_outcome outcome;
	int status;
	struct vmclock_iut_reading reading;
	unsigned ncounters;                  /* counter reads (may exceed the log) */
	uint64_t counters[SB_MAX_COUNTERS];  /* the values handed out, in order */
	uint64_t elapsed_ns;
	char evidence[256];                  /* for anything but SB_RETURNED */
	/* Dynamic cases (suite/schedule.c): */
	int current[SB_MAX_COUNTERS];        /* state current at each counter read, -1: odd */
	unsigned nstates;                    /* committed states, oldest first (states[0]: the page) */
	struct vmclock_fields states[SC_MAX_IV + 1];
	unsigned nodd;                       /* images left by a half-done update (seq_count odd) */
	struct vmclock_fields odd[SC_MAX_IV];
	/* Per call k: its first counter read, and whether seq_count was even at
	 * any of its events. */
	unsigned call_counter0[SC_MAX_CALLS];
	uint8_t call_even[SC_MAX_CALLS];
	uint8_t call_odd_loads[SC_MAX_CALLS]; /* fields whose last load was while seq_count was odd (8-byte granules) */
	unsigned ncalls;                     /* calls made; reading and status are the last one's */
	int statuses[SC_MAX_CALLS];
	struct vmclock_iut_reading readings[SC_MAX_CALLS];
	unsigned events;                     /* trapped events (loads and counter reads) */
	uint64_t event_sig;                  /* a hash of the trapped events (kind, offset), in order */
};

struct sb_config {
	const char *reader;       /* path of the shared object */
	unsigned timeout_ms;      /* per case */
	int rdtsc;                /* the reader reads the TSC itself (VMCLOCK_IUT_CAP_RDTSC) */
	int hooked;               /* the reader calls the engine before its loads (ENGINE_F_HOOKED) */
	uint64_t deadline_ns;     /* CLOCK_MONOTONIC time the whole run must end by; 0: none */
};

/* What a reader says of itself (vmclock_iut_info), fetched in a child. */
struct sb_reader_info {
	int has_info;
	struct vmclock_iut_info info;
	char name[96], version[48];
	char contained[200];      /* the walls that stood in the probe child (contain.c) */
	unsigned instrumented;    /* modules with load hooks it loaded (engine_instrumented_modules) */
};

/* Load the reader in a child; 0 on success, else 2 with a one-line reason
 * in err (no such file, dlopen error, missing vmclock_iut_read, crash in
 * its constructor or in vmclock_iut_info, contract version mismatch). */
int sb_probe_reader(const struct sb_config *cfg, struct sb_reader_info *out, char *err, size_t errlen);

/* Run cases[0..n) and fill res[0..n). Returns 0, or -1 when the suite
 * itself failed (fork, pipe), with errno set. */
int sb_run(const struct sb_config *cfg, const struct sc_case *cases, size_t n, struct sb_result *res);

#endif
