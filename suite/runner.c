/* runner.c - vmclock-suite: load a reader, run the clause tests (one cmocka
 * group per clause family), print the verdicts.
 *
 * Exit status: 0 conformant (no MUST failed), 1 not conformant, 2 usage or
 * set-up error, 128+N interrupted by signal N (SIGHUP, SIGINT, SIGTERM) from
 * outside. The user-facing front door is harness/vmclock-cts. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "contain.h"
#include "outfile.h"
#include "progress.h"
#include "parallel.h"
#include "runner.h"
#include "sha256.h"
#include "stress.h"

static const struct family *const families[] = {
	&fam_hdr, &fam_seq, &fam_time, &fam_err, &fam_stat, &fam_disr, &fam_vmgen, &fam_mono, &fam_rob, &fam_live,
};
#define NFAM (sizeof families / sizeof families[0])

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: vmclock-suite --reader PATH [--json FILE] [--junit FILE] [--tap] [--seed N]\n"
	        "                     [--only CLAUSE]... [--case N] [--timeout-ms N] [--budget-s N]\n"
	        "                     [--stress-ms N] [--verbose] [--quiet]\n"
	        "                     [--stress-ms N] [-j N] [--trapped] [--verbose]\n"
	        "       vmclock-suite --list-clauses [--json | --markdown]\n"
	        "Exit: 0 conformant, 1 not conformant, 2 usage or set-up error, 128+N interrupted by signal N.\n");
}

FILE *g_out, *g_err;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	progress_clear();
	FILE *e = g_err ? g_err : stderr;
	fflush(g_out);
	fprintf(e, "vmclock-cts: error: ");
	vfprintf(e, fmt, ap);
	fputc('\n', e);
	fflush(e);
	va_end(ap);
	exit(2);
}

static uint64_t parse_u64(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-')
		die("%s wants a number (decimal or 0x hex), not '%s'", opt, s);
	return v;
}

/* A duration in ms, 10..max. */
static unsigned parse_ms(const char *opt, const char *s, unsigned max)
{
	uint64_t t = parse_u64(opt, s);
	if (t < 10 || t > max)
		die("%s must be between 10 and %u", opt, max);
	return (unsigned)t;
}

static void list_clauses(int json, int markdown)
{
	if (markdown) {
		printf("| id | level | the reader (R-...) or the writer (W-...) |\n|---|---|---|\n");
		for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++)
			printf("| %s | %s | %s |\n", vmclock_clauses[c].id, vmclock_level_name(vmclock_clauses[c].level),
			       vmclock_clauses[c].text);
		return;
	}
	if (json)
		printf("[");
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++) {
		const struct vmclock_clause_desc *d = &vmclock_clauses[c];
		if (json)
			printf("%s\n{\"id\":\"%s\",\"level\":\"%s\",\"title\":\"%s\"}", c ? "," : "", d->id,
			       vmclock_level_name(d->level), d->title);
		else
			printf("%-18s %-6s %s\n", d->id, vmclock_level_name(d->level), d->text);
	}
	if (json)
		printf("\n]\n");
}

static void parse(int argc, char **argv, int *list, int *list_json, int *list_md)
{
	struct run_opts *o = &g_run.o;
	o->case_index = -1;
	o->timeout_ms = 1000;
	o->budget_s = 1800;
	int seeded = 0;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--list-clauses"))
			*list = 1;
	/* Each option but --only at most once: a second --seed or --json is a
	 * mistake in a script, and silently taking the last hides it. */
	const char *seen[32];
	int nseen = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-j"))
			a = "--jobs";           /* one option, two spellings */
		if (strcmp(a, "--only") && !strncmp(a, "--", 2)) {
			for (int k = 0; k < nseen; k++)
				if (!strcmp(seen[k], a))
					die("%s given twice (give each option once; only --only repeats)", a);
			if (nseen < (int)(sizeof seen / sizeof seen[0]))
				seen[nseen++] = a;
		}
#define NEEDV() do { if (!v) die("%s needs a value (see --help)", a); i++; } while (0)
		if (!strcmp(a, "--reader")) { NEEDV(); o->reader = v; }
		else if (!strcmp(a, "--json") && *list) *list_json = 1;   /* list-clauses --json: a flag */
		else if (!strcmp(a, "--markdown") && *list) *list_md = 1;
		else if (!strcmp(a, "--json")) { NEEDV(); o->json = v; }
		else if (!strcmp(a, "--junit")) { NEEDV(); o->junit = v; }
		else if (!strcmp(a, "--tap")) o->tap = 1;
		else if (!strcmp(a, "--verbose")) o->verbose = 1;
		else if (!strcmp(a, "--quiet")) o->quiet = 1;
		else if (!strcmp(a, "--trapped")) o->trapped = 1;
		else if (!strcmp(a, "--list-clauses")) *list = 1;
		else if (!strcmp(a, "--seed")) { NEEDV(); o->seed = parse_u64(a, v); seeded = 1; }
		else if (!strcmp(a, "--case")) {
			NEEDV();
			uint64_t n = parse_u64(a, v);
			if (n > LONG_MAX)   /* -1 would silently mean "every case" */
				die("--case %s is out of range", v);
			o->case_index = (long)n;
		}
		else if (!strcmp(a, "--jobs")) {
			NEEDV();
			uint64_t j = parse_u64(a, v);
			if (j < 1 || j > 256)
				die("-j must be between 1 and 256");
			o->jobs = (unsigned)j;
		}
		else if (!strcmp(a, "--stress-ms")) { NEEDV(); o->stress_ms = parse_ms(a, v, 3600000); }
		else if (!strcmp(a, "--timeout-ms")) { NEEDV(); o->timeout_ms = parse_ms(a, v, 600000); }
		else if (!strcmp(a, "--budget-s")) { NEEDV(); o->budget_s = (unsigned)parse_ms(a, v, 86400); }
		else if (!strcmp(a, "--only")) {
			NEEDV();
			int c = vmclock_clause_find(v);
			if (c < 0)
				die("unknown clause '%s' (vmclock-cts list-clauses shows them)", v);
			if (vmclock_clause_is_writer(c))   /* issue 10: judged by check-writer */
				die("%s is a writer clause (vmclock-cts check-writer WRITER.so judges it)", v);
			o->only[c] = 1;
			o->have_only = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else {
			die("unknown option '%s' (see --help)", a);
		}
#undef NEEDV
	}
	if (*list)
		return;
	if (!o->reader)
		die("no reader given (--reader PATH)");
	if (o->case_index >= 0) {
		int n = 0;
		for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++)
			n += o->only[c];
		if (n != 1)
			die("--case N needs exactly one --only CLAUSE");
	}
	if (!seeded) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = ((uint64_t)ts.tv_sec * 1000000007u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	}
}

/* --stress-ms: the real-thread cross-check (suite/stress.c). Half the time
 * with writer and reader on two cores and a hammering writer, half on one
 * core with a pausing writer. A torn reading fails R-SEQ-TORN, a backwards
 * one R-MONO; it can only add failures, never clear one (it proves nothing
 * when it finds nothing: the engine's schedules are the guarantee). */
static void stress_check(void)
{
	static const struct { unsigned cpus; enum stress_writer w; const char *what; } modes[] = {
		{ 2, STRESS_HAMMER, "2 cores, hammering writer" },
		{ 1, STRESS_REALISTIC, "1 core, pausing writer" },
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		struct stress_opts so = { .duration_ms = g_run.o.stress_ms / 2 ? g_run.o.stress_ms / 2 : 1,
		                          .cpus = modes[i].cpus, .writer = modes[i].w, .seed = g_run.o.seed + i,
		                          .stop_at_first = 1, .seq_start = 0xfffffff0u };
		struct stress_result sr;
		memset(&sr, 0, sizeof sr);
		if (stress_run(g_run.o.reader, &so, &sr) != 0 && sr.outcome == STRESS_ERROR) {
			fprintf(g_err, "vmclock-cts: warning: stress cross-check not run: %s\n", sr.evidence);
			return;
		}
		if (!g_run.o.tap)
			fprintf(g_out, "stress (%s, %u ms): %" PRIu64 " reads, %" PRIu64 " torn, %" PRIu64 " backwards, %" PRIu64
			        " BUSY, %" PRIu64 " updates%s%s\n", modes[i].what, so.duration_ms, sr.reads, sr.torn, sr.mono,
			        sr.busy, sr.updates, sr.evidence[0] ? ": " : "", sr.evidence);
		/* a crash, hang or exit is R-ROB-NOCRASH's: the stress loop is no
		 * clause's own case list */
		enum vmclock_clause c = sr.torn ? R_SEQ_TORN : sr.outcome != STRESS_OK ? R_ROB_NOCRASH : R_MONO;
		if (!sr.torn && !sr.mono && sr.outcome == STRESS_OK)
			continue;
		struct clause_result *r = &g_run.res[c];
		if (r->verdict != VMCLOCK_FAIL) {
			r->ran = 1;
			r->verdict = VMCLOCK_FAIL;
			r->fail_case = -1;
			snprintf(r->evidence, sizeof r->evidence, "stress (%s, seed 0x%" PRIx64 "): %s", modes[i].what,
			         so.seed, sr.evidence);
		}
		size_t l = strlen(r->how);
		snprintf(r->how + l, sizeof r->how - l, " + stress %u ms", so.duration_ms);
	}
}

/* One cmocka test per clause: the verdict, decided after every clause ran
 * (a finding counts for the clause whose rule it breaks, rule 2). */
static void clause_test(void **state)
{
	const struct clause_test *t = *state;
	const struct clause_result *r = &g_run.res[t->clause];
	report_line(t->clause);
	if (r->verdict == VMCLOCK_NOT_SUPPORTED)
		skip();
	if (r->verdict == VMCLOCK_FAIL && vmclock_clauses[t->clause].level == VMCLOCK_MUST)
		fail_msg("%s: %s", vmclock_clauses[t->clause].id, r->evidence);
}

/* cmocka prints its own progress on stdout and stderr; the user reads ours
 * (g_out, a copy of the original stdout), so cmocka's goes to /dev/null
 * unless --verbose. Only the stdio streams are swapped (glibc lets a program
 * assign them), not fds 1 and 2: a sanitizer report of the runner itself is
 * written to fd 2 and must reach the user. (__sanitizer_set_report_fd would
 * not do: gcc's UBSan runtime resets it at its first report, and a forked
 * child would open a log file of its own.) */
static void quiet(int on)
{
	static FILE *null, *out, *err;
	if (g_run.o.verbose)
		return;
	fflush(stdout);
	fflush(stderr);
	if (on) {
		if (!null && !(null = fopen("/dev/null", "we")))
			return;   /* cmocka's progress shows: untidy, harmless */
		out = stdout;
		err = stderr;
		stdout = stderr = null;
	} else if (out) {
		stdout = out;
		stderr = err;
		out = err = NULL;
	}
}

/* SIGHUP, SIGINT and SIGTERM come from outside (a closed terminal, Ctrl-C, a
 * CI's time limit): the run ends without a verdict, which says so, leaves no
 * report file behind, and exits 128+N as a shell would report the signal. */
static const struct {
	int sig;
	const char *name;
} interrupts[] = { { SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGTERM, "SIGTERM" } };
#define NINTERRUPTS (sizeof interrupts / sizeof interrupts[0])
static char interrupt_msg[NINTERRUPTS][96];
static int err_fd = 2;
static pid_t runner_pid;

/* Async-signal-safe calls only. A reader child forked from us inherits the
 * handler: there the signal does what it would have done, and our files are
 * left alone. */
static void on_interrupt(int sig)
{
	if (getpid() != runner_pid) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	progress_clear();
	for (size_t i = 0; i < NINTERRUPTS; i++)
		if (interrupts[i].sig == sig && write(err_fd, interrupt_msg[i], strlen(interrupt_msg[i])) < 0)
			break;
	outfile_discard();
	_exit(128 + sig);
}

static void catch_interrupts(void)
{
	runner_pid = getpid();
	for (size_t i = 0; i < NINTERRUPTS; i++) {
		int sig = interrupts[i].sig;
		snprintf(interrupt_msg[i], sizeof interrupt_msg[i],
		         "vmclock-cts: interrupted by signal %d (%s) from outside; no verdict\n", sig, interrupts[i].name);
		struct sigaction sa;
		/* ignored by whoever started us (nohup, a shell's background job):
		 * it stays ignored, as it would for any program */
		if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_interrupt;
		sigfillset(&sa.sa_mask);   /* one interruption at a time */
		sigaction(sig, &sa, NULL);
	}
}

int main(int argc, char **argv)
{
	g_out = fdopen(dup(1), "w");
	g_err = fdopen(dup(2), "w");
	if (!g_out || !g_err)
		return 2;
	setvbuf(g_err, NULL, _IONBF, 0);
	contain_runner_init();
	err_fd = fileno(g_err);
	catch_interrupts();
	int list = 0, list_json = 0, list_md = 0;
	parse(argc, argv, &list, &list_json, &list_md);
	if (list) {
		list_clauses(list_json, list_md);
		return 0;
	}
	/* The report files are checked before anything runs: a name that cannot
	 * be written is found now, not after the whole run. */
	char err[1024];                 /* a long reader path, dlerror and a hint */
	const char *outs[OUT_KINDS] = { [OUT_JSON] = g_run.o.json, [OUT_JUNIT] = g_run.o.junit };
	if (outfile_prepare(outs, g_run.o.reader, err, sizeof err) != 0)
		die("%s", err);
	static char abs_reader[PATH_MAX];
	if (!realpath(g_run.o.reader, abs_reader))
		die("cannot find reader %s: %s (give the path of a shared object)", g_run.o.reader, strerror(errno));
	g_run.o.reader = abs_reader;
	g_run.sb.reader = abs_reader;
	g_run.sb.timeout_ms = g_run.o.timeout_ms;

	/* Load once, hash before any of its code runs, and make every child
	 * load exactly those bytes (contain.c). */
	if (contain_reader_open(abs_reader, g_run.sha256, err, sizeof err) != 0)
		die("%s", err);
	if (sb_probe_reader(&g_run.sb, &g_run.info, err, sizeof err) != 0)
		die("%s", err);
	g_run.sb.deadline_ns = now_ns() + (uint64_t)g_run.o.budget_s * 1000000000u;
	/* A reader that executes rdtsc itself gets its counter values from the
	 * interleaving engine, which traps and emulates the instruction. */
	g_run.sb.rdtsc = g_run.info.has_info && (g_run.info.info.caps & VMCLOCK_IUT_CAP_RDTSC);
	g_run.declared = g_run.info.has_info ? g_run.info.info.provides : 0;
	/* A status line on a terminal while the reader runs (progress.h). Not
	 * with --tap: a TAP consumer may read us through a terminal, and what it
	 * reads must be TAP alone. Not with --quiet. */
	progress_setup(!g_run.o.quiet && !g_run.o.tap);
	/* The policy first: the cases are drawn from the classes it serves. */
	progress_label("policy probes");
	profile_learn();
	progress_label(NULL);

	/* A reader built with load hooks (vmclock-cts build-reader) is judged
	 * through them, without a fault per load, once a hooked and a trapped
	 * run of it are seen to agree; a binary without hooks, or with hooks
	 * that miss loads, is judged with trapped loads. */
	char engine_line[300] = "";
	if (g_run.info.instrumented && g_run.o.trapped) {
		snprintf(engine_line, sizeof engine_line, "trapped loads (--trapped; the reader has load hooks)");
	} else if (g_run.info.instrumented) {
		char why[200];
		g_run.sb.hooked = 1;
		if (judge_check_hooks(why, sizeof why)) {
			snprintf(engine_line, sizeof engine_line,
			         "compiler hooks (the reader's loads call the engine; a trapped run saw the same events)");
		} else {
			g_run.sb.hooked = 0;
			snprintf(engine_line, sizeof engine_line, "trapped loads (the reader has load hooks, not trusted: %s)", why);
		}
	}

	/* --case N is checked against its clause's cases only when the clause
	 * runs (a dynamic clause's cases depend on the reader), so the report is
	 * held back until then: an N out of range is one error line on stderr,
	 * not a report that stops half-way. */
	FILE *out = g_out;
	char *held = NULL;
	size_t nheld = 0;
	if (g_run.o.case_index >= 0 && !(g_out = open_memstream(&held, &nheld)))
		die("cannot hold the report: %s", strerror(errno));
	progress_clear();   /* the header starts on a clean line */
	if (!g_run.o.tap) {
		fprintf(g_out, "vmclock-cts %s, reader contract %d\n", VMCLOCK_CTS_VERSION, VMCLOCK_IUT_CONTRACT_VERSION);
		fprintf(g_out, "reader: %s%s%s%s%s%s\n", abs_reader, g_run.info.has_info ? " (" : "",
		       g_run.info.has_info ? g_run.info.name : "", g_run.info.has_info ? " " : "",
		       g_run.info.has_info ? g_run.info.version : "", g_run.info.has_info ? ")" : "");
		fprintf(g_out, "containment: %s\n", g_run.info.contained);
		if (engine_line[0])
			fprintf(g_out, "engine: %s\n", engine_line);
		fprintf(g_out, "sha256: %s\nseed: 0x%" PRIx64 "  (replay the whole run with --seed 0x%" PRIx64 ")\n\n",
		       g_run.sha256, g_run.o.seed, g_run.o.seed);
		fflush(g_out);
	}

	/* Every clause to run, in the report's order; with -j N they run side by
	 * side and are judged in this order (parallel.c). */
	const struct clause_test *torun[VMCLOCK_CLAUSE_COUNT];
	size_t ntorun = 0;
	for (size_t fi = 0; fi < NFAM; fi++)
		for (size_t k = 0; k < families[fi]->n; k++)
			if ((!g_run.o.have_only || g_run.o.only[families[fi]->tests[k].clause]) && ntorun < VMCLOCK_CLAUSE_COUNT)
				torun[ntorun++] = &families[fi]->tests[k];
	if (!g_run.o.jobs) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		g_run.o.jobs = ncpu > 1 ? (unsigned)(ncpu < 256 ? ncpu : 256) : 1;
	}
	par_run_clauses(torun, ntorun, g_run.o.jobs);
	progress_clear();
	if (g_run.o.verbose)
		fprintf(g_err, "vmclock-cts: -j %u: %u clauses run ahead by helpers, %u batches answered from their records, %u run live\n",
		        par_stats.jobs, par_stats.helped, par_stats.replayed, par_stats.live);
	judge_finalize();
	if (g_run.o.stress_ms)
		stress_check();
	if (g_out != out) {
		fclose(g_out);
		g_out = out;
		fwrite(held, 1, nheld, g_out);
		fflush(g_out);
		free(held);
	}

	/* The JUnit XML is report.c's (report_junit), not cmocka's: cmocka
	 * writes one <testsuites> root per group into one file, which is not
	 * an XML document, and "Failure!" where the evidence belongs. */
	for (size_t fi = 0; fi < NFAM; fi++) {
		const struct family *fam = families[fi];
		struct CMUnitTest tests[VMCLOCK_CLAUSE_COUNT];
		size_t n = 0;
		for (size_t k = 0; k < fam->n; k++) {
			const struct clause_test *t = &fam->tests[k];
			if (!g_run.res[t->clause].ran)
				continue;
			tests[n] = (struct CMUnitTest){ .name = vmclock_clauses[t->clause].id, .test_func = clause_test,
			                                .initial_state = (void *)t };
			n++;
		}
		if (!n)
			continue;
		quiet(1);
		_cmocka_run_group_tests(fam->name, tests, n, NULL, NULL);
		quiet(0);
	}

	/* The report files before the summary: one that cannot be written ends
	 * the run (exit 2) before a verdict is claimed. */
	if (g_run.o.junit) {
		FILE *f = outfile_open(OUT_JUNIT);
		if (!f || report_junit(f) != 0)
			die("cannot write --junit %s: %s", g_run.o.junit, strerror(errno));
	}
	if (g_run.o.json) {
		FILE *f = outfile_open(OUT_JSON);
		if (!f || report_json(f) != 0)
			die("cannot write --json %s: %s", g_run.o.json, strerror(errno));
	}
	if (outfile_commit(err, sizeof err) != 0)
		die("%s", err);
	if (g_run.o.tap)
		report_tap();
	else
		report_summary();
	return conformant() ? 0 : 1;
}

/* In a sanitized build (make test), a reader's malloc that hits the
 * sandbox's address-space limit returns NULL as in a plain build, instead of
 * an ASan abort: the verdict is the same in both builds. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
