/* wjudge.c - the W-... clauses over a writer trace; see wjudge.h for the
 * rules every clause shares. Exact integer arithmetic only (timemath.c). */
#include "wjudge.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "timemath.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 s128;

#define PROT_LO 16                  /* protected fields other than seq_count start here */
#define MAX_MARKERS 65536

/* ---- arithmetic ------------------------------------------------------------ */

/* Time of state s at counter c, extrapolating backwards when c is before
 * counter_value (a signed delta; the judge asks about earlier readings). */
static struct vmclock_tm_time time_at(const struct vmclock_fields *s, uint64_t c)
{
	unsigned sh = (unsigned)s->counter_period_shift;
	uint64_t fwd = c - s->counter_value;
	if (fwd < (UINT64_C(1) << 63))
		return vmclock_tm_at(s->time_sec, s->time_frac_sec, s->counter_value, s->counter_period_frac_sec, sh, c);
	uint64_t d = s->counter_value - c;
	u128 prod = (u128)d * s->counter_period_frac_sec;
	u128 q = sh < 128 ? prod >> sh : 0;
	/* floor of the earlier time: subtract the ceiling of the interval */
	if ((sh < 128 ? (prod & (((u128)1 << sh) - 1)) : prod) != 0)
		q++;
	u128 x = (((u128)s->time_sec << 64) | s->time_frac_sec) - q;
	return (struct vmclock_tm_time){ (uint64_t)(x >> 64), (uint64_t)x };
}

/* a - b in units of 2^-64 s (seconds differ by far less than 2^62 here). */
static s128 tdiff(struct vmclock_tm_time a, struct vmclock_tm_time b)
{
	return (s128)(int64_t)(a.sec - b.sec) * ((s128)1 << 64) + (s128)a.frac - (s128)b.frac;
}

/* ns -> 2^-64 s, rounded up (a bound is never understated) */
static s128 ns_frac(uint64_t ns)
{
	return (s128)((((u128)ns << 64) + 999999999u) / 1000000000u);
}

static double frac_ns(s128 v)
{
	return (double)v / 18446744073.709551616;
}

/* The state's advertised max error (ns) at counter c, or UINT64_MAX when it
 * advertises none (TIME_MAXERROR_VALID clear). The period's rate counts
 * only with PERIOD_MAXERROR_VALID (UAPI.13's P_maxerr). */
static uint64_t maxerr_at(const struct vmclock_fields *s, uint64_t c)
{
	if (!(s->flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID))
		return UINT64_MAX;
	uint64_t rate = (s->flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID) ? s->counter_period_maxerror_rate_frac_sec : 0;
	uint64_t d = c - s->counter_value;
	if (d >= (UINT64_C(1) << 63))
		d = s->counter_value - c;
	return vmclock_tm_error_ns(s->time_maxerror_nanosec, rate, (unsigned)s->counter_period_shift, d);
}

/* ---- findings ---------------------------------------------------------------- */

struct ctx {
	const struct wtrace *t;
	struct wj_result *r;
	long event;                     /* index of the last EVENT record's event, -1 */
	uint32_t event_kind;
	unsigned update;                /* updates so far */
};

static void state_str(const struct vmclock_fields *f, char *b, size_t n)
{
	snprintf(b, n,
	         "seq 0x%" PRIx64 " marker 0x%" PRIx64 " flags 0x%" PRIx64 " status %" PRIu64 " leap %" PRIu64
	         " tai %d counter_value 0x%" PRIx64 " period 0x%" PRIx64 "/%" PRIu64 " time %" PRIu64 ".%016" PRIx64
	         " esterr %" PRIu64 " maxerr %" PRIu64 " vmgen 0x%" PRIx64,
	         f->seq_count, f->disruption_marker, f->flags, f->clock_status, f->leap_indicator,
	         (int)(int16_t)f->tai_offset_sec, f->counter_value, f->counter_period_frac_sec, f->counter_period_shift,
	         f->time_sec, f->time_frac_sec, f->time_esterror_nanosec, f->time_maxerror_nanosec,
	         f->vm_generation_counter);
}

/* One finding of clause c at record rec; the first one is the evidence. */
__attribute__((format(printf, 4, 5)))
static void finding(struct ctx *x, enum vmclock_clause c, long rec, const char *fmt, ...)
{
	struct wj_clause *k = &x->r->c[c];
	k->findings++;
	if (k->findings > 1)
		return;
	k->rec = rec;
	k->event = x->event;
	uint64_t counter = rec >= 0 && (size_t)rec < x->t->n ? x->t->rec[rec].counter : 0;
	int l = snprintf(k->evidence, sizeof k->evidence, "record %ld (update %u, event %ld %s, counter 0x%" PRIx64 "): ",
	                 rec, x->update, x->event, x->event >= 0 ? trace_kind_name(x->event_kind) : "-", counter);
	va_list ap;
	va_start(ap, fmt);
	if (l > 0 && (size_t)l < sizeof k->evidence)
		vsnprintf(k->evidence + l, sizeof k->evidence - (size_t)l, fmt, ap);
	va_end(ap);
}

/* ---- per state ------------------------------------------------------------------ */

static void judge_state(struct ctx *x, long rec, const struct vmclock_fields *f)
{
	struct wj_result *r = x->r;
	r->c[W_ENUM_RANGE].checked++;
	if (f->clock_status > VMCLOCK_STATUS_MAX)
		finding(x, W_ENUM_RANGE, rec, "clock_status %" PRIu64 " (defined: 0..%d)", f->clock_status, VMCLOCK_STATUS_MAX);
	else if (f->leap_indicator > VMCLOCK_LEAP_MAX)
		finding(x, W_ENUM_RANGE, rec, "leap_indicator %" PRIu64 " (defined: 0..%d)", f->leap_indicator, VMCLOCK_LEAP_MAX);
	else if (f->leap_second_smearing_hint > VMCLOCK_SMEARING_MAX)
		finding(x, W_ENUM_RANGE, rec, "leap_second_smearing_hint %" PRIu64 " (defined: 0..%d)",
		        f->leap_second_smearing_hint, VMCLOCK_SMEARING_MAX);
	else if (f->flags & ~VMCLOCK_FLAGS_DEFINED)
		finding(x, W_ENUM_RANGE, rec, "reserved flag bits set: flags 0x%" PRIx64 " (reserved 0x%" PRIx64 ")", f->flags, (uint64_t)(
		        f->flags & ~VMCLOCK_FLAGS_DEFINED));
	else if (f->pad)
		finding(x, W_ENUM_RANGE, rec, "pad 0x%" PRIx64 " is not zero", f->pad);

	if (f->flags & (VMCLOCK_FLAG_TIME_MAXERROR_VALID | VMCLOCK_FLAG_TIME_ESTERROR_VALID |
	                VMCLOCK_FLAG_PERIOD_MAXERROR_VALID | VMCLOCK_FLAG_PERIOD_ESTERROR_VALID))
		r->seen |= VMCLOCK_WUT_PUB_ERRORS;
	if (f->flags & VMCLOCK_FLAG_TIME_MONOTONIC)
		r->seen |= VMCLOCK_WUT_PUB_MONOTONIC;
	if (f->flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT)
		r->seen |= VMCLOCK_WUT_PUB_VMGEN;
	if (f->flags & VMCLOCK_FLAG_NOTIFICATION_PRESENT)
		r->seen |= VMCLOCK_WUT_PUB_NOTIFY;
	if (f->flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) {
		r->seen |= VMCLOCK_WUT_PUB_TAI;
		r->c[W_TAI_SIGN].checked++;
		/* UTC - TAI: -37 s today; a positive value is the sign error of
		 * UAPI.13 v1.0's example (spec 3) */
		if ((int16_t)f->tai_offset_sec > 0)
			finding(x, W_TAI_SIGN, rec, "tai_offset_sec %d with TAI_OFFSET_VALID: positive (UTC - TAI is zero or negative since 1972)",
			        (int)(int16_t)f->tai_offset_sec);
	}
	const uint64_t T = VMCLOCK_FLAG_TIME_ESTERROR_VALID | VMCLOCK_FLAG_TIME_MAXERROR_VALID;
	const uint64_t P = VMCLOCK_FLAG_PERIOD_ESTERROR_VALID | VMCLOCK_FLAG_PERIOD_MAXERROR_VALID;
	if ((f->flags & T) == T || (f->flags & P) == P)
		r->c[W_ERR_CONSISTENT].checked++;
	if ((f->flags & T) == T && f->time_maxerror_nanosec < f->time_esterror_nanosec)
		finding(x, W_ERR_CONSISTENT, rec, "time_maxerror_nanosec %" PRIu64 " < time_esterror_nanosec %" PRIu64,
		        f->time_maxerror_nanosec, f->time_esterror_nanosec);
	else if ((f->flags & P) == P &&
	         f->counter_period_maxerror_rate_frac_sec < f->counter_period_esterror_rate_frac_sec)
		finding(x, W_ERR_CONSISTENT, rec, "period maxerror rate 0x%" PRIx64 " < esterror rate 0x%" PRIx64,
		        f->counter_period_maxerror_rate_frac_sec, f->counter_period_esterror_rate_frac_sec);
}

/* ---- per update -------------------------------------------------------------------- */

struct stretch {
	struct vmclock_fields st;       /* the committed state */
	int valid, by_suite;            /* restored by the hypervisor, not the writer's */
	uint64_t since;                 /* counter when it became current */
	uint64_t last_seen;             /* counter of the last record still showing it */
};

struct markers {
	uint64_t *v;
	size_t n;
};

static int marker_used(const struct markers *m, uint64_t v)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i] == v)
			return 1;
	return 0;
}

static void marker_add(struct markers *m, uint64_t v)
{
	if (m->n < MAX_MARKERS && !marker_used(m, v))
		m->v[m->n++] = v;
}

struct judge_state {
	struct markers markers;
	int vmgen_any;
	uint64_t vmgen_max;             /* over the writer's own states */
	long restore_rec;               /* a RESTORE/CLONE marker not yet answered, -1 */
	uint32_t restore_kind;
	int time_ok;                    /* the header offers a counter relation and a time */
};

static void judge_update(struct ctx *x, struct judge_state *js, long rec, const struct stretch *o,
                         const struct vmclock_fields *n, uint64_t c_odd, uint64_t c_even)
{
	struct wj_result *r = x->r;
	const struct vmclock_fields *a = &o->st;
	char sa[300], sb[300];
	state_str(a, sa, sizeof sa);
	state_str(n, sb, sizeof sb);
	int marker_changed = a->disruption_marker != n->disruption_marker;
	x->update++;
	r->updates++;

	/* W-DISR-UNIQUE: a value the writer moves to must be new (the markers of
	 * restored snapshots count as used: a restored guest or a clone may have
	 * stored them). */
	if (marker_changed) {
		r->seen |= VMCLOCK_WUT_PUB_MARKER;
		r->c[W_DISR_UNIQUE].checked++;
		if (marker_used(&js->markers, n->disruption_marker))
			finding(x, W_DISR_UNIQUE, rec, "disruption_marker 0x%" PRIx64 " was used before; before: %s; after: %s",
			        n->disruption_marker, sa, sb);
		marker_add(&js->markers, n->disruption_marker);
	}

	/* W-VMGEN, W-VMGEN-DISR */
	int gen_a = (a->flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) != 0;
	int gen_n = (n->flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) != 0;
	if (gen_n) {
		r->c[W_VMGEN].checked++;
		if (js->restore_rec >= 0) {
			if (n->vm_generation_counter == a->vm_generation_counter ||
			    (js->vmgen_any && n->vm_generation_counter <= js->vmgen_max))
				finding(x, W_VMGEN, rec,
				        "first update after the %s at record %ld: vm_generation_counter 0x%" PRIx64
				        " is not new (restored page 0x%" PRIx64 ", highest before 0x%" PRIx64 ")",
				        trace_kind_name(js->restore_kind), js->restore_rec, n->vm_generation_counter,
				        a->vm_generation_counter, js->vmgen_max);
		} else if (gen_a && !o->by_suite && n->vm_generation_counter < a->vm_generation_counter) {
			finding(x, W_VMGEN, rec, "vm_generation_counter went back from 0x%" PRIx64 " to 0x%" PRIx64,
			        a->vm_generation_counter, n->vm_generation_counter);
		}
		if (gen_a && n->vm_generation_counter != a->vm_generation_counter) {
			r->c[W_VMGEN_DISR].checked++;
			if (!marker_changed)
				finding(x, W_VMGEN_DISR, rec,
				        "vm_generation_counter changed 0x%" PRIx64 " -> 0x%" PRIx64
				        " but disruption_marker stayed 0x%" PRIx64,
				        a->vm_generation_counter, n->vm_generation_counter, n->disruption_marker);
		}
		if (!js->vmgen_any || n->vm_generation_counter > js->vmgen_max)
			js->vmgen_max = n->vm_generation_counter;
		js->vmgen_any = 1;
	}
	js->restore_rec = -1;

	/* The time rules: only between two of the writer's states of one
	 * undisrupted stretch, on a page that offers time; on a sampled trace
	 * only between adjacent states (seq_count 2 apart: no update missed
	 * between the samples, whose promises would add up). */
	if (!js->time_ok || o->by_suite || marker_changed)
		return;
	if (!(x->t->flags & WTRACE_F_EXACT) && (uint32_t)(n->seq_count - a->seq_count) != 2)
		return;
	int leap = a->leap_indicator != n->leap_indicator; /* "leap seconds aside" */
	int mono_broken = 0;
	if ((a->flags & n->flags & VMCLOCK_FLAG_TIME_MONOTONIC) && !leap) {
		r->c[W_MONO].checked++;
		struct vmclock_tm_time t_old = time_at(a, c_odd), t_new = time_at(n, c_even);
		s128 d = tdiff(t_new, t_old);
		if (d < 0) {
			mono_broken = 1;
			finding(x, W_MONO, rec,
			        "time went back %.3f ns: old state at counter 0x%" PRIx64 " (seq odd) %" PRIu64 ".%016" PRIx64
			        ", new state at 0x%" PRIx64 " (seq even) %" PRIu64 ".%016" PRIx64 "; before: %s; after: %s",
			        -frac_ns(d), c_odd, t_old.sec, t_old.frac, c_even, t_new.sec, t_new.frac, sa, sb);
		}
	}
	if (leap)
		return;
	uint64_t me = maxerr_at(a, c_even);
	if (me == UINT64_MAX)
		return;                     /* no promise made */
	/* W-DISR-STEP: at the update, the new time is within what the old state
	 * advertised, or the marker changed. */
	r->c[W_DISR_STEP].checked++;
	s128 step = tdiff(time_at(n, c_even), time_at(a, c_even));
	s128 lim = ns_frac(me) + ns_frac(1);   /* a ns of rounding either way */
	if (step > lim || -step > lim) {
		if (!mono_broken)
			finding(x, W_DISR_STEP, rec,
			        "time stepped %.3f ns at counter 0x%" PRIx64 ", advertised max error %" PRIu64
			        " ns, disruption_marker unchanged 0x%" PRIx64 "; before: %s; after: %s",
			        frac_ns(step), c_even, me, n->disruption_marker, sa, sb);
		return;                     /* a step is W-DISR-STEP's, not W-ERR-BOUNDS' */
	}
	/* W-ERR-BOUNDS over the rest of the old state's window: both ends
	 * suffice (both sides of the promise and the new time are linear in
	 * the counter). */
	if (!(a->flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID))
		return;
	uint64_t lo = o->since;
	if (lo - a->counter_value >= (UINT64_C(1) << 63))
		lo = a->counter_value;      /* readings before counter_value: none promised */
	if (lo - c_even < (UINT64_C(1) << 63) && lo != c_even)
		lo = c_even;
	r->c[W_ERR_BOUNDS].checked++;
	uint64_t me_lo = maxerr_at(a, lo);
	s128 off = tdiff(time_at(n, lo), time_at(a, lo));
	s128 lim_lo = ns_frac(me_lo) + ns_frac(1);
	if (off > lim_lo || -off > lim_lo)
		finding(x, W_ERR_BOUNDS, rec,
		        "for the earlier reading at counter 0x%" PRIx64 " the new state gives %.3f ns off the old state's time, "
		        "outside its promised max error %" PRIu64 " ns; before: %s; after: %s",
		        lo, frac_ns(off), me_lo, sa, sb);
}

/* ---- the walk ------------------------------------------------------------------------- */

static void finish(struct ctx *x)
{
	struct wj_result *r = x->r;
	uint32_t have = r->seen | r->declared;
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		struct wj_clause *k = &r->c[c];
		const struct vmclock_clause_desc *d = &vmclock_clauses[c];
		k->judged = 1;
		if (k->findings)
			k->verdict = d->level == VMCLOCK_MUST ? VMCLOCK_FAIL : VMCLOCK_WARN;
		else if (d->needs && !(have & d->needs))
			k->verdict = VMCLOCK_NOT_SUPPORTED;
		else
			k->verdict = VMCLOCK_PASS;
	}
	/* W-DISR-STEP and the time rules also need a counter relation */
	static const enum vmclock_clause timed[] = { W_MONO, W_DISR_STEP, W_ERR_BOUNDS };
	for (size_t i = 0; i < sizeof timed / sizeof timed[0]; i++)
		if (!(have & VMCLOCK_WUT_PUB_TIME) && !r->c[timed[i]].findings)
			r->c[timed[i]].verdict = VMCLOCK_NOT_SUPPORTED;
}

int wjudge_conformant(const struct wj_result *r)
{
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++)
		if (r->c[c].verdict == VMCLOCK_FAIL && vmclock_clauses[c].level == VMCLOCK_MUST)
			return 0;
	return 1;
}

static int has_init(const struct wtrace *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rec[i].type == WTRACE_EVENT && t->rec[i].ev.kind == VMCLOCK_WUT_INIT)
			return 1;
	return 0;
}

static void publish(struct ctx *x, struct judge_state *js, long rec, const uint8_t *img, struct stretch *cur,
                    uint8_t hdr[16])
{
	const struct wtrace *t = x->t;
	struct wj_result *r = x->r;
	struct vmclock_fields f;
	vmclock_decode(img, t->image_len, &f);
	memcpy(hdr, img, 12);
	r->published_at = rec;
	r->c[W_HDR_VALID].checked++;
	if (f.magic != VMCLOCK_MAGIC)
		finding(x, W_HDR_VALID, rec, "magic 0x%08" PRIx64 " (want 0x%08x)", f.magic, VMCLOCK_MAGIC);
	else if (f.version != VMCLOCK_VERSION)
		finding(x, W_HDR_VALID, rec, "version %" PRIu64 " (want 1)", f.version);
	else if (f.size < 104 || (t->region_len && f.size > t->region_len))
		finding(x, W_HDR_VALID, rec, "size %" PRIu64 " (want 104..%u, the region)", f.size,
		        t->region_len ? t->region_len : 65536u);
	else if (f.counter_id != VMCLOCK_COUNTER_ARM_VCNT && f.counter_id != VMCLOCK_COUNTER_X86_TSC &&
	         f.counter_id != VMCLOCK_COUNTER_INVALID)
		finding(x, W_HDR_VALID, rec, "counter_id %" PRIu64 " (known: 0, 1, 0xff)", f.counter_id);
	else if (f.time_type > VMCLOCK_TIME_MONOTONIC)
		finding(x, W_HDR_VALID, rec, "time_type %" PRIu64 " (want 0..2)", f.time_type);
	js->time_ok = f.counter_id != VMCLOCK_COUNTER_INVALID && f.time_type <= VMCLOCK_TIME_MONOTONIC;
	if (js->time_ok)
		r->seen |= VMCLOCK_WUT_PUB_TIME;
	if ((t->flags & WTRACE_F_EXACT) && (f.seq_count & 1))
		finding(x, W_SEQ_PROTOCOL, rec, "published with seq_count 0x%" PRIx64 " odd (an update in progress)",
		        f.seq_count);
	cur->st = f;
	cur->valid = !(f.seq_count & 1);
	cur->by_suite = 0;
	cur->since = cur->last_seen = t->rec[rec].counter;
	if (cur->valid) {
		judge_state(x, rec, &f);
		marker_add(&js->markers, f.disruption_marker);
		if (f.flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) {
			js->vmgen_any = 1;
			js->vmgen_max = f.vm_generation_counter;
		}
	}
}

void wjudge(const struct wtrace *t, uint32_t declared, struct wj_result *r)
{
	memset(r, 0, sizeof *r);
	r->declared = declared;
	r->published_at = -1;
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++)
		r->c[c].rec = r->c[c].event = -1;
	struct ctx x = { .t = t, .r = r, .event = -1 };
	struct judge_state js = { .restore_rec = -1 };
	js.markers.v = calloc(MAX_MARKERS, sizeof *js.markers.v);
	if (!js.markers.v) {
		finish(&x);
		return;
	}
	const int exact = (t->flags & WTRACE_F_EXACT) != 0;
	const size_t plen = t->image_len < VMCLOCK_ABI_SIZE ? t->image_len : VMCLOCK_ABI_SIZE;
	int waiting_init = has_init(t), in_init = 0, published = 0;
	uint8_t hdr[16];
	static const uint8_t zero[WTRACE_IMAGE_MAX];
	const uint8_t *prev = zero;
	struct stretch cur = { 0 };
	uint64_t odd_at = 0;             /* counter when seq_count last became odd */
	int torn = 0;                    /* a protocol violation since the last committed state */

	for (size_t i = 0; i < t->n; i++) {
		const struct wtrace_rec *q = &t->rec[i];
		if (q->type == WTRACE_EVENT || q->type == WTRACE_END) {
			if (!published && in_init && prev != zero) {
				publish(&x, &js, (long)i, prev, &cur, hdr);
				published = 1;
			}
			if (q->type == WTRACE_END) {
				r->end_reason = q->reason;
				snprintf(r->end_text, sizeof r->end_text, "%.*s", (int)(q->text_len < 200 ? q->text_len : 200),
				         q->text);
				continue;
			}
			r->events++;
			x.event = (long)q->ev.index;
			x.event_kind = q->ev.kind;
			if (q->ev.kind == VMCLOCK_WUT_INIT && waiting_init)
				in_init = 1;
			if (q->ev.kind == VMCLOCK_WUT_RESTORE || q->ev.kind == VMCLOCK_WUT_CLONE) {
				js.restore_rec = (long)i;
				js.restore_kind = q->ev.kind;
			}
			continue;
		}
		/* IMAGE */
		r->images++;
		const uint8_t *img = q->image;
		if (!(q->flags & WTRACE_IMG_SUITE))
			r->stores++;
		if (!published) {
			if (!waiting_init) {
				publish(&x, &js, (long)i, img, &cur, hdr);
				published = 1;
			}
			prev = img;
			continue;
		}
		struct vmclock_fields f;
		vmclock_decode(img, t->image_len, &f);
		if (q->flags & WTRACE_IMG_SUITE) {
			/* the hypervisor put a snapshot back: a new stretch, not an update */
			cur.st = f;
			cur.valid = !(f.seq_count & 1);
			cur.by_suite = 1;
			cur.since = cur.last_seen = q->counter;
			marker_add(&js.markers, f.disruption_marker);
			prev = img;
			continue;
		}
		/* W-HDR-CONST */
		r->c[W_HDR_CONST].checked++;
		if (memcmp(img, hdr, 12) != 0) {
			struct vmclock_fields h0;
			vmclock_decode(hdr, 12, &h0);
			finding(&x, W_HDR_CONST, (long)i,
			        "header changed after init: magic 0x%" PRIx64 "->0x%" PRIx64 " size %" PRIu64 "->%" PRIu64
			        " version %" PRIu64 "->%" PRIu64 " counter_id %" PRIu64 "->%" PRIu64 " time_type %" PRIu64
			        "->%" PRIu64,
			        h0.magic, f.magic, h0.size, f.size, h0.version, f.version, h0.counter_id, f.counter_id,
			        h0.time_type, f.time_type);
			memcpy(hdr, img, 12);   /* one finding per change, not per later image */
		}
		/* W-SEQ-PROTOCOL */
		uint32_t ps = (uint32_t)prev[12] | (uint32_t)prev[13] << 8 | (uint32_t)prev[14] << 16 | (uint32_t)prev[15] << 24;
		uint32_t cs = (uint32_t)f.seq_count;
		int fields = plen > PROT_LO && memcmp(img + PROT_LO, prev + PROT_LO, plen - PROT_LO) != 0;
		r->c[W_SEQ_PROTOCOL].checked++;
		unsigned seq_before = r->c[W_SEQ_PROTOCOL].findings;
		/* samples miss images: there, only a change with seq_count still
		 * the same even value proves a store while even */
		if (fields && (ps & 1) == 0 && (exact || cs == ps))
			finding(&x, W_SEQ_PROTOCOL, (long)i,
			        "protected fields changed while seq_count was even (0x%08" PRIx32 "->0x%08" PRIx32 ")%s: store of %u bytes at offset %u",
			        ps, cs, cs != ps ? ", in the same store as seq_count" : "", q->store_len, q->store_off);
		else if (exact && fields && cs != ps)
			finding(&x, W_SEQ_PROTOCOL, (long)i,
			        "protected fields changed in the same store that made seq_count even (0x%08" PRIx32 "->0x%08" PRIx32 "): store of %u bytes at offset %u",
			        ps, cs, q->store_len, q->store_off);
		else if (exact && cs != ps && cs != ps + 1u)
			finding(&x, W_SEQ_PROTOCOL, (long)i, "seq_count stepped 0x%08" PRIx32 " -> 0x%08" PRIx32 " (want +1, wrapping at 2^32)",
			        ps, cs);
		if (r->c[W_SEQ_PROTOCOL].findings != seq_before)
			torn = 1;
		if ((cs & 1) && !(ps & 1))
			odd_at = q->counter;
		if (!(cs & 1)) {
			/* a new committed state: differs from the last one (not just
			 * from the previous image) in seq_count or a protected field */
			int changed = !cur.valid;
			if (cur.valid) {
				uint8_t enc[VMCLOCK_ABI_SIZE];
				vmclock_encode(&cur.st, enc);
				changed = memcmp(img + 12, enc + 12, plen - 12) != 0;
			}
			if (changed && torn) {
				/* a state a protocol violation exposed (fields stored while
				 * even): W-SEQ-PROTOCOL's finding; no other clause judges
				 * it, nor the update that leaves it */
				cur.st = f;
				cur.valid = 1;
				cur.by_suite = 1;
				cur.since = q->counter;
				marker_add(&js.markers, f.disruption_marker);
				torn = 0;
			} else if (changed) {
				struct vmclock_fields cf = f;
				judge_state(&x, (long)i, &cf);
				if (cur.valid) {
					/* the counters around the switch: exact traces know when
					 * seq_count became odd; samples only bracket it */
					uint64_t c_odd = exact ? ((ps & 1) ? odd_at : q->counter) : cur.last_seen;
					judge_update(&x, &js, (long)i, &cur, &cf, c_odd, q->counter);
				} else {
					marker_add(&js.markers, cf.disruption_marker);
				}
				cur.st = cf;
				cur.valid = 1;
				cur.by_suite = 0;
				cur.since = q->counter;
			}
			cur.last_seen = q->counter;
		}
		prev = img;
	}
	if (published && exact) {
		uint32_t ps = (uint32_t)prev[12] | (uint32_t)prev[13] << 8 | (uint32_t)prev[14] << 16 | (uint32_t)prev[15] << 24;
		if ((ps & 1) && r->end_reason == WTRACE_END_OK)
			finding(&x, W_SEQ_PROTOCOL, (long)t->n - 1, "the trace ends with seq_count 0x%08" PRIx32 " odd: an update never finished",
			        ps);
	}
	if (js.restore_rec >= 0 && (r->seen & VMCLOCK_WUT_PUB_VMGEN))
		finding(&x, W_VMGEN, js.restore_rec, "no update followed the %s: vm_generation_counter never changed",
		        trace_kind_name(js.restore_kind));
	/* A writer that crashed, hung or failed left its update unjudgeable:
	 * the protocol's (an update must finish), with what happened. */
	if (r->end_reason == WTRACE_END_CRASH || r->end_reason == WTRACE_END_HANG || r->end_reason == WTRACE_END_ERROR)
		finding(&x, W_SEQ_PROTOCOL, t->n ? (long)t->n - 1 : 0, "%s (the scenario stopped there)", r->end_text);
	if (!published)
		finding(&x, W_HDR_VALID, t->n ? (long)t->n - 1 : 0, "the page was never published (no image after init)");
	free(js.markers.v);
	finish(&x);
}
