/* oracle.c - judging one reading of one quiet page (spec section 2).
 *
 * Three kinds of findings, each on the clause whose rule is broken:
 *   - contract findings (R-CONTRACT): the reading is not a reading at all
 *     (unknown status, nsec >= 10^9, undeclared filled bits, a counter not
 *     read during the call); such a reading is judged no further, so a
 *     contract breach is never also charged to bystanders (issue 7, item 7);
 *   - rule findings: the reader used a field it must not (flag clear,
 *     beyond size, wrong counter id, unusable time type, UNRELIABLE status);
 *   - value findings: a reported value is not what the page gives.
 * A refusal (NO_TIME without fields, INVALID for a valid header, BUSY) of a
 * valid page is never a finding here: R-TIME-LIVE judges refusals across
 * the whole run (spec "How findings are charged" 1). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "oracle.h"
#include "timemath.h"

#define F(x) VMCLOCK_FLAG_##x

static void add(struct vmclock_judgement *j, enum vmclock_clause c, enum vmclock_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(struct vmclock_judgement *j, enum vmclock_clause c, enum vmclock_verdict v, const char *fmt, ...)
{
	if (j->n >= VMCLOCK_ORACLE_MAX_FINDINGS)
		return;
	struct vmclock_finding *f = &j->f[j->n++];
	f->clause = c;
	f->verdict = v;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->evidence, sizeof f->evidence, fmt, ap);
	va_end(ap);
}

/* The verdict a broken rule of clause c gives: FAIL for MUST, WARN for
 * SHOULD, INFO for INFO (an INFO clause never fails, rule 5). */
static enum vmclock_verdict by_level(enum vmclock_clause c)
{
	static const enum vmclock_verdict v[] = {
		[VMCLOCK_MUST] = VMCLOCK_FAIL, [VMCLOCK_SHOULD] = VMCLOCK_WARN, [VMCLOCK_INFO] = VMCLOCK_INFO_V,
	};
	return v[vmclock_clauses[c].level];
}
#define FAIL_ON(j, c, ...) add(j, c, by_level(c), __VA_ARGS__)

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

/* Which page fields each part of a reading comes from: a part may be
 * reported only when its fields end within the header's `size` (not the
 * mapping: R-HDR-SIZE; vmgen: R-VMGEN). */
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
	{ VMCLOCK_IUT_HAS_CLOCK_STATUS, VMCLOCK_END(clock_status), R_HDR_SIZE, "clock_status" },
	{ VMCLOCK_IUT_HAS_LEAP, VMCLOCK_END(leap_indicator), R_HDR_SIZE, "leap_indicator" },
	{ VMCLOCK_IUT_HAS_FLAGS, VMCLOCK_END(flags), R_HDR_SIZE, "flags" },
};

struct expected_time {
	uint64_t sec_floor; uint32_t ns_floor;
	uint64_t sec_near;  uint32_t ns_near;
};

static struct expected_time time_of(const struct vmclock_fields *s, uint64_t c)
{
	struct vmclock_tm_time t = vmclock_tm_at(s->time_sec, s->time_frac_sec, s->counter_value,
	                                         s->counter_period_frac_sec, (unsigned)s->counter_period_shift, c);
	struct expected_time e;
	unsigned carry = 0;
	e.sec_floor = t.sec;
	e.ns_floor = vmclock_tm_nsec_floor(t.frac);
	e.ns_near = vmclock_tm_nsec_nearest(t.frac, &carry);
	e.sec_near = t.sec + carry;
	return e;
}

/* R-TIME-EXACT allows floor or nearest ns, nothing in between. */
static int time_matches(const struct expected_time *e, const struct vmclock_iut_reading *r)
{
	return (r->sec == e->sec_floor && r->nsec == e->ns_floor) ||
	       (r->sec == e->sec_near && r->nsec == e->ns_near);
}

void vmclock_oracle_time_at(const struct vmclock_fields *s, uint64_t c, uint64_t *sec, uint32_t *nsec)
{
	if (c >= s->counter_value) {
		struct expected_time e = time_of(s, c);
		*sec = e.sec_floor;
		*nsec = e.ns_floor;
		return;
	}
	/* Backwards: time - (counter_value - c) x period, with a borrow. */
	struct vmclock_tm_time back = vmclock_tm_at(0, 0, 0, s->counter_period_frac_sec,
	                                            (unsigned)s->counter_period_shift, s->counter_value - c);
	uint64_t frac = s->time_frac_sec - back.frac;
	*sec = s->time_sec - back.sec - (frac > s->time_frac_sec);
	*nsec = vmclock_tm_nsec_floor(frac);
}

/* The error bound the page promises at delta (R-ERR-BOUND): the time's
 * error plus, when that rate's own PERIOD_*_VALID flag is set, rate x delta. */
static uint64_t bound_of(const struct vmclock_fields *s, int max, uint64_t delta)
{
	uint64_t base = max ? s->time_maxerror_nanosec : s->time_esterror_nanosec;
	uint64_t rate = max ? s->counter_period_maxerror_rate_frac_sec
	                    : s->counter_period_esterror_rate_frac_sec;
	int rate_valid = (s->flags & (max ? F(PERIOD_MAXERROR_VALID) : F(PERIOD_ESTERROR_VALID))) != 0;
	return vmclock_tm_error_ns(base, rate_valid ? rate : 0, (unsigned)s->counter_period_shift, delta);
}

static const char *status_name(int status)
{
	static const char *const names[] = { "OK", "NO_TIME", "INVALID", "BUSY" };
	return status >= 0 && status <= 3 ? names[status] : "UNKNOWN-STATUS";
}

const char *vmclock_oracle_contract(const struct vmclock_oracle_input *in, int status,
                                    const struct vmclock_iut_reading *r)
{
	if (status < VMCLOCK_IUT_OK || status > VMCLOCK_IUT_BUSY)
		return "returned a value that is not an enum vmclock_iut_status";
	if (r->filled & ~(uint32_t)VMCLOCK_IUT_HAS_ALL)
		return "set filled bits the contract does not define";
	if (in->declared && (r->filled & ~in->declared))
		return "set filled bits outside what vmclock_iut_info() declared in `provides`";
	if (status == VMCLOCK_IUT_OK && !(r->filled & VMCLOCK_IUT_HAS_TIME))
		return "returned OK without VMCLOCK_IUT_HAS_TIME";
	if ((r->filled & VMCLOCK_IUT_HAS_TIME) && r->nsec >= 1000000000u)
		return "returned nsec >= 10^9";
	if (status == VMCLOCK_IUT_OK || (status == VMCLOCK_IUT_NO_TIME && (r->filled & VMCLOCK_IUT_HAS_TIME))) {
		for (size_t i = 0; i < in->ncounters; i++)
			if (in->counters[i] == r->counter)
				return NULL;
		return "reported time for a counter value that was not read during this call";
	}
	return NULL;
}

/* ---- rules: fields used that must not be ---- */

static void judge_rules(const struct vmclock_oracle_input *in, int status, const struct vmclock_iut_reading *r,
                        struct vmclock_judgement *j)
{
	const struct vmclock_fields *s = in->page;
	for (size_t i = 0; i < sizeof presence / sizeof presence[0]; i++)
		if ((r->filled & presence[i].bit) && presence[i].end > s->size)
			FAIL_ON(j, presence[i].clause, "reported %s, whose field ends at byte %u, but size is %llu",
			        presence[i].what, presence[i].end, (unsigned long long)s->size);

	if (j->reports_time) {
		if (s->counter_id != in->native_counter_id)
			FAIL_ON(j, R_HDR_COUNTER, "reported time (%s) although counter_id is 0x%02llx, not the counter it reads (0x%02x)",
			        status_name(status), (unsigned long long)s->counter_id, in->native_counter_id);
		if (s->time_type > VMCLOCK_TIME_MONOTONIC)
			FAIL_ON(j, R_HDR_TIMETYPE, "reported time (%s) for unusable time_type %llu", status_name(status),
			        (unsigned long long)s->time_type);
		else if ((r->filled & VMCLOCK_IUT_HAS_TIME) && r->time_type != s->time_type)
			FAIL_ON(j, R_HDR_TIMETYPE, "reported time_type %u for a page of time_type %llu", r->time_type,
			        (unsigned long long)s->time_type);
		if (s->clock_status == VMCLOCK_STATUS_UNRELIABLE)
			FAIL_ON(j, R_STAT_UNRELIABLE, "reported time (%s) while clock_status is UNRELIABLE", status_name(status));
		else if (status == VMCLOCK_IUT_OK && s->clock_status <= VMCLOCK_STATUS_INITIALIZING &&
		         !(r->filled & VMCLOCK_IUT_HAS_ANY_CLOCK))
			add(j, R_STAT_UNRELIABLE, VMCLOCK_WARN,
			    "time reported as OK for clock_status %s without passing the status on (\"should not be relied upon\")",
			    s->clock_status ? "INITIALIZING" : "UNKNOWN");
	}
	if ((r->filled & VMCLOCK_IUT_HAS_ESTERROR) && !(s->flags & F(TIME_ESTERROR_VALID)))
		FAIL_ON(j, R_ERR_FLAGS, "reported esterror %llu ns without TIME_ESTERROR_VALID (flags 0x%llx)",
		        (unsigned long long)r->esterror_ns, (unsigned long long)s->flags);
	if ((r->filled & VMCLOCK_IUT_HAS_MAXERROR) && !(s->flags & F(TIME_MAXERROR_VALID)))
		FAIL_ON(j, R_ERR_FLAGS, "reported maxerror %llu ns without TIME_MAXERROR_VALID (flags 0x%llx)",
		        (unsigned long long)r->maxerror_ns, (unsigned long long)s->flags);
	if ((r->filled & VMCLOCK_IUT_HAS_VMGEN) && !(s->flags & F(VM_GEN_COUNTER_PRESENT)))
		FAIL_ON(j, R_VMGEN, "reported vm_generation_counter 0x%llx without VM_GEN_COUNTER_PRESENT (flags 0x%llx)",
		        (unsigned long long)r->vm_generation_counter, (unsigned long long)s->flags);
	if ((r->filled & VMCLOCK_IUT_HAS_TAI_OFFSET) && !(s->flags & F(TAI_OFFSET_VALID)))
		FAIL_ON(j, R_TIME_TAI, "reported tai_offset_sec %d without TAI_OFFSET_VALID", (int)r->tai_offset_sec);
}

/* ---- values: what the page gives ---- */

/* A wrong time is R-TIME-SHIFT's when only the shift explains it: at a
 * shift of 64 or more, the answer is the formula with the shift taken
 * modulo 64 or 128, as a 64-bit shift instruction, or a 128-bit shift
 * built from them, does with a count out of range (undefined in C; a
 * verbatim copy of the Linux driver at shifts of 128 and more). Other
 * wrong answers at large shifts (a period shifted first loses its bits
 * there too; a stale or clamped time) are R-TIME-EXACT's. */
static int shift_defect(const struct vmclock_fields *s, const struct vmclock_iut_reading *r)
{
	if (s->counter_period_shift < 64)
		return 0;
	for (unsigned mask = 63; mask <= 127; mask = mask * 2 + 1) {
		struct vmclock_fields m = *s;
		m.counter_period_shift &= mask;
		struct expected_time e = time_of(&m, r->counter);
		if (m.counter_period_shift != s->counter_period_shift && time_matches(&e, r))
			return 1;
	}
	return 0;
}

static void judge_values(const struct vmclock_oracle_input *in, const struct vmclock_iut_reading *r,
                         struct vmclock_judgement *j)
{
	const struct vmclock_fields *s = in->page;
	int have_time = j->reports_time && (r->filled & VMCLOCK_IUT_HAS_TIME);
	uint64_t delta = r->counter - s->counter_value;
	int negdelta = r->counter < s->counter_value;
	if (have_time && !negdelta) {
		struct expected_time e = time_of(s, r->counter);
		if (!time_matches(&e, r))
			FAIL_ON(j, shift_defect(s, r) ? R_TIME_SHIFT : R_TIME_EXACT,
			        "at counter 0x%llx (delta 0x%llx, period 0x%llx, shift %u): got %llu.%09u s, exact %llu.%09u s (floor)",
			        (unsigned long long)r->counter, (unsigned long long)delta,
			        (unsigned long long)s->counter_period_frac_sec, (unsigned)s->counter_period_shift,
			        (unsigned long long)r->sec, r->nsec, (unsigned long long)e.sec_floor, e.ns_floor);
		for (int max = 0; max < 2; max++) {
			uint32_t bit = max ? VMCLOCK_IUT_HAS_MAXERROR : VMCLOCK_IUT_HAS_ESTERROR;
			uint64_t got = max ? r->maxerror_ns : r->esterror_ns, want = bound_of(s, max, delta);
			if (!(r->filled & bit))
				continue;
			if (got < want)
				FAIL_ON(j, R_ERR_BOUND, "%s %llu ns is below the page's %llu ns at delta 0x%llx (flags 0x%llx)",
				        max ? "maxerror" : "esterror", (unsigned long long)got, (unsigned long long)want,
				        (unsigned long long)delta, (unsigned long long)s->flags);
			else {
				j->have_slack = 1;
				*(max ? &j->max_slack_ns : &j->est_slack_ns) = got - want;
			}
		}
	}
	if (have_time && negdelta) {
		/* R-TIME-NEGDELTA: the header is silent; Linux wraps the difference. */
		struct expected_time e = time_of(s, r->counter);
		j->negdelta = time_matches(&e, r) ? "wraps the 64-bit delta (as Linux)"
		                                  : "computes something other than the wrapped delta";
	}
	if ((r->filled & VMCLOCK_IUT_HAS_DISRUPTION) && r->disruption_marker != s->disruption_marker)
		FAIL_ON(j, R_DISR_MARKER, "disruption_marker 0x%llx, the page's is 0x%llx",
		        (unsigned long long)r->disruption_marker, (unsigned long long)s->disruption_marker);
	if ((r->filled & VMCLOCK_IUT_HAS_VMGEN) && r->vm_generation_counter != s->vm_generation_counter)
		FAIL_ON(j, R_VMGEN, "vm_generation_counter 0x%llx, the page's is 0x%llx",
		        (unsigned long long)r->vm_generation_counter, (unsigned long long)s->vm_generation_counter);
	if ((r->filled & VMCLOCK_IUT_HAS_TAI_OFFSET) && (s->flags & F(TAI_OFFSET_VALID)) &&
	    r->tai_offset_sec != (int16_t)s->tai_offset_sec)
		FAIL_ON(j, R_TIME_TAI, "tai_offset_sec %d, the page's (signed 16-bit) is %d", (int)r->tai_offset_sec,
		        (int)(int16_t)s->tai_offset_sec);
	/* A reported clock status, leap indicator or flags word is the page's:
	 * the contract says the filled parts are the page's values. */
	if ((r->filled & VMCLOCK_IUT_HAS_ANY_CLOCK) && r->clock_status != s->clock_status)
		FAIL_ON(j, R_CONTRACT, "reported clock_status %u, the page's is %llu", r->clock_status,
		        (unsigned long long)s->clock_status);
	if ((r->filled & VMCLOCK_IUT_HAS_ANY_LEAP) && r->leap_indicator != s->leap_indicator)
		FAIL_ON(j, R_CONTRACT, "reported leap_indicator %u, the page's is %llu", r->leap_indicator,
		        (unsigned long long)s->leap_indicator);
	if ((r->filled & VMCLOCK_IUT_HAS_ANY_FLAGS) && r->flags != s->flags)
		FAIL_ON(j, R_CONTRACT, "reported flags 0x%llx, the page's are 0x%llx", (unsigned long long)r->flags,
		        (unsigned long long)s->flags);
	(void)in;
}

void vmclock_oracle_judge(const struct vmclock_oracle_input *in, int status,
                          const struct vmclock_iut_reading *r, struct vmclock_judgement *j)
{
	memset(j, 0, sizeof *j);
	const char *breach = vmclock_oracle_contract(in, status, r);
	if (breach && (status < VMCLOCK_IUT_OK || status > VMCLOCK_IUT_BUSY)) {
		j->breach = 1;
		add(j, R_CONTRACT, VMCLOCK_FAIL, "%s (%d)", breach, status);
		return;
	}
	j->accepted = status == VMCLOCK_IUT_OK || (status == VMCLOCK_IUT_NO_TIME && r->filled);
	j->reports_time = status == VMCLOCK_IUT_OK ||
	                  (status == VMCLOCK_IUT_NO_TIME && (r->filled & VMCLOCK_IUT_HAS_TIME));

	const struct vmclock_fields *s = in->page;
	int defect = vmclock_oracle_header_defect(s, in->len);
	if (defect >= 0) {
		if (j->accepted)
			FAIL_ON(j, (enum vmclock_clause)defect,
			        "accepted a page with a bad header (magic 0x%08llx, version %llu, size %llu, mapping %zu): returned %s, filled 0x%x",
			        (unsigned long long)s->magic, (unsigned long long)s->version, (unsigned long long)s->size,
			        in->len, status_name(status), r->filled);
		return;
	}
	if (s->seq_count & 1) {
		/* The writer never finishes: seq_count stays odd. */
		if (j->accepted)
			FAIL_ON(j, R_SEQ_ODD, "returned %s (filled 0x%x) although seq_count was odd for the whole read",
			        status_name(status), r->filled);
		/* BUSY, NO_TIME or INVALID in bounded time: a timeout or a refusal (rule 1). */
		return;
	}
	if (breach) {
		j->breach = 1;
		add(j, R_CONTRACT, VMCLOCK_FAIL, "%s", breach);
		return;
	}
	/* A refusal of the time (NO_TIME, INVALID, BUSY), perhaps with other
	 * fields served: R-TIME-LIVE judges it across the run. */
	j->refused = !j->reports_time;
	if (!j->accepted)
		return;
	judge_rules(in, status, r, j);
	judge_values(in, r, j);
}

/* ---- comparing readings ---- */

unsigned vmclock_reading_diff(int sa, const struct vmclock_iut_reading *a, int sb, const struct vmclock_iut_reading *b)
{
	static const uint32_t bit[VP_COUNT] = {
		[VP_TIME] = VMCLOCK_IUT_HAS_TIME, [VP_ESTERR] = VMCLOCK_IUT_HAS_ESTERROR,
		[VP_MAXERR] = VMCLOCK_IUT_HAS_MAXERROR, [VP_MARKER] = VMCLOCK_IUT_HAS_DISRUPTION,
		[VP_VMGEN] = VMCLOCK_IUT_HAS_VMGEN, [VP_TAI] = VMCLOCK_IUT_HAS_TAI_OFFSET,
		[VP_CLOCK] = VMCLOCK_IUT_HAS_ANY_CLOCK, [VP_LEAP] = VMCLOCK_IUT_HAS_ANY_LEAP, [VP_FLAGS] = VMCLOCK_IUT_HAS_ANY_FLAGS,
	};
	unsigned m = sa != sb ? 1u << VP_STATUS : 0;
	for (int p = VP_TIME; p < VP_COUNT; p++) {
		uint32_t fa = a->filled & bit[p], fb = b->filled & bit[p];
		int differ = fa != fb;
		if (!differ && fa) {
			switch (p) {
			case VP_TIME:
				differ = a->sec != b->sec || a->nsec != b->nsec || a->counter != b->counter ||
				         a->time_type != b->time_type;
				break;
			case VP_ESTERR: differ = a->esterror_ns != b->esterror_ns; break;
			case VP_MAXERR: differ = a->maxerror_ns != b->maxerror_ns; break;
			case VP_MARKER: differ = a->disruption_marker != b->disruption_marker; break;
			case VP_VMGEN: differ = a->vm_generation_counter != b->vm_generation_counter; break;
			case VP_TAI: differ = a->tai_offset_sec != b->tai_offset_sec; break;
			case VP_CLOCK: differ = a->clock_status != b->clock_status; break;
			case VP_LEAP: differ = a->leap_indicator != b->leap_indicator; break;
			default: differ = a->flags != b->flags; break;
			}
		}
		if (differ)
			m |= 1u << p;
	}
	return m;
}

void vmclock_part_names(unsigned m, char *buf, size_t len)
{
	static const char *const names[VP_COUNT] = { "status", "time", "esterror", "maxerror",
	                                             "marker", "vmgen", "tai", "clock_status", "leap", "flags" };
	size_t n = 0;
	buf[0] = 0;
	for (int p = 0; p < VP_COUNT && n < len; p++)
		if (m & (1u << p))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "+" : "", names[p]);
}

int vmclock_oracle_time_exact(const struct vmclock_fields *s, const struct vmclock_iut_reading *r)
{
	struct expected_time e = time_of(s, r->counter);
	return time_matches(&e, r);
}
