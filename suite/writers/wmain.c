/* wmain.c - vmclock-wsuite: judge writers (W-... clauses).
 *
 *   --writer PATH      run the writer's scenarios in contained children, judge the traces
 *   --trace-check FILE judge a trace in the documented format (docs/TRACE-FORMAT.md)
 *   --trace-record PATH --out FILE [--duration-ms N]   sample a live page (wrecord.c)
 *   --simulate PATH --page FILE   a simulated hypervisor writing a shared file (wsimhv.c)
 *
 * Exit status as `check`: 0 conformant (no MUST clause failed), 1 not
 * conformant, 2 usage or set-up error (one line on stderr: a missing file,
 * a corrupt or truncated trace...); trace record: 3 when the page to sample
 * does not exist (no VMClock device on this machine). The front door is
 * harness/vmclock-cts (check-writer, trace check, trace record). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "contain.h"
#include "outfile.h"
#include "sha256.h"
#include "wjudge.h"
#include "wmain.h"
#include "wreport.h"
#include "wrun.h"
#include "wscenario.h"
#include "wtrace.h"
#include "wtrap.h"

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fflush(stdout);
	fprintf(stderr, "vmclock-cts: error: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	outfile_discard();
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

struct wopts {
	const char *writer, *trace, *record, *simulate, *out, *page, *save;
	const char *json, *junit;
	int tap, scenario, list;
	uint64_t seed;
	int seeded;
	unsigned timeout_ms, duration_ms, pace_us;
	int only[VMCLOCK_CLAUSE_COUNT], have_only;
};

static void usage(void)
{
	printf("usage: vmclock-wsuite --writer PATH [--seed N] [--scenario NAME] [--only CLAUSE]... [--json FILE]\n"
	       "                      [--junit FILE] [--tap] [--timeout-ms N] [--save-trace FILE]\n"
	       "       vmclock-wsuite --trace-check FILE [--only CLAUSE]... [--json FILE] [--junit FILE] [--tap]\n"
	       "       vmclock-wsuite --trace-record PATH --out FILE [--duration-ms N]\n"
	       "       vmclock-wsuite --simulate WRITER --page FILE [--seed N] [--scenario NAME] [--pace-us N]\n"
	       "       vmclock-wsuite --list-scenarios\n"
	       "Exit: 0 conformant, 1 not conformant, 2 usage or set-up error; trace record: 3 no such page/device.\n");
}

static void parse(int argc, char **argv, struct wopts *o)
{
	o->scenario = -1;
	o->timeout_ms = 10000;
	o->duration_ms = 2000;
	o->pace_us = 200;
	const char *seen[32];
	int nseen = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--only") && !strncmp(a, "--", 2)) {
			for (int k = 0; k < nseen; k++)
				if (!strcmp(seen[k], a))
					die("%s given twice (give each option once; only --only repeats)", a);
			if (nseen < 32)
				seen[nseen++] = a;
		}
#define NEEDV() do { if (!v) die("%s needs a value (see --help)", a); i++; } while (0)
		if (!strcmp(a, "--writer")) { NEEDV(); o->writer = v; }
		else if (!strcmp(a, "--trace-check")) { NEEDV(); o->trace = v; }
		else if (!strcmp(a, "--trace-record")) { NEEDV(); o->record = v; }
		else if (!strcmp(a, "--simulate")) { NEEDV(); o->simulate = v; }
		else if (!strcmp(a, "--out")) { NEEDV(); o->out = v; }
		else if (!strcmp(a, "--page")) { NEEDV(); o->page = v; }
		else if (!strcmp(a, "--save-trace")) { NEEDV(); o->save = v; }
		else if (!strcmp(a, "--json")) { NEEDV(); o->json = v; }
		else if (!strcmp(a, "--junit")) { NEEDV(); o->junit = v; }
		else if (!strcmp(a, "--tap")) o->tap = 1;
		else if (!strcmp(a, "--list-scenarios")) o->list = 1;
		else if (!strcmp(a, "--seed")) { NEEDV(); o->seed = parse_u64(a, v); o->seeded = 1; }
		else if (!strcmp(a, "--timeout-ms")) { NEEDV(); o->timeout_ms = (unsigned)parse_u64(a, v); }
		else if (!strcmp(a, "--duration-ms")) { NEEDV(); o->duration_ms = (unsigned)parse_u64(a, v); }
		else if (!strcmp(a, "--pace-us")) { NEEDV(); o->pace_us = (unsigned)parse_u64(a, v); }
		else if (!strcmp(a, "--scenario")) {
			NEEDV();
			if ((o->scenario = wsc_find(v)) < 0)
				die("unknown scenario '%s' (vmclock-cts check-writer --list-scenarios shows them)", v);
		} else if (!strcmp(a, "--only")) {
			NEEDV();
			int c = vmclock_clause_find(v);
			if (c < 0 || !vmclock_clause_is_writer(c))
				die("unknown writer clause '%s' (vmclock-cts list-clauses shows the W-... ones)", v);
			o->only[c] = 1;
			o->have_only = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			exit(0);
		} else {
			die("unknown option '%s' (see --help)", a);
		}
#undef NEEDV
	}
	if (o->timeout_ms < 10 || o->timeout_ms > 600000)
		die("--timeout-ms must be between 10 and 600000");
	if (!o->seeded) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = ((uint64_t)ts.tv_sec * 1000000007u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	}
}

/* The seed of one scenario, from the run's: --scenario NAME --seed S
 * replays exactly that scenario of a full run with seed S. */
static uint64_t scen_seed(uint64_t seed, int s)
{
	return seed ^ (0x9e3779b97f4a7c15ull * (uint64_t)(s + 1));
}

/* Fold one scenario's verdicts into the run's: a finding wins, then PASS
 * (the clause applied somewhere), NOT_SUPPORTED only when it applied
 * nowhere; the first finding's evidence and replay stay. */
static void merge(struct wreport *rep, const struct wj_result *r, const char *replay, int first)
{
	struct wj_result *m = &rep->res;
	if (first) {
		*m = *r;
		for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++)
			if (r->c[c].findings)
				snprintf(rep->replay[c], sizeof rep->replay[c], "%s", replay);
		return;
	}
	m->seen |= r->seen;
	m->images += r->images;
	m->stores += r->stores;
	m->updates += r->updates;
	m->events += r->events;
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		struct wj_clause *a = &m->c[c];
		const struct wj_clause *b = &r->c[c];
		a->checked += b->checked;
		if (b->findings && !a->findings) {
			*a = *b;
			a->checked = a->checked;
			snprintf(rep->replay[c], sizeof rep->replay[c], "%s", replay);
			continue;
		}
		a->findings += b->findings;
		if (a->verdict == VMCLOCK_NOT_SUPPORTED && b->verdict == VMCLOCK_PASS)
			a->verdict = VMCLOCK_PASS;
	}
}

static void how_lines(struct wreport *rep, const char *source)
{
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		const struct wj_clause *k = &rep->res.c[c];
		if (k->verdict == VMCLOCK_NOT_SUPPORTED)
			snprintf(rep->how[c], sizeof rep->how[c], "the writer never publishes what this clause is about");
		else
			snprintf(rep->how[c], sizeof rep->how[c], "%s; %u checked", source, k->checked);
	}
}

static void open_outputs(const struct wopts *o, const char *subject)
{
	char err[1024];
	const char *outs[OUT_KINDS] = { [OUT_JSON] = o->json, [OUT_JUNIT] = o->junit };
	if (outfile_prepare(outs, subject, err, sizeof err) != 0)
		die("%s", err);
}

static int finish(const struct wopts *o, struct wreport *rep)
{
	char err[1024];
	if (o->junit) {
		FILE *f = outfile_open(OUT_JUNIT);
		if (!f || wreport_junit(f, rep) != 0)
			die("cannot write --junit %s: %s", o->junit, strerror(errno));
	}
	if (o->json) {
		FILE *f = outfile_open(OUT_JSON);
		if (!f || wreport_json(f, rep) != 0)
			die("cannot write --json %s: %s", o->json, strerror(errno));
	}
	if (outfile_commit(err, sizeof err) != 0)
		die("%s", err);
	if (o->tap) {
		wreport_tap(stdout, rep);
	} else {
		wreport_text(stdout, rep);
		wreport_summary(stdout, rep);
	}
	return wreport_conformant(rep) ? 0 : 1;
}

static int check_writer(const struct wopts *o)
{
	static struct wreport rep;
	static char abs[PATH_MAX];
	char err[1024];
	open_outputs(o, o->writer);
	if (!realpath(o->writer, abs))
		die("cannot find writer %s: %s (give the path of a shared object)", o->writer, strerror(errno));
	rep.subject = abs;
	rep.seed = o->seed;
	memcpy(rep.only, o->only, sizeof rep.only);
	rep.have_only = o->have_only;
	if (contain_reader_open(abs, rep.sha256, err, sizeof err) != 0)
		die("%s", err);
	struct wrun_info info;
	if (wrun_probe(abs, &info, err, sizeof err) != 0)
		die("%s", err);
	if (info.has_info) {
		snprintf(rep.name, sizeof rep.name, "%s", info.name);
		snprintf(rep.version, sizeof rep.version, "%s", info.version);
	}
	snprintf(rep.contained, sizeof rep.contained, "%s", info.contained);
	if (!o->tap) {
		printf("vmclock-cts %s, writer contract %d\n", VMCLOCK_CTS_VERSION, VMCLOCK_WUT_CONTRACT_VERSION);
		printf("writer: %s%s%s%s%s%s\n", abs, info.has_info ? " (" : "", rep.name, info.has_info ? " " : "",
		       rep.version, info.has_info ? ")" : "");
		printf("containment: %s\nsha256: %s\n", rep.contained, rep.sha256);
		printf("seed: 0x%" PRIx64 "  (replay the whole run with --seed 0x%" PRIx64 ")\n", o->seed, o->seed);
	}
	char scen_list[256] = "";
	int first = 1;
	for (int s = 0; s < WSC_COUNT; s++) {
		if (o->scenario >= 0 && s != o->scenario)
			continue;
		uint8_t *buf = NULL;
		size_t len = 0;
		if (wrun_scenario(abs, s, scen_seed(o->seed, s), o->timeout_ms, &buf, &len) != 0)
			die("cannot run the writer: %s", strerror(errno));
		if (o->save) {
			FILE *f = fopen(o->save, "wb");
			if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
				die("cannot write --save-trace %s: %s", o->save, strerror(errno));
		}
		struct wtrace t;
		struct wj_result r;
		if (trace_parse(buf, len, &t, err, sizeof err) != 0) {
			/* the child wrote something that is not a trace: it interfered */
			memset(&r, 0, sizeof r);
			struct wtrace empty = { .flags = WTRACE_F_EXACT, .image_len = WTRAP_IMAGE };
			wjudge(&empty, 0, &r);
			snprintf(r.c[W_SEQ_PROTOCOL].evidence, sizeof r.c[W_SEQ_PROTOCOL].evidence,
			         "the writer's process sent a corrupt trace (%.200s): it interfered with the suite", err);
			r.c[W_SEQ_PROTOCOL].findings = 1;
			r.c[W_SEQ_PROTOCOL].verdict = VMCLOCK_FAIL;
		} else {
			wjudge(&t, info.has_info ? info.info.publishes : 0, &r);
			trace_free(&t);
		}
		free(buf);
		char replay[4400];
		snprintf(replay, sizeof replay, "vmclock-cts check-writer %s --scenario %s --seed 0x%" PRIx64, abs,
		         wsc_name(s), o->seed);
		merge(&rep, &r, replay, first);
		first = 0;
		size_t l = strlen(scen_list);
		snprintf(scen_list + l, sizeof scen_list - l, "%s%s", l ? " " : "", wsc_name(s));
	}
	char source[200];
	snprintf(source, sizeof source, "%s (seed 0x%" PRIx64 "): %u stores, %u updates", o->scenario >= 0 ? scen_list : "8 scenarios", o->seed,
	         rep.res.stores, rep.res.updates);
	how_lines(&rep, source);
	if (!o->tap)
		printf("scenarios: %s; %u events, %u stores trapped, %u updates\n\n", scen_list, rep.res.events,
		       rep.res.stores, rep.res.updates);
	return finish(o, &rep);
}

static int trace_check(const struct wopts *o)
{
	static struct wreport rep;
	char err[1024];
	open_outputs(o, o->trace);
	FILE *f = fopen(o->trace, "rb");
	if (!f)
		die("cannot read trace %s: %s", o->trace, strerror(errno));
	size_t cap = 1 << 20, n = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf)
			die("out of memory reading %s", o->trace);
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	if (ferror(f))
		die("cannot read trace %s: %s", o->trace, strerror(errno));
	fclose(f);
	struct wtrace t;
	if (trace_parse(buf, n, &t, err, sizeof err) != 0)
		die("%s is not a valid trace: %s", o->trace, err);
	rep.subject = o->trace;
	rep.is_trace = 1;
	rep.seed = t.seed;
	memcpy(rep.only, o->only, sizeof rep.only);
	rep.have_only = o->have_only;
	sha256_file(o->trace, rep.sha256);
	snprintf(rep.contained, sizeof rep.contained, "not applicable (a trace runs no code)");
	wjudge(&t, 0, &rep.res);
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++)
		if (rep.res.c[c].findings)
			snprintf(rep.replay[c], sizeof rep.replay[c], "vmclock-cts trace check %s --only %s", o->trace,
			         vmclock_clauses[c].id);
	char source[200];
	snprintf(source, sizeof source, "%s trace: %zu records, %u images, %u updates",
	         (t.flags & WTRACE_F_EXACT) ? "exact" : (t.flags & WTRACE_F_SAMPLED) ? "sampled" : "vendor", t.n,
	         rep.res.images, rep.res.updates);
	how_lines(&rep, source);
	if (!o->tap) {
		printf("vmclock-cts %s, trace format %d\n", VMCLOCK_CTS_VERSION, WTRACE_VERSION);
		printf("trace: %s (%s)\nsha256: %s\n", o->trace, source, rep.sha256);
		printf("seed: 0x%" PRIx64 "\n\n", t.seed);
	}
	trace_free(&t);
	int rc = finish(o, &rep);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	contain_runner_init();
	struct wopts o;
	memset(&o, 0, sizeof o);
	parse(argc, argv, &o);
	if (o.list) {
		for (int s = 0; s < WSC_COUNT; s++)
			printf("%-12s %s\n", wsc_name(s), wsc_describe(s));
		return 0;
	}
	int modes = !!o.writer + !!o.trace + !!o.record + !!o.simulate;
	if (modes != 1)
		die("give one of --writer, --trace-check, --trace-record, --simulate (see --help)");
	if (o.writer)
		return check_writer(&o);
	if (o.trace)
		return trace_check(&o);
	if (o.record) {
		if (!o.out)
			die("trace record needs --out FILE");
		return wrecord(o.record, o.out, o.duration_ms);
	}
	if (!o.page)
		die("--simulate needs --page FILE");
	return wsimulate(o.simulate, o.page, o.scenario < 0 ? WSC_RANDOM : o.scenario, scen_seed(o.seed, o.scenario < 0 ? WSC_RANDOM : o.scenario), o.pace_us);
}

/* A sanitized build's writer child: a malloc over the limit returns NULL. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
