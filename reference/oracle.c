/* oracle.c - judging one reading against the clauses (spec section 2).
 *
 * Two kinds of findings:
 *   - rule findings: the reader used a field it must not (flag clear, beyond
 *     size, wrong counter id, unusable time type, UNRELIABLE status);
 *   - value findings: a reported value is not what the page's committed state
 *     gives. With several committed states (a writer was active), a reading is
 *     fine when one state explains every value; when only a mix of states
 *     explains it, that is a torn read (R-SEQ-TORN). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "oracle.h"
#include "timemath.h"

#define F(x) VMCLOCK_FLAG_##x

static void vadd(struct vmclock_judgement *j, enum vmclock_clause c, enum vmclock_verdict v,
                 const char *fmt, va_list ap)
{
	if (j->n >= VMCLOCK_ORACLE_MAX_FINDINGS)
		return;
	struct vmclock_finding *f = &j->f[j->n++];
	f->clause = c;
	f->verdict = v;
	vsnprintf(f->evidence, sizeof f->evidence, fmt, ap);
}

/* A finding with the verdict the clause's level gives (MUST: FAIL, SHOULD: WARN). */
static void add(struct vmclock_judgement *j, enum vmclock_clause c, const char *fmt, ...)
{
	static const enum vmclock_verdict by_level[] = {
		[VMCLOCK_MUST] = VMCLOCK_FAIL, [VMCLOCK_SHOULD] = VMCLOCK_WARN, [VMCLOCK_INFO] = VMCLOCK_INFO_V,
	};
	va_list ap;
	va_start(ap, fmt);
	vadd(j, c, by_level[vmclock_clauses[c].level], fmt, ap);
	va_end(ap);
}

static void warn(struct vmclock_judgement *j, enum vmclock_clause c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(j, c, VMCLOCK_WARN, fmt, ap);
	va_end(ap);
}

const struct vmclock_finding *vmclock_judgement_find(const struct vmclock_judgement *j,
                                                     enum vmclock_clause c)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->f[i].clause == c)
			return &j->f[i];
	return NULL;
}

int vmclock_oracle_header_defect(const struct vmclock_fields *h, size_t len)
{
	if (h->magic != VMCLOCK_MAGIC)
		return R_HDR_MAGIC;
	if (h->version != VMCLOCK_VERSION)
		return R_HDR_VERSION;
	if (len < VMCLOCK_MIN_SIZE || h->size < VMCLOCK_MIN_SIZE || h->size > len)
		return R_HDR_SIZE;
	return -1;
}

/* Which page fields each part of a reading comes from: a part may be reported
 * only when its fields end within `size` (R-HDR-SIZE; vmgen: R-VMGEN). */
static const struct {
	uint32_t bit;
	unsigned end;
	enum vmclock_clause clause;
	const char *what;
} presence[] = {
	{ VMCLOCK_IUT_HAS_TIME, VMCLOCK_END(time_frac_sec), R_HDR_SIZE, "time" },
	{ VMCLOCK_IUT_HAS_ESTERROR, VMCLOCK_END(time_esterror_nanosec), R_HDR_SIZE, "esterror" },
	{ VMCLOCK_IUT_HAS_MAXERROR, VMCLOCK_END(time_maxerror_nanosec), R_HDR_SIZE, "maxerror" },
	{ VMCLOCK_IUT_HAS_DISRUPTION, VMCLOCK_END(disruption_marker), R_HDR_SIZE, "disruption_marker" },
	{ VMCLOCK_IUT_HAS_VMGEN, VMCLOCK_END(vm_generation_counter), R_VMGEN, "vm_generation_counter" },
	{ VMCLOCK_IUT_HAS_TAI_OFFSET, VMCLOCK_END(tai_offset_sec), R_HDR_SIZE, "tai_offset_sec" },
	{ VMCLOCK_IUT_HAS_STATUS, VMCLOCK_END(leap_indicator), R_HDR_SIZE, "clock_status/leap_indicator" },
};

/* ---- value checks against one state ---- */

/* The parts of a reading that can disagree with a state. */
enum part { P_TIME, P_ESTERR, P_MAXERR, P_MARKER, P_VMGEN, P_TAI, P_STATUS, P_COUNT };

static void part_names(unsigned m, char *buf, size_t len)
{
	static const char *const names[P_COUNT] = { "time", "esterror", "maxerror", "marker", "vmgen", "tai", "status" };
	size_t n = 0;
	buf[0] = 0;
	for (int p = 0; p < P_COUNT && n < len; p++)
		if (m & (1u << p))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "+" : "", names[p]);
}

struct expected_time {
	uint64_t sec_floor; uint32_t ns_floor;
	uint64_t sec_near;  uint32_t ns_near;
};

static struct expected_time time_of(uint64_t tsec, uint64_t tfrac, uint64_t cval, uint64_t period,
                                    unsigned shift, uint64_t c)
{
	struct vmclock_tm_time t = vmclock_tm_at(tsec, tfrac, cval, period, shift, c);
	struct expected_time e;
	unsigned carry = 0;
	e.sec_floor = t.sec;
	e.ns_floor = vmclock_tm_nsec_floor(t.frac);
	e.ns_near = vmclock_tm_nsec_nearest(t.frac, &carry);
	e.sec_near = t.sec + carry;
	return e;
}

static int time_matches(const struct expected_time *e, const struct vmclock_iut_reading *r)
{
	return (r->sec == e->sec_floor && r->nsec == e->ns_floor) ||
	       (r->sec == e->sec_near && r->nsec == e->ns_near);
}

static uint64_t bound_of(const struct vmclock_fields *s, int max, uint64_t delta)
{
	uint64_t base = max ? s->time_maxerror_nanosec : s->time_esterror_nanosec;
	uint64_t rate = max ? s->counter_period_maxerror_rate_frac_sec
	                    : s->counter_period_esterror_rate_frac_sec;
	int rate_valid = (s->flags & (max ? F(PERIOD_MAXERROR_VALID) : F(PERIOD_ESTERROR_VALID))) != 0;
	return vmclock_tm_error_ns(base, rate_valid ? rate : 0, (unsigned)s->counter_period_shift, delta);
}

/* Bit set of parts whose reported value is not state s's. Error bounds
 * "match" when they are not below the state's bound. */
static unsigned mismatches(const struct vmclock_fields *s, const struct vmclock_iut_reading *r,
                           int reports_time, int writer_active)
{
	unsigned m = 0;
	int have_time = reports_time && (r->filled & VMCLOCK_IUT_HAS_TIME);
	uint64_t delta = r->counter - s->counter_value;
	int negdelta = r->counter < s->counter_value;
	/* With a writer active, a counter below the state's counter_value was
	 * read before that state existed: the time cannot be that state's. On a
	 * page that never changes it is R-TIME-NEGDELTA's (INFO) question. */
	if (have_time && negdelta && writer_active)
		m |= 1u << P_TIME;
	if (have_time && !negdelta) {
		struct expected_time e = time_of(s->time_sec, s->time_frac_sec, s->counter_value,
		                                 s->counter_period_frac_sec,
		                                 (unsigned)s->counter_period_shift, r->counter);
		if (!time_matches(&e, r))
			m |= 1u << P_TIME;
	}
	if (have_time && !negdelta && (r->filled & VMCLOCK_IUT_HAS_ESTERROR) &&
	    r->esterror_ns < bound_of(s, 0, delta))
		m |= 1u << P_ESTERR;
	if (have_time && !negdelta && (r->filled & VMCLOCK_IUT_HAS_MAXERROR) &&
	    r->maxerror_ns < bound_of(s, 1, delta))
		m |= 1u << P_MAXERR;
	if ((r->filled & VMCLOCK_IUT_HAS_DISRUPTION) && r->disruption_marker != s->disruption_marker)
		m |= 1u << P_MARKER;
	if ((r->filled & VMCLOCK_IUT_HAS_VMGEN) && r->vm_generation_counter != s->vm_generation_counter)
		m |= 1u << P_VMGEN;
	if ((r->filled & VMCLOCK_IUT_HAS_TAI_OFFSET) && r->tai_offset_sec != (int16_t)s->tai_offset_sec)
		m |= 1u << P_TAI;
	if ((r->filled & VMCLOCK_IUT_HAS_STATUS) &&
	    (r->clock_status != s->clock_status || r->leap_indicator != s->leap_indicator ||
	     r->flags != s->flags))
		m |= 1u << P_STATUS;
	return m;
}

/* Can a mix of the states' time fields explain the reported time? (Every
 * combination of the five fields the time is computed from.) */
static int time_from_mix(const struct vmclock_fields *st, size_t n, const struct vmclock_iut_reading *r)
{
	if (n < 2 || n > 4)
		return 0;
	size_t combos = n * n * n * n * n;
	for (size_t k = 0; k < combos; k++) {
		size_t x = k;
		const struct vmclock_fields *a = &st[x % n]; x /= n;
		const struct vmclock_fields *b = &st[x % n]; x /= n;
		const struct vmclock_fields *c = &st[x % n]; x /= n;
		const struct vmclock_fields *d = &st[x % n]; x /= n;
		const struct vmclock_fields *e = &st[x % n];
		if (r->counter < c->counter_value)
			continue;
		struct expected_time t = time_of(a->time_sec, b->time_frac_sec, c->counter_value,
		                                 d->counter_period_frac_sec,
		                                 (unsigned)e->counter_period_shift, r->counter);
		if (time_matches(&t, r))
			return 1;
	}
	return 0;
}

static const char *status_name(int status)
{
	static const char *const names[] = { "OK", "NO_TIME", "INVALID", "BUSY" };
	return status >= 0 && status <= 3 ? names[status] : "UNKNOWN-STATUS";
}

/* ---- the judge ---- */

static void judge_rules(const struct vmclock_oracle_input *in, const struct vmclock_fields *s,
                        int status, const struct vmclock_iut_reading *r, struct vmclock_judgement *j)
{
	const struct vmclock_fields *h = in->header;

	for (size_t i = 0; i < sizeof presence / sizeof presence[0]; i++)
		if ((r->filled & presence[i].bit) && presence[i].end > h->size)
			add(j, presence[i].clause, "reported %s, whose field ends at byte %u, but size is %llu",
			    presence[i].what, presence[i].end, (unsigned long long)h->size);

	if (j->reports_time) {
		if (h->counter_id != in->native_counter_id)
			add(j, R_HDR_COUNTER, "reported time (%s) although counter_id is 0x%02llx, not the counter it reads (0x%02x)",
			    status_name(status), (unsigned long long)h->counter_id, in->native_counter_id);
		if (h->time_type > VMCLOCK_TIME_MONOTONIC)
			add(j, R_HDR_TIMETYPE, "reported time (%s) for unusable time_type %llu",
			    status_name(status), (unsigned long long)h->time_type);
		else if ((r->filled & VMCLOCK_IUT_HAS_TIME) && r->time_type != h->time_type)
			add(j, R_HDR_TIMETYPE, "reported time_type %u for a page of time_type %llu",
			    r->time_type, (unsigned long long)h->time_type);
		if (s->clock_status == VMCLOCK_STATUS_UNRELIABLE)
			add(j, R_STAT_UNRELIABLE, "reported time (%s) while clock_status is UNRELIABLE",
			    status_name(status));
		else if (status == VMCLOCK_IUT_OK && s->clock_status <= VMCLOCK_STATUS_INITIALIZING &&
		         !(r->filled & VMCLOCK_IUT_HAS_STATUS))
			warn(j, R_STAT_UNRELIABLE, "time reported as OK for clock_status %s without passing the status on (\"should not be relied upon\")",
			    s->clock_status ? "INITIALIZING" : "UNKNOWN");
	}
	if ((r->filled & VMCLOCK_IUT_HAS_ESTERROR) && !(s->flags & F(TIME_ESTERROR_VALID)))
		add(j, R_ERR_FLAGS, "reported esterror %llu ns without TIME_ESTERROR_VALID (flags 0x%llx)",
		    (unsigned long long)r->esterror_ns, (unsigned long long)s->flags);
	if ((r->filled & VMCLOCK_IUT_HAS_MAXERROR) && !(s->flags & F(TIME_MAXERROR_VALID)))
		add(j, R_ERR_FLAGS, "reported maxerror %llu ns without TIME_MAXERROR_VALID (flags 0x%llx)",
		    (unsigned long long)r->maxerror_ns, (unsigned long long)s->flags);
	if ((r->filled & VMCLOCK_IUT_HAS_VMGEN) && !(s->flags & F(VM_GEN_COUNTER_PRESENT)))
		add(j, R_VMGEN, "reported vm_generation_counter 0x%llx without VM_GEN_COUNTER_PRESENT",
		    (unsigned long long)r->vm_generation_counter);
	if ((r->filled & VMCLOCK_IUT_HAS_TAI_OFFSET) && !(s->flags & F(TAI_OFFSET_VALID)))
		add(j, R_TIME_TAI, "reported tai_offset_sec %d without TAI_OFFSET_VALID",
		    (int)r->tai_offset_sec);
}

static void judge_values(const struct vmclock_oracle_input *in, const struct vmclock_fields *s,
                         unsigned m, const struct vmclock_iut_reading *r, struct vmclock_judgement *j)
{
	uint64_t delta = r->counter - s->counter_value;
	if (m & (1u << P_TIME)) {
		struct expected_time e = time_of(s->time_sec, s->time_frac_sec, s->counter_value,
		                                 s->counter_period_frac_sec,
		                                 (unsigned)s->counter_period_shift, r->counter);
		/* Shifts of 64 and more are R-TIME-SHIFT's territory. */
		add(j, s->counter_period_shift >= 64 ? R_TIME_SHIFT : R_TIME_EXACT,
		    "at counter 0x%llx (delta 0x%llx, period 0x%llx, shift %u): got %llu.%09u s, exact %llu.%09u s (floor)",
		    (unsigned long long)r->counter, (unsigned long long)delta,
		    (unsigned long long)s->counter_period_frac_sec, (unsigned)s->counter_period_shift,
		    (unsigned long long)r->sec, r->nsec, (unsigned long long)e.sec_floor, e.ns_floor);
	}
	if (m & (1u << P_ESTERR))
		add(j, R_ERR_BOUND, "esterror %llu ns is below the page's %llu ns at delta 0x%llx",
		    (unsigned long long)r->esterror_ns, (unsigned long long)bound_of(s, 0, delta),
		    (unsigned long long)delta);
	if (m & (1u << P_MAXERR))
		add(j, R_ERR_BOUND, "maxerror %llu ns is below the page's %llu ns at delta 0x%llx",
		    (unsigned long long)r->maxerror_ns, (unsigned long long)bound_of(s, 1, delta),
		    (unsigned long long)delta);
	if (m & (1u << P_MARKER))
		add(j, R_DISR_MARKER, "disruption_marker 0x%llx, the page's is 0x%llx",
		    (unsigned long long)r->disruption_marker, (unsigned long long)s->disruption_marker);
	if (m & (1u << P_VMGEN))
		add(j, R_VMGEN, "vm_generation_counter 0x%llx, the page's is 0x%llx",
		    (unsigned long long)r->vm_generation_counter, (unsigned long long)s->vm_generation_counter);
	if (m & (1u << P_TAI))
		add(j, R_TIME_TAI, "tai_offset_sec %d, the page's (signed 16-bit) is %d",
		    (int)r->tai_offset_sec, (int)(int16_t)s->tai_offset_sec);
	if (m & (1u << P_STATUS))
		add(j, R_SEQ_TORN, "status fields (clock_status %u, leap %u, flags 0x%llx) are not the page's (%llu, %llu, 0x%llx)",
		    r->clock_status, r->leap_indicator, (unsigned long long)r->flags,
		    (unsigned long long)s->clock_status, (unsigned long long)s->leap_indicator,
		    (unsigned long long)s->flags);
	(void)in;
}

static void judge_measurements(const struct vmclock_fields *s, const struct vmclock_iut_reading *r,
                               struct vmclock_judgement *j)
{
	if (!j->reports_time || !(r->filled & VMCLOCK_IUT_HAS_TIME))
		return;
	uint64_t delta = r->counter - s->counter_value;
	if (r->counter < s->counter_value) {
		/* R-TIME-NEGDELTA: the header is silent; Linux wraps the difference. */
		struct expected_time e = time_of(s->time_sec, s->time_frac_sec, s->counter_value,
		                                 s->counter_period_frac_sec,
		                                 (unsigned)s->counter_period_shift, r->counter);
		j->negdelta = time_matches(&e, r) ? "wraps the 64-bit delta (as Linux)"
		                                  : "computes something other than the wrapped delta";
		return;
	}
	if ((r->filled & VMCLOCK_IUT_HAS_ESTERROR) && r->esterror_ns >= bound_of(s, 0, delta)) {
		j->have_slack = 1;
		j->est_slack_ns = r->esterror_ns - bound_of(s, 0, delta);
	}
	if ((r->filled & VMCLOCK_IUT_HAS_MAXERROR) && r->maxerror_ns >= bound_of(s, 1, delta)) {
		j->have_slack = 1;
		j->max_slack_ns = r->maxerror_ns - bound_of(s, 1, delta);
	}
}

void vmclock_oracle_judge(const struct vmclock_oracle_input *in, int status,
                          const struct vmclock_iut_reading *r, struct vmclock_judgement *j)
{
	memset(j, 0, sizeof *j);
	j->matched_state = -1;
	if (status < VMCLOCK_IUT_OK || status > VMCLOCK_IUT_BUSY) {
		j->contract_error = "returned a value that is not an enum vmclock_iut_status";
		return;
	}
	j->accepted = status == VMCLOCK_IUT_OK || (status == VMCLOCK_IUT_NO_TIME && r->filled);
	j->reports_time = status == VMCLOCK_IUT_OK ||
	                  (status == VMCLOCK_IUT_NO_TIME && (r->filled & VMCLOCK_IUT_HAS_TIME));

	int defect = vmclock_oracle_header_defect(in->header, in->len);
	if (defect >= 0) {
		if (j->accepted)
			add(j, (enum vmclock_clause)defect,
			    "accepted a page with a bad header (magic 0x%08llx, version %llu, size %llu, mapping %zu): returned %s, filled 0x%x",
			    (unsigned long long)in->header->magic, (unsigned long long)in->header->version,
			    (unsigned long long)in->header->size, in->len, status_name(status), r->filled);
		return;
	}
	if (in->nstates == 0) {
		/* The writer never finished: seq_count stayed odd. */
		if (j->accepted)
			add(j, R_SEQ_ODD, "returned %s (filled 0x%x) although seq_count was odd for the whole read",
			    status_name(status), r->filled);
		else if (status != VMCLOCK_IUT_BUSY)
			add(j, R_SEQ_BOUNDED, "returned %s, not BUSY, for a valid page whose writer never finishes",
			    status_name(status));
		return;
	}
	if (status == VMCLOCK_IUT_BUSY && !in->writer_active)
		j->contract_error = "returned BUSY for a page that never changed (seq_count even)";
	if (status == VMCLOCK_IUT_INVALID)
		j->contract_error = "rejected (INVALID) a page whose header is valid";
	if (!j->accepted)
		return;
	if (status == VMCLOCK_IUT_OK && !(r->filled & VMCLOCK_IUT_HAS_TIME))
		j->contract_error = "returned OK without VMCLOCK_IUT_HAS_TIME";
	if ((r->filled & VMCLOCK_IUT_HAS_TIME) && r->nsec >= 1000000000u)
		j->contract_error = "returned nsec >= 10^9";

	/* The counter the time is for must be one the suite handed out. */
	int counter_at = -1;
	if (j->reports_time && (r->filled & VMCLOCK_IUT_HAS_TIME)) {
		for (size_t i = 0; i < in->ncounters; i++)
			if (in->counters[i].value == r->counter)
				counter_at = (int)i;
		if (counter_at < 0)
			add(j, R_TIME_EXACT, "reading.counter 0x%llx is not a value the counter returned (%zu reads)",
			    (unsigned long long)r->counter, in->ncounters);
	}

	/* Match against the committed states by the values that identify one
	 * (time, marker, vmgen, TAI offset, status): the first state explaining
	 * all of them wins, else the one explaining most, time first. Error
	 * bounds are inequalities, not identities: they are judged against the
	 * matched state afterwards. */
	const unsigned bounds = (1u << P_ESTERR) | (1u << P_MAXERR);
	size_t best = 0;
	unsigned best_m = ~0u, best_score = ~0u;
	int cur = counter_at >= 0 ? in->counters[counter_at].current : -1;
	for (size_t i = 0; i < in->nstates; i++) {
		unsigned m = mismatches(&in->states[i], r, j->reports_time && counter_at >= 0, in->writer_active) & ~bounds;
		unsigned score = 2u * (unsigned)__builtin_popcount(m) + !!(m & (1u << P_TIME));
		/* Ties (two states giving the same ns) go to the state that was
		 * current when the counter was read. */
		if (score < best_score || (score == best_score && (int)i == cur)) {
			best = i;
			best_m = m;
			best_score = score;
		}
	}
	const struct vmclock_fields *s = &in->states[best];
	j->matched_state = (int)best;
	judge_rules(in, s, status, r, j);

	if (best_m && in->nstates > 1) {
		/* Does every disagreeing part agree with some other state? Then the
		 * reading mixes states: torn. */
		unsigned explained = 0;
		for (size_t i = 0; i < in->nstates; i++)
			explained |= best_m & ~mismatches(&in->states[i], r, j->reports_time && counter_at >= 0, in->writer_active);
		explained &= ~bounds;
		if ((best_m & (1u << P_TIME)) && time_from_mix(in->states, in->nstates, r))
			explained |= 1u << P_TIME;
		if (explained == best_m) {
			char parts[64];
			part_names(best_m, parts, sizeof parts);
			add(j, R_SEQ_TORN, "reading mixes committed states: its %s disagree%s with state %zu (of %zu), whose other values it has",
			    parts, strchr(parts, '+') ? "" : "s", best, in->nstates);
			best_m = 0;
		}
	}
	best_m |= mismatches(s, r, j->reports_time && counter_at >= 0, in->writer_active) & bounds;
	int torn = vmclock_judgement_find(j, R_SEQ_TORN) != NULL;
	/* A time that is state k's formula applied to a counter read before k
	 * was published (the 64-bit delta wrapped): a counter read outside the
	 * state's window (R-SEQ-WINDOW), not an arithmetic error. */
	if (in->writer_active && (best_m & (1u << P_TIME)) && counter_at >= 0)
		for (size_t i = 0; i < in->nstates; i++) {
			const struct vmclock_fields *t = &in->states[i];
			struct expected_time e = time_of(t->time_sec, t->time_frac_sec, t->counter_value,
			                                 t->counter_period_frac_sec, (unsigned)t->counter_period_shift,
			                                 r->counter);
			if (r->counter < t->counter_value && time_matches(&e, r)) {
				add(j, R_SEQ_WINDOW, "time is state %zu's at counter 0x%llx, which was read before that state was published (counter_value 0x%llx)",
				    i, (unsigned long long)r->counter, (unsigned long long)t->counter_value);
				best_m &= ~(1u << P_TIME);
				torn = 1;   /* the window finding is said; no second one below */
				break;
			}
		}
	judge_values(in, s, best_m, r, j);
	if (!torn && counter_at >= 0 && in->counters[counter_at].current != (int)best)
		add(j, R_SEQ_WINDOW, "time is for counter 0x%llx, read while %s, but uses state %zu",
		    (unsigned long long)r->counter,
		    in->counters[counter_at].current < 0 ? "an update was in progress" : "another state was current",
		    best);
	if (!in->writer_active)
		judge_measurements(s, r, j);
}
