/* trap.h - the core of the deterministic interleaving engine (issue 4).
 *
 * Runs one call of a reader under test so that the engine gets control
 * BEFORE every load the reader makes from the page and at every counter
 * read. At each such event a hook decides what the simulated writer does
 * (through a second, writable view of the same memory), so a schedule is a
 * pure function of (reader, initial page, hook decisions): replayable.
 *
 * Mechanism (x86_64 Linux only; elsewhere engine_run() returns
 * ENGINE_UNSUPPORTED):
 *   - the page lives in a memfd mapped twice: a writable view for the writer
 *     and a view handed to the reader, placed so that byte `len` is the first
 *     byte of a PROT_NONE guard page (an over-read crashes at once);
 *   - the reader view is kept PROT_NONE; each load faults (SIGSEGV, on an
 *     alternate stack); the handler calls the hook, then either emulates the
 *     load (plain mov/movzx/movsx/movsxd into a general register, SSE 128-bit
 *     moves, rep movs: one signal) or makes the view readable and
 *     single-steps the instruction with the trap flag (SIGTRAP re-protects);
 *   - counter reads: callback readers get engine's struct vmclock_iut_counter;
 *     readers declaring VMCLOCK_IUT_CAP_RDTSC run with
 *     prctl(PR_SET_TSC, PR_TSC_SIGSEGV): rdtsc/rdtscp fault and are emulated
 *     with the hook's value (rdtsc in the vDSO, e.g. under clock_gettime, is
 *     let through to the real TSC, so the reader's own timeouts still work).
 *
 * The hook runs inside a signal handler (for LOAD events and rdtsc): it must
 * not touch the reader view (a fault there kills the process) and should
 * only write the page through writer_view. It runs on a 256 KiB alternate
 * stack, enough for ASan-instrumented suite code.
 *
 * Build note: every .c file directly in suite/engine is linked into the
 * suite binary;
 * programs that exercise this file live in suite/engine/tests/. */
#ifndef VMCLOCK_ENGINE_TRAP_H
#define VMCLOCK_ENGINE_TRAP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "vmclock_iut.h"

/* Signature of vmclock_iut_read(). */
typedef int (*vmclock_iut_read_fn)(const volatile void *page, size_t len,
                                   const struct vmclock_iut_counter *counter,
                                   struct vmclock_iut_reading *out);

enum engine_event_kind {
	ENGINE_EV_LOAD = 1,     /* the reader is about to load from the page */
	ENGINE_EV_COUNTER = 2,  /* the reader reads the counter; hook returns the value */
	ENGINE_EV_WRITE = 3,    /* the reader tried to store to the page: a verdict,
	                           the run is stopped (ENGINE_WROTE) after the hook */
};

/* ev->flags */
#define ENGINE_EVF_OOB     (1u << 0)  /* load below the structure start (offset wrapped) */
#define ENGINE_EVF_EMUL    (1u << 1)  /* the engine will try to emulate the load (else it is stepped) */
#define ENGINE_EVF_RDTSC   (1u << 2)  /* COUNTER from an rdtsc/rdtscp instruction */
#define ENGINE_EVF_FREE    (1u << 3)  /* after free_after: index is ENGINE_INDEX_FREE */

/* Index of events after free_after. A hook that compares ev->index with a
 * schedule position must test ENGINE_EVF_FREE first: UINT_MAX is also a
 * tempting "never" position. */
#define ENGINE_INDEX_FREE UINT_MAX

struct engine_event {
	unsigned index;         /* 0, 1, 2...: order among all events of the run */
	unsigned kind_index;    /* order among events of this kind (n-th counter read...) */
	int kind;               /* enum engine_event_kind */
	unsigned flags;         /* ENGINE_EVF_* */
	size_t offset;          /* LOAD/WRITE: byte offset from the structure start */
	unsigned size;          /* bytes loaded (rep movs: the whole copy); 0 = unknown */
	uintptr_t ip;           /* address of the reader's instruction (0 for callback) */
};

/* Called before each event. May change the page through writer_view (the
 * structure start, same layout as the reader's page). For COUNTER events
 * the return value is the counter the reader gets; otherwise ignored. */
typedef uint64_t (*engine_hook)(void *ctx, const struct engine_event *ev,
                                volatile uint8_t *writer_view);

/* engine_run() outcome. */
enum engine_outcome {
	ENGINE_OK = 0,              /* reader returned; result.status is its value */
	ENGINE_WROTE = 1,           /* reader stored to the page (result.write_offset) */
	ENGINE_EVENT_LIMIT = 2,     /* more than max_events events: treat as a hang */
	ENGINE_STOPPED = 3,         /* the hook called engine_stop() */
	ENGINE_HANDLER_REPLACED = 4,/* reader installed its own SIGSEGV/SIGTRAP handler or
	                               left them blocked (the reading, if any, is in result) */
	ENGINE_UNSUPPORTED = 5,     /* not x86_64 Linux */
	ENGINE_ERROR = 6,           /* engine setup failed (errno-style detail in result.err) */
};

struct engine_result {
	int status;             /* reader's return value (ENGINE_OK, HANDLER_REPLACED) */
	unsigned events;        /* events delivered to the hook */
	unsigned loads, counters;
	unsigned faults;        /* SIGSEGVs on the view (> loads when rep copies coalesce) */
	unsigned stepped;       /* loads single-stepped instead of emulated */
	unsigned traps;         /* SIGTRAPs taken (a stepped rep copy: one per iteration) */
	unsigned vdso_tsc;      /* rdtsc in the vDSO let through to the real TSC */
	size_t write_offset;    /* ENGINE_WROTE: where */
	int err;                /* ENGINE_ERROR: errno */
	const char *detail;     /* short text for HANDLER_REPLACED / ERROR */
};

/* Run flags */
#define ENGINE_F_RDTSC     (1u << 0)  /* reader executes rdtsc itself (VMCLOCK_IUT_CAP_RDTSC) */
#define ENGINE_F_NO_EMUL   (1u << 1)  /* always single-step (for measuring / cross-checking) */
#define ENGINE_F_HOOKED    (1u << 2)  /* the reader is compiled with load hooks (clang
                                        -fsanitize-coverage=inline-8bit-counters,trace-loads):
                                        the view stays readable and each hooked load of it
                                        is an event, without a fault; stores still fault */

struct engine;  /* opaque; one per process (the signal handlers are process-wide) */

/* Create the engine: memfd, alternate stack, handlers (remembering the
 * previous ones, e.g. ASan's, to chain real crashes to). NULL on failure
 * (errno set). */
struct engine *engine_create(void);
void engine_destroy(struct engine *e);

/* Prepare the page for a reader mapping of len bytes (multiple of 8, at
 * most 64 KiB) and return the writer view of its structure start, for the
 * caller to fill before engine_run(). The contents persist across runs with
 * the same len. NULL on failure. */
volatile uint8_t *engine_page(struct engine *e, size_t len);

/* The reader's view (what it receives as `page`), for diagnostics. */
const volatile void *engine_reader_view(struct engine *e);

/* Where the reader's view (64 KiB + a guard page) is placed when that
 * range is free: below 1 MiB, where nothing else is ever mapped, so the
 * sandbox's seccomp filter can keep the reader from changing it
 * (suite/contain.h). */
#define ENGINE_VIEW_ADDR 0x80000ul

/* Outside engine_run: make the view readable (a quiet page for an
 * untrapped call, as the sandbox's static cases use it) or inaccessible
 * again. */
void engine_set_readable(struct engine *e, int on);

/* A value passed with the engine's own mprotect calls (a fourth argument
 * the kernel ignores), so a seccomp filter can allow them and nobody
 * else's; 0 by default. */
void engine_set_protect_tag(struct engine *e, uint64_t tag);

/* Reset sig to its default action, carrying the same kind of tag (a
 * filter may refuse the reader handlers for the engine's signals). */
int engine_raw_sig_default(int sig, const volatile uint64_t *tag);

/* Instrumented readers. clang's SanitizerCoverage with trace-loads calls
 * __sanitizer_cov_loadN(addr) before every load of the code it compiled;
 * the suite binary defines these (and the module constructor's
 * __sanitizer_cov_8bit_counters_init), so a reader built that way calls
 * into the engine at each of its loads. In a run with ENGINE_F_HOOKED, a
 * hooked load of the view is an event exactly as a fault would be (same
 * index, offset, size; the hook runs before the load, so what the writer
 * does is what the load sees), at the price of a call instead of a signal.
 * Loads that are not hooked (uninstrumented code: libc's memcpy, inline
 * assembly, another library) are not seen: runner.c cross-checks a reader
 * both ways before it trusts its hooks. Outside a hooked run the hooks
 * return at once. The hooks live in hooks.c, apart from the engine, so a
 * program that brings its own SanitizerCoverage runtime (a libFuzzer or
 * AFL++ build of the engine) links trap.c without them. */
void __sanitizer_cov_load1(uint8_t *addr);
void __sanitizer_cov_load2(uint16_t *addr);
void __sanitizer_cov_load4(uint32_t *addr);
void __sanitizer_cov_load8(uint64_t *addr);
void __sanitizer_cov_load16(void *addr);
void __sanitizer_cov_8bit_counters_init(char *start, char *end);

/* One hooked load of size bytes at a from code at ip (hooks.c calls it). */
void engine_hooked_load(uintptr_t a, unsigned size, uintptr_t ip);

/* How many instrumented modules were loaded into this process so far (the
 * count of __sanitizer_cov_8bit_counters_init calls: one per object, from
 * its constructor). */
unsigned engine_instrumented_modules(void);

/* Stop cap: a run with more events than this ends with ENGINE_EVENT_LIMIT
 * (a reader spinning on an odd seq_count under trapping). 0 = no cap.
 * Default 1,000,000. */
void engine_set_max_events(struct engine *e, unsigned long max_events);

/* Run fn once on the page prepared by engine_page(e, len). Events
 * 0..free_after are trapped and given to the hook; after the hook of event
 * free_after the view stays readable and the reader runs untrapped (counter
 * reads still go to the hook, flagged ENGINE_EVF_FREE). free_after =
 * UINT_MAX traps everything. Returns enum engine_outcome; details in *res.
 * Abandoning a reader (WROTE, EVENT_LIMIT, STOPPED) longjmps out of it: run
 * each reader case in a forked child, as the suite does. */
int engine_run(struct engine *e, vmclock_iut_read_fn fn, size_t len, unsigned flags,
               engine_hook hook, void *ctx, struct vmclock_iut_reading *out,
               unsigned free_after, struct engine_result *res);

/* From inside a hook: abandon the run after this hook returns
 * (engine_run returns ENGINE_STOPPED). */
void engine_stop(struct engine *e);

#endif
