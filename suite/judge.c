/* judge.c - page -> reader -> reading -> oracle -> verdict.
 *
 * Every case of a clause runs in the sandbox. How its readings are judged
 * follows the spec's "How findings are charged":
 *   1. a refusal is never a violation: refusals of usable pages go to the
 *      liveness ledger, which R-TIME-LIVE judges at the end of the run;
 *   2. a finding counts for the clause whose rule it breaks, whichever
 *      clause's case revealed it, with that case's replay line;
 *   3. a reading taken while the writer updated the page is compared with
 *      the same reader's readings of quiet copies of every page image the
 *      writer produced (committed, or left by a half-done update), at the
 *      same counter value: one that matches a committed image is
 *      consistent; one that matches a half-done image, or holds a value only
 *      such an image had, is R-SEQ-ODD's; any other mixes states,
 *      R-SEQ-TORN's, or R-SEQ-WRAP's when the same schedule without the
 *      seq_count wrap gives a consistent reading; a mix that involves the
 *      marker is also R-DISR-MARKER's. Arithmetic is judged on the quiet
 *      copies only (R-TIME-*, R-ERR-*);
 *   5. a crash or hang in an INFO clause's case is R-ROB-NOCRASH's, a
 *      contract breach R-CONTRACT's;
 *   7. counts are of cases. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oracle.h"
#include "progress.h"
#include "runner.h"
#include "schedule.h"
#include "timemath.h"

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
	                                 "could not be followed", "was not run",
	                                 "tried to interfere with the suite", "was not judged" };
	return n[o];
}

static const char *status_name(int s)
{
	static const char *const n[] = { "OK", "NO_TIME", "INVALID", "BUSY" };
	return s >= 0 && s <= 3 ? n[s] : "UNKNOWN";
}

/* ---- charging findings (rule 2, rule 7) ---- */

__attribute__((format(printf, 4, 5)))
static void charge(enum vmclock_clause x, const struct sc_case *c, enum vmclock_verdict v, const char *fmt, ...)
{
	if (v != VMCLOCK_FAIL && v != VMCLOCK_WARN)
		return;
	if (vmclock_clauses[x].level == VMCLOCK_INFO)
		return;             /* rule 5: the oracle never makes one, and neither does this */
	struct clause_result *res = &g_run.res[x];
	res->ran = 1;
	uint64_t key = ((uint64_t)(c->clause + 1) << 32) | c->index;
	if (v == VMCLOCK_FAIL && res->last_key != key) {
		res->nfailed++;
		res->nfailed_own += c->clause == x;
		res->last_key = key;
	}
	int own = c->clause == x;
	int worse = (v == VMCLOCK_FAIL && res->verdict != VMCLOCK_FAIL) ||
	            (v == VMCLOCK_WARN && res->verdict == VMCLOCK_PASS);
	/* The evidence names the first case; one of the clause's own cases is
	 * preferred, so its replay line reruns the clause itself. */
	if (worse || (v == res->verdict && own && !res->fail_own)) {
		char ev[400];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ev, sizeof ev, fmt, ap);
		va_end(ap);
		snprintf(res->evidence, sizeof res->evidence, "case %u of %s (%s%s): %s", c->index,
		         vmclock_clauses[c->clause].id, c->random ? "random " : "", c->name, ev);
		res->fail_case = c->index;
		res->fail_clause = c->clause;
		res->fail_own = own;
		res->verdict = v;
	}
}

/* The clause a crash, hang or exit in case c is charged to: the clause
 * under test, or R-ROB-NOCRASH for an INFO clause (rule 5). */
static enum vmclock_clause crash_clause(const struct sc_case *c)
{
	return vmclock_clauses[c->clause].level == VMCLOCK_INFO ? R_ROB_NOCRASH : c->clause;
}

/* ---- the liveness ledger (R-TIME-LIVE, rule 1) ----
 * A class: time_type, flags, clock_status, leap_indicator, size. For each
 * class seen on a usable quiet page: a case that served it, and the
 * refusals. A refusal counts when the counter was at or past counter_value
 * and at most 2^48 ticks past it. */
struct live_ref {
	int set;
	enum vmclock_clause clause;
	unsigned index;
	int random;
	char name[64];
};
struct live_class {
	int used;
	uint8_t tt, st, leap;
	uint32_t size;
	uint64_t flags;
	struct live_ref served, refused, good;  /* good: refused after a served case of its own clause, */
	struct live_ref good_served;            /* ... that one */
	unsigned nrefused, nrefused_own;        /* refusals; in R-TIME-LIVE's own cases */
};
#define LIVE_SLOTS (1u << 16)
static struct live_class *live;
static unsigned live_full;
static struct live_ref live_baseline;      /* a baseline page served (R-TIME-LIVE's cases 0 and 1) */

static void ref_set(struct live_ref *r, const struct sc_case *c)
{
	r->set = 1;
	r->clause = c->clause;
	r->index = c->index;
	r->random = c->random;
	snprintf(r->name, sizeof r->name, "%s", c->name);
}

static int usable(const struct vmclock_fields *p, size_t len)
{
	return vmclock_oracle_header_defect(p, len) < 0 && !(p->seq_count & 1) &&
	       p->counter_id == VMCLOCK_COUNTER_NATIVE && p->time_type <= VMCLOCK_TIME_MONOTONIC &&
	       p->clock_status < VMCLOCK_STATUS_UNRELIABLE && p->size >= VMCLOCK_END(time_frac_sec);
}

static void live_note(const struct sc_case *c, const struct vmclock_fields *p, size_t len, uint64_t counter,
                      int served, int refused)
{
	if (!usable(p, len) || (!served && !refused))
		return;
	if (refused && (counter < p->counter_value || counter - p->counter_value > (1ull << 48)))
		return;             /* the spec's exemption: an implausible counter */
	if (!live && !(live = calloc(LIVE_SLOTS, sizeof *live)))
		return;
	uint64_t h = p->flags * 0x9e3779b97f4a7c15ull ^ ((uint64_t)p->size << 24) ^ (p->time_type << 16) ^
	             (p->clock_status << 8) ^ p->leap_indicator;
	h ^= h >> 29;
	for (unsigned probe = 0; probe < LIVE_SLOTS; probe++) {
		struct live_class *k = &live[(h + probe) & (LIVE_SLOTS - 1)];
		if (k->used && (k->flags != p->flags || k->size != p->size || k->tt != p->time_type ||
		                k->st != p->clock_status || k->leap != p->leap_indicator))
			continue;
		if (!k->used) {
			k->used = 1;
			k->flags = p->flags;
			k->size = (uint32_t)p->size;
			k->tt = (uint8_t)p->time_type;
			k->st = (uint8_t)p->clock_status;
			k->leap = (uint8_t)p->leap_indicator;
		}
		if (served) {
			ref_set(&k->served, c);
			return;
		}
		k->nrefused++;
		k->nrefused_own += c->clause == R_TIME_LIVE;
		if (!k->refused.set)
			ref_set(&k->refused, c);
		if (!k->good.set && k->served.set && k->served.clause == c->clause && k->served.index < c->index) {
			ref_set(&k->good, c);
			k->good_served = k->served;
		}
		return;
	}
	live_full++;
}

static void live_judge(void)
{
	static const struct sc_case none;
	if (!(g_run.seen_filled & VMCLOCK_IUT_HAS_TIME))
		return;             /* "if it reports time at all" */
	if (g_run.res[R_TIME_LIVE].ran && !live_baseline.set) {
		struct sc_case c = none;
		c.clause = R_TIME_LIVE;
		c.index = 1;
		snprintf(c.name, sizeof c.name, "baseline TAI");
		charge(R_TIME_LIVE, &c, VMCLOCK_FAIL,
		       "served neither baseline page (size 112, its own counter, SYNCHRONIZED, UTC or TAI with TAI_OFFSET_VALID)");
	}
	/* Classes with a refusal after a served case of the same clause first:
	 * their replay line reruns both. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; live && i < LIVE_SLOTS; i++) {
			const struct live_class *k = &live[i];
			if (!k->used || !k->served.set || !k->nrefused || k->good.set != !pass)
				continue;
			const struct live_ref *r = pass ? &k->refused : &k->good;
			const struct live_ref *sv = pass ? &k->served : &k->good_served;
			struct sc_case c = none;
			c.clause = r->clause;
			c.index = r->index;
			c.random = r->random;
			snprintf(c.name, sizeof c.name, "%s", r->name);
			charge(R_TIME_LIVE, &c, VMCLOCK_FAIL,
			       "refused a page of a class it serves (time_type %u, flags 0x%" PRIx64 ", clock_status %u, leap %u, size %u): served in case %u of %s (%s), refused here%s",
			       k->tt, k->flags, k->st, k->leap, k->size, sv->index, vmclock_clauses[sv->clause].id, sv->name,
			       k->nrefused > 1 ? " and elsewhere" : "");
			/* each refusal is a case (rule 7); charge() counted one */
			g_run.res[R_TIME_LIVE].nfailed += k->nrefused - 1;
			g_run.res[R_TIME_LIVE].nfailed_own += k->nrefused_own - (r->clause == R_TIME_LIVE);
		}
	if (live_full)
		fprintf(g_err, "vmclock-cts: note: %u page classes beyond the liveness ledger's %u were not recorded\n",
		        live_full, LIVE_SLOTS);
}

/* ---- one reading of a quiet page (static cases and quiet copies) ---- */

struct tally {                      /* what the clause's own cases measured (INFO lines) */
	uint64_t max_busy_ns;
	int have_slack;
	uint64_t max_est_slack, max_max_slack;
	const char *negdelta;
	unsigned readings, stalls;      /* R-MONO */
	uint64_t worst_warp_ns;
};

static void oracle_input(const struct sb_result *r, unsigned c0, unsigned c1, const struct vmclock_fields *page,
                         size_t len, struct vmclock_oracle_input *in)
{
	static uint64_t ctr[SB_MAX_COUNTERS];
	unsigned n = 0;
	for (unsigned i = c0; i < c1 && i < SB_MAX_COUNTERS; i++)
		ctr[n++] = r->counters[i];
	*in = (struct vmclock_oracle_input){ .page = page, .len = len, .counters = ctr, .ncounters = n,
	                                     .native_counter_id = VMCLOCK_COUNTER_NATIVE, .declared = g_run.declared };
}

/* Judge a reading of quiet page `page` taken in case c; `what` prefixes the
 * evidence ("" or "quiet copy of state 2: "). */
static void judge_quiet(struct tally *t, const struct sc_case *c, const struct vmclock_fields *page, size_t len,
                        const struct sb_result *r, const char *what)
{
	struct vmclock_oracle_input in;
	oracle_input(r, 0, r->ncounters, page, len, &in);
	struct vmclock_judgement j;
	vmclock_oracle_judge(&in, r->status, &r->reading, &j);
	g_run.seen_filled |= r->reading.filled;
	for (size_t k = 0; k < j.n; k++)
		charge(j.f[k].clause, c, j.f[k].verdict, "%s%s", what, j.f[k].evidence);
	if (!j.breach) {
		uint64_t ctr = r->ncounters ? r->counters[0] : c->counter_start;
		live_note(c, page, len, j.reports_time ? r->reading.counter : ctr, j.reports_time, j.refused);
		if (j.refused && !what[0] && usable(page, len))
			g_run.res[c->clause].nrefused++;
	}
	if (c->clause == R_TIME_LIVE && c->index < 2 && j.reports_time && !j.breach)
		ref_set(&live_baseline, c);
	if (!what[0]) {
		if (j.have_slack) {
			t->have_slack = 1;
			if (j.est_slack_ns > t->max_est_slack)
				t->max_est_slack = j.est_slack_ns;
			if (j.max_slack_ns > t->max_max_slack)
				t->max_max_slack = j.max_slack_ns;
		}
		if (j.negdelta && !t->negdelta)
			t->negdelta = j.negdelta;
	}
	if (g_run.o.case_index >= 0)
		for (size_t k = 0; k < j.n; k++)
			fprintf(g_out, "    finding: %s%s %s: %s\n", what, vmclock_clauses[j.f[k].clause].id,
			        vmclock_verdict_name(j.f[k].verdict), j.f[k].evidence);
}

/* A replay judges case N only, but R-TIME-LIVE pairs a refusal with a case
 * that served the same class: the cases before N are noted in the ledger
 * (nothing else of them is judged). */
static void note_live_only(const struct sc_case *c, const struct sb_result *r)
{
	if (c->dyn.ncalls || r->outcome != SB_RETURNED)
		return;
	struct vmclock_fields page;
	vmclock_decode(c->img.bytes, c->img.len, &page);
	struct vmclock_oracle_input in;
	oracle_input(r, 0, r->ncounters, &page, c->img.len, &in);
	struct vmclock_judgement j;
	vmclock_oracle_judge(&in, r->status, &r->reading, &j);
	if (j.breach)
		return;
	g_run.seen_filled |= r->reading.filled;
	live_note(c, &page, c->img.len, j.reports_time ? r->reading.counter : r->ncounters ? r->counters[0] : c->counter_start,
	          j.reports_time, j.refused);
	if (c->clause == R_TIME_LIVE && c->index < 2 && j.reports_time)
		ref_set(&live_baseline, c);
}

static int accepted(int status, const struct vmclock_iut_reading *rd)
{
	return status == VMCLOCK_IUT_OK || (status == VMCLOCK_IUT_NO_TIME && rd->filled);
}

/* R-SEQ-WRAP's twins: a page whose seq_count is special (0, near the wrap)
 * is followed by the same page with an ordinary seq_count; the readings
 * must be the same. A difference is R-SEQ-WRAP's (and R-DISR-MARKER's
 * when the marker differs), and the special reading is not judged further:
 * what it got wrong comes from seq_count, not from the arithmetic. */
static int twin_differs(const struct sc_case *c, const struct sb_result *r, const struct sc_case *tc,
                        const struct sb_result *tw)
{
	if (tw->outcome != SB_RETURNED)
		return 0;
	/* A refusal of either page (nothing reported) is a refusal (rule 1):
	 * R-TIME-LIVE judges it (the two pages are of one class). */
	if (!accepted(r->status, &r->reading) || !accepted(tw->status, &tw->reading))
		return 0;
	unsigned d = vmclock_reading_diff(r->status, &r->reading, tw->status, &tw->reading);
	if (!d)
		return 0;
	char parts[80];
	vmclock_part_names(d, parts, sizeof parts);
	const struct vmclock_iut_reading *a = &r->reading, *b = &tw->reading;
	unsigned sa = vmclock_load32(c->img.bytes, VMCLOCK_OFF_seq_count), sb = vmclock_load32(tc->img.bytes, VMCLOCK_OFF_seq_count);
	charge(R_SEQ_WRAP, c, VMCLOCK_FAIL,
	       "reading depends on seq_count (%s differ): %s %" PRIu64 ".%09u s, marker 0x%" PRIx64 " with seq_count 0x%x; %s %" PRIu64
	       ".%09u s, marker 0x%" PRIx64 " on the same page with seq_count 0x%x",
	       parts, status_name(r->status), a->sec, a->nsec, a->disruption_marker, sa, status_name(tw->status), b->sec,
	       b->nsec, b->disruption_marker, sb);
	if (d & (1u << VP_MARKER))
		charge(R_DISR_MARKER, c, VMCLOCK_FAIL, "marker 0x%" PRIx64 " with seq_count 0x%x, 0x%" PRIx64
		       " on the same page with seq_count 0x%x", a->disruption_marker, sa, b->disruption_marker, sb);
	return 1;
}

/* ---- readings under a writer: quiet copies (rule 3) ---- */

/* The page images of a dynamic result: committed states, then the images
 * half-done updates left. */
static unsigned nimages(const struct sb_result *r)
{
	return r->nstates + r->nodd;
}
static const struct vmclock_fields *image(const struct sb_result *r, unsigned i)
{
	return i < r->nstates ? &r->states[i] : &r->odd[i - r->nstates];
}

/* The counter a quiet copy is read at: the reading's, else the call's first. */
static uint64_t reading_counter(const struct sc_case *c, const struct sb_result *r, unsigned k)
{
	if (r->readings[k].filled & VMCLOCK_IUT_HAS_TIME)
		return r->readings[k].counter;
	unsigned i = r->call_counter0[k];
	return i < r->ncounters && i < SB_MAX_COUNTERS ? r->counters[i] : c->counter_start;
}

/* The parts of reading rd that are plain copies of page fields and differ
 * from image s (no arithmetic involved: compared with the page itself). */
static unsigned raw_diff(const struct vmclock_iut_reading *rd, const struct vmclock_fields *s)
{
	unsigned m = 0;
	if ((rd->filled & VMCLOCK_IUT_HAS_DISRUPTION) && rd->disruption_marker != s->disruption_marker)
		m |= 1u << VP_MARKER;
	if ((rd->filled & VMCLOCK_IUT_HAS_VMGEN) && rd->vm_generation_counter != s->vm_generation_counter)
		m |= 1u << VP_VMGEN;
	if ((rd->filled & VMCLOCK_IUT_HAS_TAI_OFFSET) && rd->tai_offset_sec != (int16_t)s->tai_offset_sec)
		m |= 1u << VP_TAI;
	if ((rd->filled & VMCLOCK_IUT_HAS_ANY_CLOCK) && rd->clock_status != s->clock_status)
		m |= 1u << VP_CLOCK;
	if ((rd->filled & VMCLOCK_IUT_HAS_ANY_LEAP) && rd->leap_indicator != s->leap_indicator)
		m |= 1u << VP_LEAP;
	if ((rd->filled & VMCLOCK_IUT_HAS_ANY_FLAGS) && rd->flags != s->flags)
		m |= 1u << VP_FLAGS;
	return m;
}

/* A reading that is exactly what a correct reader gives for image s (the
 * oracle finds nothing, time at a counter at or past counter_value, error
 * bounds exact) needs no quiet copy: it is s's. Anything else is compared
 * with the reader's own quiet readings of every image. */
static int fast_match(const struct vmclock_fields *s, size_t len, const struct sb_result *r, unsigned k)
{
	int st = r->statuses[k];
	const struct vmclock_iut_reading *rd = &r->readings[k];
	if (!accepted(st, rd) || raw_diff(rd, s))
		return 0;
	if ((rd->filled & VMCLOCK_IUT_HAS_TIME) && rd->counter < s->counter_value)
		return 0;
	struct vmclock_fields even = *s;
	even.seq_count &= ~1u;
	unsigned c1 = k + 1 < r->ncalls ? r->call_counter0[k + 1] : r->ncounters;
	struct vmclock_oracle_input in;
	oracle_input(r, r->call_counter0[k], c1, &even, len, &in);
	struct vmclock_judgement j;
	vmclock_oracle_judge(&in, st, rd, &j);
	return !j.n && !j.breach && !j.est_slack_ns && !j.max_slack_ns;
}

/* Quiet copies for results rs[0..n) of cases cs: for every call whose
 * reading is not a fast match, QUIET_VARIANTS per image, in order:
 * (A) the counter fixed at the reading's own value, (B) the counter values
 * the call was handed, replayed in order, (C) the same from the read just
 * before the reading's own (a reader that reads the counter more than once
 * reads them again). qcall[i * SC_MAX_CALLS + k] is the first copy of call
 * k of case i, or SIZE_MAX when it has none. */
#define QUIET_VARIANTS 3
static size_t quiet_index(unsigned m, unsigned variant)
{
	return (size_t)m * QUIET_VARIANTS + variant;
}

static int fast_consistent(const struct sc_case *c, const struct sb_result *r, unsigned k)
{
	for (unsigned m = 0; m < r->nstates; m++)
		if (fast_match(&r->states[m], c->img.len, r, k))
			return 1;
	return 0;
}

static void quiet_build(const struct sc_case *cs, const struct sb_result *rs, size_t n, size_t *qcall,
                        struct sc_case_list *q)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_case *c = &cs[i];
		const struct sb_result *r = &rs[i];
		for (unsigned k = 0; k < SC_MAX_CALLS; k++)
			qcall[i * SC_MAX_CALLS + k] = SIZE_MAX;
		if (!c->dyn.ncalls || r->outcome != SB_RETURNED)
			continue;
		for (unsigned k = 0; k < r->ncalls; k++) {
			if (!accepted(r->statuses[k], &r->readings[k]) || fast_consistent(c, r, k))
				continue;
			qcall[i * SC_MAX_CALLS + k] = q->n;
			unsigned c0 = r->call_counter0[k], c1 = k + 1 < r->ncalls ? r->call_counter0[k + 1] : r->ncounters;
			unsigned own = c0;
			for (unsigned j = c0; j < c1 && j < SB_MAX_COUNTERS; j++)
				if (r->counters[j] == r->readings[k].counter)
					own = j;
			for (unsigned m = 0; m < nimages(r); m++)
				for (unsigned variant = 0; variant < QUIET_VARIANTS; variant++) {
					struct vmclock_fields f = *image(r, m);
					/* Ordinary, distinct seq_count values: a cache keyed on
					 * seq_count sees each copy as new. */
					f.seq_count = 0x1000u + 2u * (uint32_t)(q->n % 0x100000);
					struct sc_case qc;
					sc_case_init(&qc, c->clause, "", &f, c->img.len, VMCLOCK_EXPECT_ANY);
					qc.kind = SC_KIND_QUIET;
					qc.counter_start = reading_counter(c, r, k);
					qc.counter_step = 0;
					unsigned from = variant == 1 ? c0 : own > c0 ? own - 1 : c0;
					for (unsigned j = from; variant && j < c1 && j < SB_MAX_COUNTERS && qc.nscript < 8; j++)
						qc.counter_start = qc.script[qc.nscript++] = r->counters[j];
					sc_case_push(q, &qc);
				}
		}
	}
}

static void run_or_die(const struct sc_case *cs, size_t n, struct sb_result *rs)
{
	if (n && sb_run(&g_run.sb, cs, n, rs) != 0) {
		progress_clear();
		perror("vmclock-cts: error: running the reader");
		exit(2);
	}
}

enum cls { C_CONSISTENT, C_ODD_IMAGE, C_ODD_VALUE, C_MIX, C_UNJUDGED };
struct verdict_k {
	enum cls cls;
	int state;            /* C_CONSISTENT: the committed state it matches; else the nearest */
	unsigned diff;        /* parts that differ from that state */
	unsigned foreign;     /* parts whose value no image of the case had */
	int odd_too;          /* C_CONSISTENT: it also matches a half-done image */
	uint32_t time_states; /* committed states whose time (as this reader computes it) it reports */
	uint32_t marker_states; /* committed states whose marker it reports */
};


/* Compare reading k of r (case c) with its quiet copies qk (NULL: it was a
 * fast match). A reading equal to one copy of a committed state is
 * consistent. Otherwise the parts are compared one by one to find the
 * nearest state and what each image had: the computed parts (time,
 * bounds) with the reader's quiet readings, when it gave one, the copied
 * ones (marker, vmgen, TAI offset, status) with the images themselves, so
 * a refused quiet copy (an UNRELIABLE state) still tells where the marker
 * came from. */
static struct verdict_k classify(const struct sc_case *c, const struct sb_result *r, unsigned k,
                                 const struct sb_result *qk)
{
	struct verdict_k v = { .cls = C_UNJUDGED, .state = -1 };
	unsigned ni = nimages(r), best_pop = ~0u;
	unsigned agree_c = 0, agree_o = 0;    /* parts some committed / half-done image agrees on */
	int cur = -1;
	const struct vmclock_iut_reading *rd = &r->readings[k];
	const unsigned computed = (1u << VP_TIME) | (1u << VP_ESTERR) | (1u << VP_MAXERR);
	for (unsigned i = r->call_counter0[k]; i < r->ncounters && i < SB_MAX_COUNTERS; i++)
		if (r->counters[i] == rd->counter)
			cur = r->current[i];
	for (unsigned m = 0; m < ni; m++) {
		unsigned full = ~0u, d;
		if (!qk) {
			full = fast_match(image(r, m), c->img.len, r, k) ? 0 : ~0u;
			d = full;
		} else {
			int answered = 0;
			for (unsigned variant = 0; variant < QUIET_VARIANTS; variant++) {
				const struct sb_result *q = &qk[quiet_index(m, variant)];
				if (q->outcome != SB_RETURNED)
					continue;
				full &= vmclock_reading_diff(r->statuses[k], rd, q->status, &q->reading);
				answered |= accepted(q->status, &q->reading);
			}
			/* a refusal says nothing of what its time would have been */
			d = (full & ((1u << VP_STATUS) | (answered ? computed : 0))) | raw_diff(rd, image(r, m));
		}
		if (m < r->nstates) {
			agree_c |= ~d;
			if ((rd->filled & VMCLOCK_IUT_HAS_TIME) && !(full & (1u << VP_TIME)))
				v.time_states |= 1u << m;
			if ((rd->filled & VMCLOCK_IUT_HAS_DISRUPTION) && rd->disruption_marker == image(r, m)->disruption_marker)
				v.marker_states |= 1u << m;
			if (!full && (v.cls != C_CONSISTENT || (int)m == cur)) {
				v.cls = C_CONSISTENT;
				v.state = (int)m;
				v.diff = 0;
			}
			unsigned pop = (unsigned)__builtin_popcount(d) * 2 + !!(d & (1u << VP_TIME));
			if (v.cls != C_CONSISTENT && pop < best_pop) {
				best_pop = pop;
				v.state = (int)m;
				v.diff = d;
			}
		} else {
			agree_o |= ~d;
			if (!full)
				v.odd_too = 1;
		}
	}
	const unsigned parts = ((1u << VP_COUNT) - 1) & ~(1u << VP_STATUS);
	v.foreign = ~(agree_c | agree_o) & parts;
	if (v.cls == C_CONSISTENT || v.state < 0)
		return v;
	if (v.odd_too)
		v.cls = C_ODD_IMAGE;
	else
		v.cls = (agree_o & ~agree_c & parts) ? C_ODD_VALUE : C_MIX;
	return v;
}

/* Within tol ns of each other? */
static int close_ns(uint64_t s1, uint32_t n1, uint64_t s2, uint32_t n2, uint32_t tol)
{
	if (s1 == s2)
		return (n1 > n2 ? n1 - n2 : n2 - n1) <= tol;
	if (s1 == s2 + 1)
		return n1 + 1000000000u - n2 <= tol;
	if (s2 == s1 + 1)
		return n2 + 1000000000u - n1 <= tol;
	return 0;
}

/* Is the reading's time, within 2 ns (the reader's own rounding or
 * arithmetic aside), the spec's formula on some mix of the images' five
 * time fields? A tear of the time fields gives such a time; a stale or
 * made-up one (a clamp, a cache of another page) does not, and is left to
 * the arithmetic clauses, which judge the reader on quiet pages. */
static int time_from_images(const struct sb_result *r, const struct vmclock_iut_reading *rd)
{
	unsigned n = nimages(r) < 5 ? nimages(r) : 5, combos = n * n * n * n * n;
	for (unsigned k = 0; k < combos; k++) {
		unsigned x = k;
		const struct vmclock_fields *a = image(r, x % n), *b = image(r, x / n % n), *c = image(r, x / n / n % n),
		                            *d = image(r, x / n / n / n % n), *e = image(r, x / n / n / n / n % n);
		struct vmclock_tm_time t = vmclock_tm_at(a->time_sec, b->time_frac_sec, c->counter_value,
		                                         d->counter_period_frac_sec, (unsigned)e->counter_period_shift,
		                                         rd->counter);
		if (close_ns(t.sec, vmclock_tm_nsec_floor(t.frac), rd->sec, rd->nsec, 2))
			return 1;
	}
	return 0;
}

/* Findings of one dynamic case, held back until it is known whether they
 * come from the seq_count wrap alone (judge_wraps). */
struct pending {
	unsigned n;
	struct { enum vmclock_clause clause; enum vmclock_verdict v; char ev[320]; } f[2 * SC_MAX_CALLS + 4];
};

__attribute__((format(printf, 4, 5)))
static void hold(struct pending *p, enum vmclock_clause x, enum vmclock_verdict v, const char *fmt, ...)
{
	if (p->n >= sizeof p->f / sizeof p->f[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->f[p->n].ev, sizeof p->f[p->n].ev, fmt, ap);
	va_end(ap);
	p->f[p->n].clause = x;
	p->f[p->n++].v = v;
}

/* A single field's value that no image had is no mix of states when its
 * bytes are not a mix of the images' bytes either: a stale or made-up
 * value, charged to that field's own clause. */
static int bytes_from_images(const struct sb_result *r, uint64_t v, size_t off)
{
	for (unsigned b = 0; b < 8; b++) {
		int found = 0;
		for (unsigned m = 0; m < nimages(r) && !found; m++) {
			const struct vmclock_fields *s = image(r, m);
			uint64_t x = off == VMCLOCK_OFF_disruption_marker ? s->disruption_marker : s->vm_generation_counter;
			found = ((x >> (8 * b)) & 0xff) == ((v >> (8 * b)) & 0xff);
		}
		if (!found)
			return 0;
	}
	return 1;
}

static void hold_mix(struct pending *p, const struct sb_result *r, unsigned k, struct verdict_k v,
                     enum vmclock_clause x, const char *why)
{
	const struct vmclock_iut_reading *rd = &r->readings[k];
	/* Marker or vmgen values from no image of this case (and not a byte mix
	 * of theirs): the field's own defect (e.g. a cache), not a tear. */
	unsigned stale = 0;
	if ((v.foreign & (1u << VP_MARKER)) && !bytes_from_images(r, rd->disruption_marker, VMCLOCK_OFF_disruption_marker))
		stale |= 1u << VP_MARKER;
	if ((v.foreign & (1u << VP_VMGEN)) && !bytes_from_images(r, rd->vm_generation_counter, VMCLOCK_OFF_vm_generation_counter))
		stale |= 1u << VP_VMGEN;
	if (stale & (1u << VP_MARKER))
		hold(p, R_DISR_MARKER, VMCLOCK_FAIL, "call %u: disruption_marker 0x%" PRIx64 " is no state's of this case (state %d's is 0x%" PRIx64 ")",
		     k, rd->disruption_marker, v.state, r->states[v.state].disruption_marker);
	if (stale & (1u << VP_VMGEN))
		hold(p, R_VMGEN, VMCLOCK_FAIL, "call %u: vm_generation_counter 0x%" PRIx64 " is no state's of this case (state %d's is 0x%" PRIx64 ")",
		     k, rd->vm_generation_counter, v.state, r->states[v.state].vm_generation_counter);
	unsigned diff = v.diff & ~stale;
	if (!diff)
		return;
	char parts[80];
	vmclock_part_names(diff, parts, sizeof parts);
	hold(p, x, VMCLOCK_FAIL, "call %u: reading mixes the writer's states%s: its %s disagree%s with state %d (of %u), whose other values it has",
	     k, why, parts, strchr(parts, '+') ? "" : "s", v.state, r->nstates);
	/* R-DISR-MARKER: the marker of the same state as the time. */
	if (v.time_states && v.marker_states && !(v.time_states & v.marker_states))
		hold(p, R_DISR_MARKER, VMCLOCK_FAIL, "call %u: the marker 0x%" PRIx64 " is not from the state its time comes from (states 0x%x; marker of 0x%x)",
		     k, rd->disruption_marker, v.time_states, v.marker_states);
}

/* Judge the readings of dynamic case c (result r, quiet copies qr) into p.
 * With t, the case's readings also count for R-MONO's tally. */
static void judge_dynamic(const struct sc_case *c, const struct sb_result *r, const struct sb_result *qr,
                          const size_t *qcall,
                          struct tally *t, struct pending *p)
{
	int have_prev = 0;
	uint64_t ps = 0;
	uint32_t pn = 0;
	for (unsigned k = 0; k < r->ncalls; k++) {
		int st = r->statuses[k];
		const struct vmclock_iut_reading *rd = &r->readings[k];
		g_run.seen_filled |= rd->filled;
		const struct sb_result *qk = qcall[k] == SIZE_MAX ? NULL : &qr[qcall[k]];
		unsigned c1 = k + 1 < r->ncalls ? r->call_counter0[k + 1] : r->ncounters;
		struct vmclock_oracle_input in;
		oracle_input(r, r->call_counter0[k], c1, &r->states[0], c->img.len, &in);
		const char *breach = vmclock_oracle_contract(&in, st, rd);
		if (breach) {
			hold(p, R_CONTRACT, VMCLOCK_FAIL, "call %u: %s", k, breach);
			continue;
		}
		if (t && st == VMCLOCK_IUT_BUSY && c->clause == R_SEQ_BOUNDED && r->elapsed_ns > t->max_busy_ns)
			t->max_busy_ns = r->elapsed_ns;
		int acc = accepted(st, rd);
		if (!r->call_even[k]) {
			/* The writer was mid-update for the whole call and never finished. */
			/* BUSY, NO_TIME or INVALID: a timeout or a refusal (rule 1). */
			if (acc) {
				struct verdict_k v = classify(c, r, k, qk);
				if (v.cls == C_CONSISTENT && !v.odd_too)
					hold(p, R_SEQ_BOUNDED, VMCLOCK_FAIL,
					     "call %u returned %s with state %d's values, committed before the call, although seq_count was odd for the whole call (no timeout status)",
					     k, status_name(st), v.state);
				else
					hold(p, R_SEQ_ODD, VMCLOCK_FAIL, "call %u returned %s (filled 0x%x) although seq_count was odd for the whole call",
					     k, status_name(st), rd->filled);
			}
			continue;
		}
		if (!acc)
			continue;       /* a refusal under updates, or nothing to compare with */
		struct verdict_k v = classify(c, r, k, qk);
		switch (v.cls) {
		case C_CONSISTENT: {
			if (!(rd->filled & VMCLOCK_IUT_HAS_TIME) || st != VMCLOCK_IUT_OK)
				break;
			int cur = -2;
			for (unsigned m = r->call_counter0[k]; m < c1 && m < SB_MAX_COUNTERS; m++)
				if (r->counters[m] == rd->counter)
					cur = r->current[m];
			if (cur == -1 && v.odd_too && r->call_odd_loads[k])
				hold(p, R_SEQ_ODD, VMCLOCK_FAIL, "call %u returned values read while seq_count was odd (its counter too)", k);
			else if (cur != -2 && cur != v.state)
				hold(p, R_SEQ_WINDOW, VMCLOCK_WARN, "call %u: time is state %d's, for counter 0x%" PRIx64 " read while %s",
				     k, v.state, rd->counter, cur < 0 ? "an update was in progress" : "another state was current");
			/* R-MONO: successive readings whose arithmetic is right (a wrong
			 * one is R-TIME-EXACT's, rule 3) never go backwards. */
			const struct vmclock_fields *s = &r->states[v.state];
			if (!(s->flags & VMCLOCK_FLAG_TIME_MONOTONIC) || !vmclock_oracle_time_exact(s, rd))
				break;
			if (t && c->clause == R_MONO)
				t->readings++;
			if (have_prev && (rd->sec < ps || (rd->sec == ps && rd->nsec < pn))) {
				uint64_t warp = ps - rd->sec > 1000 ? UINT64_MAX : (ps - rd->sec) * 1000000000u + pn - rd->nsec;
				if (t && warp > t->worst_warp_ns)
					t->worst_warp_ns = warp;
				hold(p, R_MONO, VMCLOCK_FAIL,
				     "went backwards: call %u read %" PRIu64 ".%09u s (state %d, counter 0x%" PRIx64 ") after %" PRIu64 ".%09u s",
				     k, rd->sec, rd->nsec, v.state, rd->counter, ps, pn);
			} else if (t && have_prev && rd->sec == ps && rd->nsec == pn && c->clause == R_MONO) {
				t->stalls++;
			}
			have_prev = 1;
			ps = rd->sec;
			pn = rd->nsec;
			break;
		}
		case C_ODD_IMAGE:
		case C_ODD_VALUE:
		case C_MIX:
			/* Only its time (and the bounds that go with it) differs, and no
			 * mix of the images' fields gives that time: not a tear. */
			if (!(v.diff & ~((1u << VP_STATUS) | (1u << VP_TIME) | (1u << VP_ESTERR) | (1u << VP_MAXERR))) &&
			    (rd->filled & VMCLOCK_IUT_HAS_TIME) && !time_from_images(r, rd))
				break;
			/* A reading of no committed state. The engine saw which fields the
			 * call last loaded while seq_count was odd: with any, it returned
			 * fields read while odd (R-SEQ-ODD); with none, it mixed committed
			 * states (R-SEQ-TORN), even when the mix equals a half-done image. */
			if (r->call_odd_loads[k] && v.cls == C_ODD_IMAGE)
				hold(p, R_SEQ_ODD, VMCLOCK_FAIL, "call %u returned the fields of a half-done update (seq_count odd)", k);
			else if (r->call_odd_loads[k])
				hold_mix(p, r, k, v, R_SEQ_ODD, ", with fields last read while seq_count was odd");
			else
				hold_mix(p, r, k, v, R_SEQ_TORN, "");
			break;
		case C_UNJUDGED:
			break;
		}
	}
}

static void charge_pending(const struct sc_case *c, const struct pending *p)
{
	for (unsigned i = 0; i < p->n; i++)
		charge(p->f[i].clause, c, p->f[i].v, "%s", p->f[i].ev);
}

/* The updates in a case carry seq_count across 0xffffffff -> 0. */
static int wraps(const struct sc_case *c)
{
	uint64_t s = vmclock_load32(c->img.bytes, VMCLOCK_OFF_seq_count);
	return s + 2ull * c->dyn.niv > 0xffffffffull;
}

/* Findings in schedules that wrap seq_count: rerun each schedule with an
 * ordinary seq_count. When that run has no finding, the findings came from
 * the wrap: R-SEQ-WRAP's (and, for a marker from another state, still
 * R-DISR-MARKER's); else they stand as they are. */
static void judge_wraps(const struct sc_case *const *wc, const struct pending *wp, size_t nw)
{
	if (!nw)
		return;
	struct sc_case *tw = calloc(nw, sizeof *tw);
	struct sb_result *tr = calloc(nw, sizeof *tr);
	size_t *qb = calloc(nw * SC_MAX_CALLS, sizeof *qb);
	if (!tw || !tr || !qb) {
		perror("vmclock-cts: error");
		exit(2);
	}
	for (size_t w = 0; w < nw; w++) {
		tw[w] = *wc[w];
		for (unsigned b = 0; b < 4; b++)   /* seq_count 0x100: far from the wrap */
			tw[w].img.bytes[VMCLOCK_OFF_seq_count + b] = (uint8_t)(0x100u >> (8 * b));
	}
	run_or_die(tw, nw, tr);
	struct sc_case_list q = { 0 };
	quiet_build(tw, tr, nw, qb, &q);
	struct sb_result *qr = calloc(q.n ? q.n : 1, sizeof *qr);
	if (!qr) {
		perror("vmclock-cts: error");
		exit(2);
	}
	run_or_die(q.v, q.n, qr);
	for (size_t w = 0; w < nw; w++) {
		struct pending again = { 0 };
		int clean = tr[w].outcome == SB_RETURNED;
		if (clean) {
			judge_dynamic(&tw[w], &tr[w], qr, &qb[w * SC_MAX_CALLS], NULL, &again);
			clean = again.n == 0;
		}
		if (!clean) {
			charge_pending(wc[w], &wp[w]);
			continue;
		}
		/* The seqcount findings came from the wrap: R-SEQ-WRAP's. The rest
		 * (a marker from another state, a stale value, a contract breach)
		 * stand on their own clauses. */
		int said = 0;
		for (unsigned i = 0; i < wp[w].n; i++) {
			enum vmclock_clause x = wp[w].f[i].clause;
			int seq = x == R_SEQ_TORN || x == R_SEQ_ODD || x == R_SEQ_WINDOW || x == R_MONO;
			if (seq && !said++)
				charge(R_SEQ_WRAP, wc[w], VMCLOCK_FAIL, "%s (the same schedule without the seq_count wrap reads right)",
				       wp[w].f[i].ev);
			else if (!seq)
				charge(x, wc[w], wp[w].f[i].v, "%s", wp[w].f[i].ev);
		}
	}
	free(qr);
	sc_case_list_free(&q);
	free(qb);
	free(tr);
	free(tw);
}

/* How many events (page loads and counter reads) one undisturbed call of
 * the reader makes on the dynamic base page: the range of the sweeps. */
/* The discovery case: one undisturbed call on the dynamic base page. */
static void discovery_case(struct sc_case *c)
{
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	sc_case_init(c, R_SEQ_TORN, "discovery", &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME);
	c->dyn.ncalls = 1;
	c->dyn.free_after = UINT32_MAX;
}

static unsigned discovered;

unsigned judge_discover_events(void)
{
	if (discovered)
		return discovered;
	struct sc_case c;
	discovery_case(&c);
	struct sb_result r;
	if (sb_run(&g_run.sb, &c, 1, &r) != 0 || r.outcome != SB_RETURNED || !r.events)
		discovered = 64;          /* cannot follow it undisturbed: sweep a generous range */
	else
		discovered = r.events;
	return discovered;
}

int judge_check_hooks(char *why, size_t len)
{
	/* Two cases, each run hooked and trapped: the undisturbed call, and a
	 * whole update before its middle event (the retry path too). The hooks
	 * are trusted only when both runs see the same events in the same
	 * order (kind, offset, size) and end the same way: a load the hooks
	 * miss (libc's memcpy, inline assembly, an uninstrumented library)
	 * shows as a difference, and the trapped mode judges the reader. */
	struct sc_case c[2];
	struct sb_result h[2], t[2];
	discovery_case(&c[0]);
	int saved = g_run.sb.hooked;
	g_run.sb.hooked = 0;
	if (sb_run(&g_run.sb, c, 1, t) != 0 || t[0].outcome != SB_RETURNED || !t[0].events) {
		snprintf(why, len, "its undisturbed call cannot be followed");
		return 0;
	}
	c[1] = c[0];
	c[1].index = 1;
	c[1].dyn.niv = 1;
	c[1].dyn.iv[0] = (struct sc_intervention){ .at = t[0].events / 2, .what = IV_UPDATE, .order = ORD_FIELDS,
	                                           .kind = UPD_RESTORE };
	c[1].dyn.free_after = UINT32_MAX;
	if (sb_run(&g_run.sb, c, 2, t) != 0) {
		snprintf(why, len, "the trapped runs failed");
		return 0;
	}
	g_run.sb.hooked = saved;
	if (sb_run(&g_run.sb, c, 2, h) != 0) {
		snprintf(why, len, "the hooked runs failed");
		return 0;
	}
	for (int k = 0; k < 2; k++) {
		const char *what = k ? "with an update during the call" : "undisturbed";
		if (h[k].outcome != t[k].outcome || h[k].outcome != SB_RETURNED) {
			snprintf(why, len, "the call %s ends otherwise with hooks (%s)", what,
			         h[k].outcome == SB_RETURNED ? t[k].evidence : h[k].evidence);
			return 0;
		}
		if (h[k].events != t[k].events || h[k].event_sig != t[k].event_sig) {
			snprintf(why, len, "the hooks see %u events %s, the traps %u%s", h[k].events, what, t[k].events,
			         h[k].events == t[k].events ? " (not the same ones)" : "");
			return 0;
		}
		if (vmclock_reading_diff(h[k].status, &h[k].reading, t[k].status, &t[k].reading) ||
		    h[k].reading.counter != t[k].reading.counter) {
			snprintf(why, len, "the call %s reads otherwise with hooks", what);
			return 0;
		}
	}
	discovered = t[0].events;
	return 1;
}

static void describe_how(struct clause_result *res, const struct sc_case_list *l, const struct sb_result *rs)
{
	size_t dyn1 = 0, dyn2 = 0, dynr = 0, dynr_ran = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (!l->v[i].dyn.ncalls)
			continue;
		if (l->v[i].random) {
			dynr++;
			/* rs holds every case but in a replay (which prints no bound) */
			dynr_ran += g_run.o.case_index < 0 && rs[i].outcome != SB_NOT_RUN && rs[i].outcome != SB_OVER_BUDGET;
		} else if (l->v[i].dyn.niv >= 2)
			dyn2++;
		else
			dyn1++;
	}
	size_t stat = l->n - dyn1 - dyn2 - dynr;
	int k;
	if (g_run.o.case_index >= 0) {
		k = snprintf(res->how, sizeof res->how, "replay of case %ld (seed 0x%" PRIx64 ")", g_run.o.case_index, res->seed);
	} else if (dyn1 + dyn2) {
		k = snprintf(res->how, sizeof res->how, "exhaustive up to %d preemption%s over %u events, %zu schedules",
		             dyn2 ? 2 : 1, dyn2 ? "s" : "", g_run.dyn_events, dyn1 + dyn2);
		if (dynr && k > 0 && (size_t)k < sizeof res->how)
			k += snprintf(res->how + k, sizeof res->how - (size_t)k, " + %zu random (seed 0x%" PRIx64 ")", dynr, res->seed);
		if (stat && k > 0 && (size_t)k < sizeof res->how)
			k += snprintf(res->how + k, sizeof res->how - (size_t)k, " + %zu static", stat);
		if (dynr_ran) {
			/* gen_random_schedules: depth d in 1..3, positions spread over
			 * span = 2N events, 3 store orders. A bug that needs one given
			 * intervention (event, order) is hit by one schedule with
			 * p1 >= 1/(3 (span+1) 3). Only a bound below 1/2 is printed: a
			 * larger one says nothing. Only the schedules that ran count
			 * (a reader that hung in them had the rest not run). */
			double span = 2.0 * g_run.dyn_events;
			double p1 = 1.0 / (3.0 * (span + 1) * 3.0);
			double miss = exp((double)dynr_ran * log1p(-p1));
			if (miss < 0.5)
				snprintf(res->bound, sizeof res->bound,
				         "%zu PCT-style random schedules: a bug needing one given intervention is missed with p <= %.2g",
				         dynr_ran, miss);
		}
	} else if (l->randoms && !l->vectors) {
		k = snprintf(res->how, sizeof res->how, "%zu random (seed 0x%" PRIx64 ")", l->randoms, res->seed);
	} else if (l->randoms) {
		k = snprintf(res->how, sizeof res->how, "%zu vectors + %zu random (seed 0x%" PRIx64 ")", l->vectors, l->randoms,
		             res->seed);
	} else {
		k = snprintf(res->how, sizeof res->how, "%zu fixed vectors", l->vectors);
	}
	if (k > 0 && (size_t)k < sizeof res->how && res->nrefused)
		k += snprintf(res->how + k, sizeof res->how - (size_t)k, "; %u refused", res->nrefused);
	if (k > 0 && (size_t)k < sizeof res->how && res->nnotrun)
		snprintf(res->how + k, sizeof res->how - (size_t)k, "; %u not run (the reader hung in cases of their kind)",
		         res->nnotrun);
}

void clause_run(const struct clause_test *t)
{
	enum vmclock_clause cl = t->clause;
	struct clause_result *res = &g_run.res[cl];
	res->ran = 1;
	if (!res->verdict)
		res->fail_case = -1;
	res->seed = clause_seed(cl);
	const struct vmclock_clause_desc *d = &vmclock_clauses[cl];
	if (t->dynamic)
		g_run.dyn_events = judge_discover_events();

	struct vmclock_rng rng = { res->seed };
	struct sc_case_list l = { 0 };
	t->gen(&rng, &l);
	const struct sc_case *cases = l.v;
	size_t n = l.n, first = 0;
	if (g_run.o.case_index >= 0) {
		if ((size_t)g_run.o.case_index >= l.n) {
			progress_clear();
			fprintf(g_err, "vmclock-cts: error: %s has %zu cases (0..%zu); no case %ld\n", d->id, l.n,
			        l.n ? l.n - 1 : 0, g_run.o.case_index);
			exit(2);
		}
		/* Run every case up to N in order, as the full run did (a reader may
		 * carry state from one call to the next), and judge only case N
		 * (with its twin). */
		first = (size_t)g_run.o.case_index;
		n = first + 1 + (first + 1 < l.n && cases[first + 1].twin == 1);
	}
	struct sb_result *rs = calloc(n ? n : 1, sizeof *rs);
	size_t *qcall = calloc((n ? n : 1) * SC_MAX_CALLS, sizeof *qcall);
	const struct sc_case **wc = calloc(n ? n : 1, sizeof *wc);   /* dynamic cases with findings that wrap */
	struct pending *wp = calloc(n ? n : 1, sizeof *wp);
	size_t nw = 0;
	if (!rs || !qcall || !wc || !wp) {
		perror("vmclock-cts: error");
		exit(2);
	}
	run_or_die(cases, n, rs);
	struct sc_case_list q = { 0 };
	quiet_build(cases + first, rs + first, n - first, qcall + first * SC_MAX_CALLS, &q);
	struct sb_result *qr = calloc(q.n ? q.n : 1, sizeof *qr);
	if (!qr) {
		perror("vmclock-cts: error");
		exit(2);
	}
	run_or_die(q.v, q.n, qr);

	struct tally ty = { 0 };
	for (size_t i = 0; i < first; i++)
		note_live_only(&cases[i], &rs[i]);
	for (size_t i = first; i < n; i++) {
		const struct sc_case *c = &cases[i];
		const struct sb_result *r = &rs[i];
		if (g_run.o.case_index >= 0 && i == first)
			report_case_detail(c, r);
		if (i > first && g_run.o.case_index >= 0 && !c->twin)
			break;
		if (r->outcome == SB_NOT_RUN) {
			res->nnotrun++;
			continue;
		}
		if (r->outcome != SB_RETURNED) {
			charge(crash_clause(c), c, VMCLOCK_FAIL, "reader %s: %s", outcome_name(r->outcome), r->evidence);
			continue;
		}
		if (c->dyn.ncalls) {
			struct pending p = { 0 };
			judge_dynamic(c, r, qr, &qcall[i * SC_MAX_CALLS], &ty, &p);
			if (p.n && wraps(c)) {
				wc[nw] = c;
				wp[nw++] = p;
			} else {
				charge_pending(c, &p);
			}
			/* the quiet copies are quiet pages: judged as such (rule 2) */
			for (unsigned k = 0; k < r->ncalls; k++)
				for (unsigned m = 0; m < nimages(r); m++) {
					size_t qi = qcall[i * SC_MAX_CALLS + k];
					if (qi == SIZE_MAX)
						break;
					const struct sb_result *qres = &qr[qi + quiet_index(m, 0)];
					char what[64];
					snprintf(what, sizeof what, "quiet copy of %s %u: ", m < r->nstates ? "state" : "half-done image",
					         m < r->nstates ? m : m - r->nstates);
					if (qres->outcome != SB_RETURNED) {
						charge(crash_clause(c), c, VMCLOCK_FAIL, "%sreader %s: %s", what, outcome_name(qres->outcome),
						       qres->evidence);
						continue;
					}
					struct vmclock_fields qf;
					vmclock_decode(q.v[qi + quiet_index(m, 0)].img.bytes, c->img.len, &qf);
					judge_quiet(&ty, c, &qf, c->img.len, qres, what);
				}
			continue;
		}
		/* A page with a special seq_count and its twin. */
		if (i + 1 < n && cases[i + 1].twin == 1)
			continue;       /* judged with its twin, next */
		struct vmclock_fields page;
		vmclock_decode(c->img.bytes, c->img.len, &page);
		if (c->twin && i >= (size_t)c->twin) {
			const struct sc_case *sc = &cases[i - (size_t)c->twin];
			const struct sb_result *sr = &rs[i - (size_t)c->twin];
			if (sr->outcome != SB_RETURNED) {
				charge(crash_clause(sc), sc, VMCLOCK_FAIL, "reader %s: %s", outcome_name(sr->outcome), sr->evidence);
			} else if (!twin_differs(sc, sr, c, r)) {
				struct vmclock_fields sp;
				vmclock_decode(sc->img.bytes, sc->img.len, &sp);
				judge_quiet(&ty, sc, &sp, sc->img.len, sr, "");
			}
		}
		judge_quiet(&ty, c, &page, c->img.len, r, "");
	}
	judge_wraps(wc, wp, nw);

	res->ncases = (unsigned)(n - first);
	describe_how(res, &l, rs);
	if (cl == R_ERR_TIGHT)
		snprintf(res->evidence, sizeof res->evidence,
		         ty.have_slack ? "largest slack above the exact bound: esterror %llu ns, maxerror %llu ns"
		                       : "no bound could be compared",
		         (unsigned long long)ty.max_est_slack, (unsigned long long)ty.max_max_slack);
	else if (cl == R_TIME_NEGDELTA)
		snprintf(res->evidence, sizeof res->evidence, "counter below counter_value: %s",
		         ty.negdelta ? ty.negdelta : "reports no time");
	else if (cl == R_SEQ_BOUNDED && res->verdict == VMCLOCK_PASS && ty.max_busy_ns)
		snprintf(res->evidence, sizeof res->evidence, "gave up (BUSY) after at most %.1f ms",
		         (double)ty.max_busy_ns / 1e6);
	else if (cl == R_MONO && res->verdict == VMCLOCK_PASS)
		snprintf(res->evidence, sizeof res->evidence, "%u readings in order: 0 warps, %u stalls (equal times)",
		         ty.readings, ty.stalls);
	else if (cl == R_MONO && ty.worst_warp_ns) {
		size_t l0 = strlen(res->evidence);
		if (ty.worst_warp_ns == UINT64_MAX)
			snprintf(res->evidence + l0, sizeof res->evidence - l0, "; worst warp: over 1000 s");
		else
			snprintf(res->evidence + l0, sizeof res->evidence - l0, "; worst warp %" PRIu64 " ns", ty.worst_warp_ns);
	}
	free(qr);
	sc_case_list_free(&q);
	free(wc);
	free(wp);
	free(qcall);
	free(rs);
	sc_case_list_free(&l);
}

void judge_finalize(void)
{
	live_judge();
	uint32_t supported = g_run.seen_filled | g_run.declared;
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++) {
		struct clause_result *res = &g_run.res[c];
		const struct vmclock_clause_desc *d = &vmclock_clauses[c];
		if (!res->ran)
			continue;
		uint32_t needs = d->needs;
		if (needs & VMCLOCK_IUT_HAS_STATUS)
			needs |= VMCLOCK_IUT_HAS_ANY_CLOCK | VMCLOCK_IUT_HAS_ANY_LEAP | VMCLOCK_IUT_HAS_ANY_FLAGS;
		if (needs && !(supported & needs) && res->verdict == VMCLOCK_PASS) {
			res->verdict = VMCLOCK_NOT_SUPPORTED;
			snprintf(res->how, sizeof res->how, "reader never reports the fields this clause is about");
			res->evidence[0] = 0;
		} else if (d->level == VMCLOCK_INFO) {
			res->verdict = VMCLOCK_INFO_V;   /* INFO clauses report, never fail (rule 5) */
		}
	}
}
