/* detect.c - the detection table of `make bench` (issue 4): for each bundled
 * concurrency bad reader, how many of N attempts catch it
 *   (a) with the interleaving engine: `vmclock-suite --reader R --only CLAUSE
 *       --seed S`, one process per attempt (wall time per attempt);
 *   (b..e) with the real-thread stress mode (suite/stress.c), one attempt =
 *       one run of D ms with seed S, stopped at the first detection: one CPU
 *       or two, a realistic writer (20..100 us between updates) or a
 *       hammering one (back-to-back updates);
 * and the same for the correct bundled readers, where every cell must be 0:
 * a false-alarm check of both modes.
 *
 * The stress page starts at seq_count 0xfffffff0, so seq_count wraps on the
 * writer's 8th update, once per attempt: the stress mode gets its one chance
 * at the wrap readers, as a writer that starts high would give it. R-MONO is
 * counted when an OK reading is earlier than the previous OK reading; every
 * other clause when a reading has a FAIL finding (torn: a mix of states).
 *
 * This is a benchmark: it prints numbers and fails only when it cannot run.
 *
 * usage: detect [--attempts N] [--fa-attempts N] [--duration-ms MS] [--build DIR]
 *   --attempts N     attempts per cell for the bad readers (default 20)
 *   --fa-attempts N  attempts per cell for the correct readers (default 5:
 *                    they run every attempt to its end, 20 would add 4 minutes)
 *
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

#define MAX_ATTEMPTS 200

struct subject {
	const char *name;     /* build/readers/NAME.so */
	const char *clause;   /* the clause it must fail; NULL: a correct reader */
};

static const struct subject subjects[] = {
	{ "bad_no_recheck", "R-SEQ-TORN" },
	{ "bad_merged_seq", "R-SEQ-TORN" },
	{ "bad_odd_ignored", "R-SEQ-ODD" },
	{ "bad_gt_compare", "R-SEQ-WRAP" },
	{ "bad_seq0_cache", "R-SEQ-WRAP" },
	{ "bad_counter_early", "R-MONO" },
	{ "bad_fields_after_check", "R-SEQ-TORN" },
	{ "reference", NULL },
	{ "linux_style", NULL },
	{ "rdtsc_reader", NULL },
};

static const struct {
	const char *title;
	unsigned cpus;
	enum stress_writer writer;
} modes[] = {
	{ "1cpu realistic", 1, STRESS_REALISTIC },
	{ "1cpu hammer", 1, STRESS_HAMMER },
	{ "2cpu realistic", 2, STRESS_REALISTIC },
	{ "2cpu hammer", 2, STRESS_HAMMER },
};
#define NMODES (sizeof modes / sizeof modes[0])

static const char *const concurrency_clauses[] = { "R-SEQ-TORN", "R-SEQ-ODD", "R-SEQ-WRAP", "R-MONO" };

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* "12ms", "0.31s", "850us" */
static void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000000u)
		snprintf(buf, len, "%" PRIu64 "us", ns / 1000u);
	else if (ns < 1000000000u)
		snprintf(buf, len, "%" PRIu64 "ms", ns / 1000000u);
	else
		snprintf(buf, len, "%" PRIu64 ".%02" PRIu64 "s", ns / 1000000000u, ns % 1000000000u / 10000000u);
}

/* Run the suite; its stdout into out (truncated to len). Returns its exit
 * status, or -1 when it could not run (or died). */
static int run_suite(const char *suite, char *const argv[], char *out, size_t len)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(suite, argv);
		_exit(127);
	}
	close(p[1]);
	size_t n = 0;
	for (;;) {
		char tmp[4096];
		ssize_t k = read(p[0], tmp, sizeof tmp);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		size_t c = (size_t)k < len - 1 - n ? (size_t)k : len - 1 - n;
		memcpy(out + n, tmp, c);
		n += c;
	}
	out[n] = 0;
	close(p[0]);
	int ws;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* Did the suite's output fail any of the clauses? A result line starts with
 * the clause id, then the level, then the verdict. */
static int output_fails(const char *out, const char *const *clauses, size_t n)
{
	for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		for (size_t i = 0; i < n; i++) {
			size_t cl = strlen(clauses[i]);
			char lvl[16], verdict[16];
			if (strncmp(l, clauses[i], cl) == 0 && l[cl] == ' ' &&
			    sscanf(l + cl, "%15s %15s", lvl, verdict) == 2 && strcmp(verdict, "FAIL") == 0)
				return 1;
		}
	}
	return 0;
}

static char outbuf[1 << 20];

/* One engine attempt; returns 1 caught, 0 not, -1 error. */
static int engine_attempt(const char *suite, const char *reader, const struct subject *s,
                          unsigned seed, uint64_t *ns)
{
	char seedstr[32];
	snprintf(seedstr, sizeof seedstr, "%u", seed);
	char *argv[16];
	size_t a = 0;
	argv[a++] = (char *)suite;
	argv[a++] = (char *)"--reader";
	argv[a++] = (char *)reader;
	argv[a++] = (char *)"--seed";
	argv[a++] = seedstr;
	const char *const *cl = s->clause ? &s->clause : concurrency_clauses;
	size_t ncl = s->clause ? 1 : sizeof concurrency_clauses / sizeof concurrency_clauses[0];
	for (size_t i = 0; i < ncl; i++) {
		argv[a++] = (char *)"--only";
		argv[a++] = (char *)cl[i];
	}
	argv[a] = NULL;
	uint64_t t0 = now_ns();
	int rc = run_suite(suite, argv, outbuf, sizeof outbuf);
	*ns = now_ns() - t0;
	if (rc < 0 || rc > 1)
		return -1;
	return output_fails(outbuf, cl, ncl);
}

/* The reference reader's engine throughput: schedules (exhaustive +
 * random, from the result line) per second of wall time for one
 * `--only R-SEQ-TORN` run, process start included. Median of 5. */
static void engine_rate(const char *suite, const char *reader)
{
	uint64_t rate[5];
	size_t n = 0;
	unsigned long sched = 0;
	for (int i = 0; i < 5; i++) {
		char *argv[] = { (char *)suite, (char *)"--reader", (char *)reader, (char *)"--only",
		                 (char *)"R-SEQ-TORN", (char *)"--seed", (char *)"1", NULL };
		uint64_t t0 = now_ns();
		int rc = run_suite(suite, argv, outbuf, sizeof outbuf);
		uint64_t ns = now_ns() - t0;
		const char *p = strstr(outbuf, "R-SEQ-TORN ");
		const char *q = p ? strstr(p, " schedules") : NULL;
		if (rc < 0 || !q)
			continue;
		while (q > p && q[-1] >= '0' && q[-1] <= '9')
			q--;
		unsigned long ex = strtoul(q, NULL, 10), rnd = 0;
		const char *plus = strstr(q, " schedules + ");
		if (plus)
			rnd = strtoul(plus + strlen(" schedules + "), NULL, 10);
		sched = ex + rnd;
		rate[n++] = ns ? (uint64_t)((double)sched * 1e9 / (double)ns) : 0;
	}
	if (!n) {
		printf("engine: schedules/s for the reference reader: could not parse the suite's output\n");
		return;
	}
	printf("engine: schedules/s for the reference reader: %" PRIu64
	       " (%lu schedules of --only R-SEQ-TORN --seed 1 per run, process start included, median of %zu)\n",
	       median(rate, n), sched, n);
}

static void usage(void)
{
	fprintf(stderr, "usage: detect [--attempts N] [--fa-attempts N] [--duration-ms MS] [--build DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned attempts = 20, fa_attempts = 5, dur = 1000;
	const char *build = "build";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--attempts") && i + 1 < argc)
			attempts = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--fa-attempts") && i + 1 < argc)
			fa_attempts = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--duration-ms") && i + 1 < argc)
			dur = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--build") && i + 1 < argc)
			build = argv[++i];
		else
			usage();
	}
	if (!attempts || attempts > MAX_ATTEMPTS || !fa_attempts || fa_attempts > MAX_ATTEMPTS || !dur)
		usage();

	char suite[4096], reader[4096];
	snprintf(suite, sizeof suite, "%s/vmclock-suite", build);
	if (access(suite, X_OK) != 0) {
		fprintf(stderr, "detect: error: %s is missing (run make first)\n", suite);
		return 2;
	}
	snprintf(reader, sizeof reader, "%s/readers/reference.so", build);
	engine_rate(suite, reader);

	printf("\ndetection: caught/attempts and median time to detection (engine: median wall time per attempt);\n"
	       "%u attempts per cell (stress on the correct readers: %u), seeds from 1; stress: %u ms per attempt,\n"
	       "stopped at the first detection; "
	       "page seq_count starting at 0xfffffff0 (wraps once, at the 8th update)\n\n",
	       attempts, fa_attempts, dur);
	printf("%-23s %-11s %-13s", "reader", "clause", "engine");
	for (size_t m = 0; m < NMODES; m++)
		printf(" %-15s", modes[m].title);
	printf("\n");

	const uint64_t total0 = now_ns();
	for (size_t si = 0; si < sizeof subjects / sizeof subjects[0]; si++) {
		const struct subject *s = &subjects[si];
		snprintf(reader, sizeof reader, "%s/readers/%s.so", build, s->name);
		if (access(reader, R_OK) != 0) {
			printf("%-23s (missing: %s)\n", s->name, reader);
			continue;
		}
		char notes[1024] = "";
		char first_ev[320] = "";
		size_t nl = 0;

		/* (a) engine */
		uint64_t t[MAX_ATTEMPTS];
		unsigned caught = 0, errors = 0;
		for (unsigned a = 0; a < attempts; a++) {
			int c = engine_attempt(suite, reader, s, a + 1, &t[a]);
			caught += c == 1;
			errors += c < 0;
		}
		char cell[64], tm[32];
		fmt_ns(tm, sizeof tm, median(t, attempts));
		snprintf(cell, sizeof cell, "%u/%u %s", caught, attempts, tm);
		printf("%-23s %-11s %-13s", s->name, s->clause ? s->clause : "(correct)", cell);
		if (errors)
			nl += (size_t)snprintf(notes + nl, sizeof notes - nl, "  engine: %u attempts could not run\n", errors);
		fflush(stdout);

		/* (b..e) stress */
		const unsigned ns = s->clause ? attempts : fa_attempts;
		for (size_t m = 0; m < NMODES; m++) {
			uint64_t det[MAX_ATTEMPTS], reads = 0, alarms = 0, wraps = 0;
			unsigned nd = 0, crashed = 0, hung = 0, serr = 0, unpinned = 0;
			const char *ev = NULL;
			static char evbuf[NMODES][320];
			for (unsigned a = 0; a < ns; a++) {
				struct stress_opts o = {
					.duration_ms = dur, .cpus = modes[m].cpus, .writer = modes[m].writer,
					.seed = a + 1, .stop_at_first = 1, .seq_start = 0xfffffff0u,
				};
				struct stress_result r;
				if (stress_run(reader, &o, &r) != 0) {
					serr++;
					continue;
				}
				reads += r.reads;
				wraps += r.wraps;
				crashed += r.outcome == STRESS_CRASHED;
				hung += r.outcome == STRESS_HUNG;
				unpinned += !r.pinned;
				int is_mono = s->clause && !strcmp(s->clause, "R-MONO");
				uint64_t when = !s->clause ? (r.torn || r.mono ? (r.first_torn_ns && (!r.first_mono_ns || r.first_torn_ns < r.first_mono_ns) ? r.first_torn_ns : r.first_mono_ns) : 0)
				                : is_mono ? r.first_mono_ns : r.first_torn_ns;
				alarms += r.torn + r.mono;
				if (when) {
					det[nd++] = when;
					if (!ev) {
						snprintf(evbuf[m], sizeof evbuf[m], "%s", r.evidence);
						ev = evbuf[m];
					}
				}
			}
			if (nd) {
				fmt_ns(tm, sizeof tm, median(det, nd));
				snprintf(cell, sizeof cell, "%u/%u %s", nd, ns, tm);
			} else {
				snprintf(cell, sizeof cell, "0/%u", ns);
			}
			printf(" %-15s", cell);
			fflush(stdout);
			if (crashed || hung || serr || unpinned)
				nl += (size_t)snprintf(notes + nl, sizeof notes - nl,
				                       "  %s: %u crashed, %u hung, %u could not run, %u not pinned\n",
				                       modes[m].title, crashed, hung, serr, unpinned);
			if (!s->clause)
				nl += (size_t)snprintf(notes + nl, sizeof notes - nl,
				                       "  %s: %" PRIu64 " readings judged, %" PRIu64 " alarms%s%s\n",
				                       modes[m].title, reads, alarms, ev ? ": " : "", ev ? ev : "");
			else if (ev && !first_ev[0])
				snprintf(first_ev, sizeof first_ev, "  %s: %.240s\n", modes[m].title, ev);
			(void)wraps;
			if (nl >= sizeof notes)
				nl = sizeof notes - 1;
		}
		printf("\n%s%s", first_ev, notes);
	}
	char tm[32];
	fmt_ns(tm, sizeof tm, now_ns() - total0);
	printf("\ndetection table: %s in all\n", tm);
	return 0;
}
