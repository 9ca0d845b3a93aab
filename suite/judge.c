/* judge.c - page -> reader -> reading -> oracle -> verdict, for one clause.
 *
 * Every case of the clause runs in the sandbox; each reading goes to the
 * oracle, which may find violations of any clause. A clause's verdict counts
 * only its own findings (the other clauses have their own cases), plus a
 * crash, hang, page write or contract breach in its cases, which the spec
 * charges to the clause under test. In a case where the writer was active,
 * a reading that mixes states (R-SEQ-TORN) is charged to the clause whose
 * schedule produced it: a mix seen only across a wrap is R-SEQ-WRAP's, one
 * seen only during a partial update is R-SEQ-ODD's. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oracle.h"
#include "runner.h"
#include "schedule.h"

struct run_ctx g_run;

uint64_t clause_seed(enum vmclock_clause c)
{
	/* FNV-1a of the clause id, so --only X draws the same cases as a full run. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (const char *p = vmclock_clauses[c].id; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	return g_run.o.seed ^ h;
}

static const char *outcome_name(enum sb_outcome o)
{
	static const char *const n[] = { "returned", "crashed", "hung", "exited", "wrote to the page",
	                                 "could not be followed", "was not run" };
	return n[o];
}

static const char *status_name(int s)
{
	static const char *const n[] = { "OK", "NO_TIME", "INVALID", "BUSY" };
	return s >= 0 && s <= 3 ? n[s] : "UNKNOWN";
}

/* The oracle's view of one reading. Static case: one committed state (the
 * page), or none when seq_count is odd (the writer never finishes).
 * Dynamic case: the states the writer committed during the case. */
static void judge_reading(const struct sc_case *c, const struct sb_result *r, int status,
                          const struct vmclock_iut_reading *rd, struct vmclock_judgement *j)
{
	static struct vmclock_oracle_counter ctr[SB_MAX_COUNTERS];
	struct vmclock_fields page;
	vmclock_decode(c->img.bytes, c->img.len, &page);
	int engine = c->dyn.ncalls > 0 || g_run.sb.rdtsc;
	unsigned n = r->ncounters < SB_MAX_COUNTERS ? r->ncounters : SB_MAX_COUNTERS;
	for (unsigned i = 0; i < n; i++) {
		ctr[i].value = r->counters[i];
		ctr[i].current = engine ? r->current[i] : 0;
	}
	int odd0 = c->img.len >= VMCLOCK_END(seq_count) && (page.seq_count & 1);
	struct vmclock_oracle_input in = {
		.header = &page,
		.len = c->img.len,
		.states = engine ? r->states + odd0 : &page,
		.nstates = engine ? r->nstates - (unsigned)odd0 : (unsigned)!odd0,
		.counters = ctr,
		.ncounters = n,
		.native_counter_id = VMCLOCK_COUNTER_NATIVE,
		.writer_active = c->dyn.niv > 0,
	};
	if (engine && odd0)      /* counter indexes count from states[1] */
		for (unsigned i = 0; i < n; i++)
			ctr[i].current = ctr[i].current > 0 ? ctr[i].current - 1 : -1;
	vmclock_oracle_judge(&in, status, rd, j);
}

struct tally {
	struct clause_result *res;
	enum vmclock_verdict worst;
	uint64_t max_busy_ns;
	int have_slack;
	uint64_t max_est_slack, max_max_slack;
	const char *negdelta;
	/* R-MONO */
	unsigned readings, stalls;
	uint64_t worst_warp_ns;
};

__attribute__((format(printf, 4, 5)))
static void note(struct tally *t, const struct sc_case *c, enum vmclock_verdict v, const char *fmt, ...)
{
	struct clause_result *res = t->res;
	int first_fail = v == VMCLOCK_FAIL && t->worst != VMCLOCK_FAIL;
	int first_warn = v == VMCLOCK_WARN && t->worst == VMCLOCK_PASS;
	if (v == VMCLOCK_FAIL)
		res->nfailed++;
	if (first_fail || first_warn) {
		char ev[400];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ev, sizeof ev, fmt, ap);
		va_end(ap);
		snprintf(res->evidence, sizeof res->evidence, "case %u (%s%s): %s", c->index,
		         c->random ? "random " : "", c->name, ev);
		res->fail_case = c->index;
		t->worst = v;
	}
}

/* R-MONO: successive readings of one reader never go backwards. */
static void judge_mono(struct tally *t, const struct sc_case *c, const struct sb_result *r, const int *exact)
{
	int have = 0;
	uint64_t ps = 0;
	uint32_t pn = 0;
	for (unsigned k = 0; k < r->ncalls; k++) {
		const struct vmclock_iut_reading *x = &r->readings[k];
		/* A mix of states is R-SEQ-TORN's, not a warp. */
		if (r->statuses[k] != VMCLOCK_IUT_OK || !(x->filled & VMCLOCK_IUT_HAS_TIME) || !exact[k])
			continue;
		t->readings++;
		if (have && (x->sec < ps || (x->sec == ps && x->nsec < pn))) {
			uint64_t warp = (ps - x->sec) * 1000000000u + pn - x->nsec;
			if (x->sec + 1000 < ps)
				warp = UINT64_MAX;   /* seconds apart: say "huge" rather than overflow */
			if (warp > t->worst_warp_ns)
				t->worst_warp_ns = warp;
			char ev[160];
			snprintf(ev, sizeof ev, "call %u read %" PRIu64 ".%09u s after call %u read %" PRIu64 ".%09u s", k,
			         x->sec, x->nsec, k - 1, ps, pn);
			note(t, c, VMCLOCK_FAIL, "went backwards: %s", ev);
		} else if (have && x->sec == ps && x->nsec == pn) {
			t->stalls++;
		}
		have = 1;
		ps = x->sec;
		pn = x->nsec;
	}
}

/* R-SEQ-WRAP's static twins: the same page but for seq_count must read the
 * same (same counter script, so the same counter values). */
static void judge_twin(struct tally *t, const struct sc_case *c, const struct sb_result *r,
                       const struct sb_result *tw)
{
	const struct vmclock_iut_reading *a = &r->reading, *b = &tw->reading;
	if (tw->outcome != SB_RETURNED)
		return;      /* the twin's own failure is already noted */
	int same = r->status == tw->status && a->filled == b->filled && a->sec == b->sec && a->nsec == b->nsec &&
	           a->counter == b->counter && a->disruption_marker == b->disruption_marker &&
	           a->vm_generation_counter == b->vm_generation_counter && a->esterror_ns == b->esterror_ns &&
	           a->maxerror_ns == b->maxerror_ns && a->tai_offset_sec == b->tai_offset_sec &&
	           a->clock_status == b->clock_status && a->leap_indicator == b->leap_indicator && a->flags == b->flags;
	if (!same) {
		char ev[200];
		snprintf(ev, sizeof ev, "%s %" PRIu64 ".%09u s, marker 0x%" PRIx64 " with seq_count 0x%x; %s %" PRIu64
		         ".%09u s, marker 0x%" PRIx64 " on the same page with seq_count 0x%x",
		         status_name(tw->status), b->sec, b->nsec, b->disruption_marker,
		         (unsigned)vmclock_load32(c[-c->twin].img.bytes, VMCLOCK_OFF_seq_count), status_name(r->status),
		         a->sec, a->nsec, a->disruption_marker, (unsigned)vmclock_load32(c->img.bytes, VMCLOCK_OFF_seq_count));
		note(t, c, VMCLOCK_FAIL, "reading depends on seq_count: %s", ev);
	}
}

/* Clauses whose dynamic cases are built so that the one way to fail them
 * is a reading that mixes states: such a mix is charged to them. */
static int mix_is_theirs(enum vmclock_clause c)
{
	return c == R_SEQ_ODD || c == R_SEQ_WRAP || c == R_DISR_MARKER || c == R_VMGEN;
}

/* Judge one reading; returns 0 when it mixes states (R-SEQ-TORN's), which
 * R-MONO then leaves out: it compares what the reader reports, not tears. */
static int judge_one(struct tally *t, enum vmclock_clause cl, const struct sc_case *c, const struct sb_result *r,
                     int status, const struct vmclock_iut_reading *rd, int last)
{
	struct vmclock_judgement j;
	judge_reading(c, r, status, rd, &j);
	int exact = 1;
	for (size_t k = 0; k < j.n; k++) {
		enum vmclock_clause fc = j.f[k].clause;
		if (fc == R_SEQ_TORN)
			exact = 0;
		if (fc == R_SEQ_TORN && c->dyn.niv && mix_is_theirs(cl))
			fc = cl;         /* a mix, charged to the clause whose schedule made it */
		if (fc == cl && j.f[k].verdict != VMCLOCK_INFO_V)
			note(t, c, j.f[k].verdict, "%s", j.f[k].evidence);
	}
	if (j.contract_error)
		note(t, c, VMCLOCK_FAIL, "contract: %s", j.contract_error);
	if (last && c->expect == VMCLOCK_EXPECT_TIME && (g_run.supported & VMCLOCK_IUT_HAS_TIME) &&
	    !(status == VMCLOCK_IUT_OK && (rd->filled & VMCLOCK_IUT_HAS_TIME)))
		note(t, c, VMCLOCK_FAIL, "a valid page with a usable time, but the reader returned %s%s",
		     status_name(status), rd->filled & VMCLOCK_IUT_HAS_TIME ? "" : " without time");
	if (status == VMCLOCK_IUT_BUSY && r->elapsed_ns > t->max_busy_ns)
		t->max_busy_ns = r->elapsed_ns;
	if (j.have_slack) {
		t->have_slack = 1;
		if (j.est_slack_ns > t->max_est_slack)
			t->max_est_slack = j.est_slack_ns;
		if (j.max_slack_ns > t->max_max_slack)
			t->max_max_slack = j.max_slack_ns;
	}
	if (j.negdelta && !t->negdelta)
		t->negdelta = j.negdelta;
	if (g_run.o.case_index >= 0)
		for (size_t k = 0; k < j.n; k++)
			fprintf(g_out, "    finding: %s %s: %s\n", vmclock_clauses[j.f[k].clause].id,
			        vmclock_verdict_name(j.f[k].verdict), j.f[k].evidence);
	return exact;
}

/* How many events (page loads and counter reads) one undisturbed call of
 * the reader makes on the dynamic base page: the range of the sweeps. */
static unsigned discover_events(void)
{
	static unsigned n;
	if (n)
		return n;
	struct sc_case c;
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	sc_case_init(&c, R_SEQ_TORN, "discovery", &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME);
	c.dyn.ncalls = 1;
	c.dyn.free_after = UINT32_MAX;
	struct sb_result r;
	if (sb_run(&g_run.sb, &c, 1, &r) != 0 || r.outcome != SB_RETURNED || !r.events)
		n = 64;          /* cannot follow it undisturbed: sweep a generous range */
	else
		n = r.events;
	return n;
}

static void describe_how(struct clause_result *res, const struct sc_case_list *l, const struct sc_case *cases,
                         size_t n)
{
	size_t dyn1 = 0, dyn2 = 0, dynr = 0, calls = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cases[i].dyn.ncalls)
			continue;
		if (cases[i].random)
			dynr++;
		else if (cases[i].dyn.niv >= 2)
			dyn2++;
		else
			dyn1++;
		if (cases[i].dyn.ncalls > calls)
			calls = cases[i].dyn.ncalls;
	}
	size_t stat = l->n - dyn1 - dyn2 - dynr;
	if (g_run.o.case_index >= 0) {
		snprintf(res->how, sizeof res->how, "replay of case %ld (seed 0x%" PRIx64 ")", g_run.o.case_index,
		         res->seed);
	} else if (dyn1 + dyn2) {
		int k = snprintf(res->how, sizeof res->how, "exhaustive up to %d preemption%s over %u events, %zu schedules",
		                 dyn2 ? 2 : 1, dyn2 ? "s" : "", g_run.dyn_events, dyn1 + dyn2);
		if (dynr && k > 0 && (size_t)k < sizeof res->how)
			k += snprintf(res->how + k, sizeof res->how - (size_t)k, " + %zu random (seed 0x%" PRIx64 ")", dynr,
			              res->seed);
		if (stat && k > 0 && (size_t)k < sizeof res->how)
			snprintf(res->how + k, sizeof res->how - (size_t)k, " + %zu static", stat);
		if (dynr) {
			/* gen_random_schedules: depth d in 1..3, positions spread over
			 * span = 2N events, 3 store orders. A bug that needs one given
			 * intervention (event, order) is hit by one schedule with
			 * p1 >= 1/(3 (span+1) 3); one that needs two, p2 >= 1/(3 (span/2+1)^2 9 2). */
			double span = 2.0 * g_run.dyn_events;
			double p1 = 1.0 / (3.0 * (span + 1) * 3.0), p2 = 1.0 / (3.0 * (span / 2 + 1) * (span / 2 + 1) * 18.0);
			snprintf(res->bound, sizeof res->bound,
			         "%zu PCT-style random schedules: depth-1 bug missed with p <= %.2g, depth-2 bug with p <= %.2g",
			         dynr, exp((double)dynr * log1p(-p1)), exp((double)dynr * log1p(-p2)));
		}
	} else if (l->randoms) {
		snprintf(res->how, sizeof res->how, "%zu vectors + %zu random (seed 0x%" PRIx64 ")", l->vectors,
		         l->randoms, res->seed);
	} else {
		snprintf(res->how, sizeof res->how, "%zu fixed vectors", l->vectors);
	}
}

void clause_run(const struct clause_test *t)
{
	enum vmclock_clause cl = t->clause;
	struct clause_result *res = &g_run.res[cl];
	memset(res, 0, sizeof *res);
	res->ran = 1;
	res->fail_case = -1;
	res->seed = clause_seed(cl);

	const struct vmclock_clause_desc *d = &vmclock_clauses[cl];
	if (d->needs && !(g_run.supported & d->needs)) {
		res->verdict = VMCLOCK_NOT_SUPPORTED;
		snprintf(res->how, sizeof res->how, "reader does not report the fields this clause is about");
		return;
	}
	if (t->dynamic)
		g_run.dyn_events = discover_events();

	struct vmclock_rng rng = { res->seed };
	struct sc_case_list l = { 0 };
	t->gen(&rng, &l);
	const struct sc_case *cases = l.v;
	size_t n = l.n, first = 0;
	if (g_run.o.case_index >= 0) {
		if ((size_t)g_run.o.case_index >= l.n) {
			fprintf(g_err, "vmclock-cts: error: %s has %zu cases (0..%zu); no case %ld\n", d->id, l.n,
			        l.n ? l.n - 1 : 0, g_run.o.case_index);
			exit(2);
		}
		/* Run every case up to N in order, as the full run did (a reader may
		 * carry state from one call to the next), and judge only case N. */
		first = (size_t)g_run.o.case_index;
		n = first + 1;
	}
	struct sb_result *rs = calloc(n ? n : 1, sizeof *rs);
	if (!rs || sb_run(&g_run.sb, cases, n, rs) != 0) {
		perror("vmclock-cts: error: running the reader");
		exit(2);
	}

	struct tally ty = { .res = res, .worst = VMCLOCK_PASS };
	for (size_t i = first; i < n; i++) {
		const struct sc_case *c = &cases[i];
		const struct sb_result *r = &rs[i];
		if (g_run.o.case_index >= 0)
			report_case_detail(c, r);
		if (r->outcome != SB_RETURNED) {
			note(&ty, c, VMCLOCK_FAIL, "reader %s: %s", outcome_name(r->outcome), r->evidence);
			continue;
		}
		unsigned calls = c->dyn.ncalls > 1 ? r->ncalls : 1;
		int exact[SC_MAX_CALLS];
		for (unsigned k = 0; k < calls; k++)
			exact[k] = judge_one(&ty, cl, c, r, calls > 1 ? r->statuses[k] : r->status,
			          calls > 1 ? &r->readings[k] : &r->reading, k + 1 == calls);
		if (cl == R_MONO)
			judge_mono(&ty, c, r, exact);
		if (c->twin && i >= (size_t)c->twin)
			judge_twin(&ty, c, r, &rs[i - (size_t)c->twin]);
	}

	res->ncases = (unsigned)(n - first);
	res->verdict = ty.worst;
	describe_how(res, &l, cases, l.n);

	/* INFO clauses report what was seen; they never fail. */
	if (d->level == VMCLOCK_INFO && ty.worst == VMCLOCK_PASS) {
		res->verdict = VMCLOCK_INFO_V;
		if (cl == R_ERR_TIGHT)
			snprintf(res->evidence, sizeof res->evidence,
			         ty.have_slack ? "largest slack above the exact bound: esterror %llu ns, maxerror %llu ns"
			                       : "no bound could be compared",
			         (unsigned long long)ty.max_est_slack, (unsigned long long)ty.max_max_slack);
		else if (cl == R_TIME_NEGDELTA)
			snprintf(res->evidence, sizeof res->evidence, "counter below counter_value: %s",
			         ty.negdelta ? ty.negdelta : "reports no time");
	}
	if (cl == R_SEQ_BOUNDED && ty.worst == VMCLOCK_PASS && ty.max_busy_ns)
		snprintf(res->evidence, sizeof res->evidence, "gave up (BUSY) after at most %.1f ms",
		         (double)ty.max_busy_ns / 1e6);
	if (cl == R_MONO && ty.worst == VMCLOCK_PASS)
		snprintf(res->evidence, sizeof res->evidence, "%u readings in order: 0 warps, %u stalls (equal times)",
		         ty.readings, ty.stalls);
	else if (cl == R_MONO && ty.worst_warp_ns) {
		size_t l0 = strlen(res->evidence);
		if (ty.worst_warp_ns == UINT64_MAX)
			snprintf(res->evidence + l0, sizeof res->evidence - l0, "; worst warp: over 1000 s");
		else
			snprintf(res->evidence + l0, sizeof res->evidence - l0, "; worst warp %" PRIu64 " ns",
			         ty.worst_warp_ns);
	}
	free(rs);
	sc_case_list_free(&l);
}
