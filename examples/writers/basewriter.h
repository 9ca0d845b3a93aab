/* basewriter.h - the shared body of the bundled writers (examples only).
 *
 * One correct, parameterised writer (bw_event) plus knobs: what it
 * publishes (a QEMU-like header and marker, a Firecracker-like marker and
 * generation counter, a host daemon's full time with error bounds and
 * MONOTONIC) and one defect knob per known-bad writer, so each bad writer
 * is "a correct writer with one realistic bug" that the suite must fail on
 * exactly the clause the bug breaks.
 *
 * What the correct writer does, and the clause each habit keeps:
 *   - every update: seq_count +1 (odd), fields, seq_count +1 (even), with
 *     release fences, seq_count continued from the page (a restored page
 *     carries the snapshot's) and wrapping at 2^32 (W-SEQ-PROTOCOL);
 *   - the header is written once, at INIT, before the guest can look
 *     (W-HDR-VALID, W-HDR-CONST);
 *   - markers are drawn from the event's entropy, never derived from the
 *     page (W-DISR-UNIQUE), and change on migration, restore, clone, a
 *     counter frequency change, and whenever the new time would leave what
 *     the last state promised for the readings made under it, at its start
 *     or at the update (W-DISR-STEP, W-ERR-BOUNDS);
 *   - with MONOTONIC, a time that would go back (within the promise) is
 *     held at the old state's time at the update counter, and the max
 *     error grows by what it held back (W-MONO, honest bounds);
 *   - vm_generation_counter is kept host-side, above anything the page
 *     ever held, +1 on restore and clone, with a new marker in the same
 *     update (W-VMGEN, W-VMGEN-DISR);
 *   - max error >= estimated error, tai_offset_sec = UTC - TAI, only
 *     defined flag bits and enum values (W-ERR-CONSISTENT, W-TAI-SIGN,
 *     W-ENUM-RANGE).
 * Leap seconds: LEAP_AHEAD sets PRE_POS/PRE_NEG, LEAP_PASSED sets POST_POS
 * (or POST_NEG) and the new TAI offset, and steps UTC with no new marker
 * ("leap seconds aside"). */
#ifndef VMCLOCK_EXAMPLES_BASEWRITER_H
#define VMCLOCK_EXAMPLES_BASEWRITER_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "abi.h"
#include "timemath.h"
#include "vmclock_wut.h"

struct bw_config {
	const char *name;
	int time;            /* a counter relation and time (else counter INVALID, no time) */
	int errors;          /* error bounds and their VALID flags */
	int monotonic;       /* TIME_MONOTONIC */
	int vmgen;           /* VM_GEN_COUNTER_PRESENT */
	int tai;             /* TAI_OFFSET_VALID */
	uint32_t seq_start;
	/* defects: one per known-bad writer */
	int fields_while_even;  /* writes the time fields before making seq_count odd -> W-SEQ-PROTOCOL */
	int seq_step2;          /* seq_count += 2 at begin and at end                  -> W-SEQ-PROTOCOL */
	int seq_31bit;          /* seq_count kept in 31 bits: 0x7fffffff -> 0          -> W-SEQ-PROTOCOL */
	int marker_from_page;   /* new marker = the page's marker + 1                  -> W-DISR-UNIQUE */
	int mono_calib;         /* no MONOTONIC hold at calibrations                   -> W-MONO */
	int no_step_marker;     /* marker only on migration/restore/clone/frequency    -> W-DISR-STEP */
	int vmgen_no_marker;    /* restore and clone: new vmgen, same marker           -> W-VMGEN-DISR */
	int vmgen_from_page;    /* new vmgen = the page's vmgen + 1                    -> W-VMGEN */
	int slope_x1000;        /* calibration's period correction applied x1000 (ppb as ppm),
	                           time kept continuous at every update              -> W-ERR-BOUNDS */
	int max_below_est;      /* time_maxerror and time_esterror swapped            -> W-ERR-CONSISTENT */
	int tai_positive;       /* tai_offset_sec = TAI - UTC (+37)                   -> W-TAI-SIGN */
	int private_flag;       /* a vendor flag in reserved bit 10                    -> W-ENUM-RANGE */
	int header_on_migrate;  /* rewrites size (112) at a migration                  -> W-HDR-CONST */
	int size_two_pages;     /* publishes size 8192 in a 4096-byte region          -> W-HDR-VALID */
};

static struct {
	int booted;
	uint64_t vmgen_host;       /* above anything the page ever held */
	uint64_t last_period_est;  /* for slope_x1000 */
	uint8_t leap;
} bw;

/* The page as fields (host order). */
static void bw_load(const volatile uint8_t *p, size_t len, struct vmclock_fields *f)
{
	uint8_t b[VMCLOCK_ABI_SIZE];
	size_t n = len < VMCLOCK_ABI_SIZE ? len : VMCLOCK_ABI_SIZE;
	for (size_t i = 0; i < n; i++)
		b[i] = p[i];
	vmclock_decode(b, n, f);
}

/* One little-endian store of the field's natural width. */
static void bw_store(volatile uint8_t *p, size_t i, uint64_t v)
{
	const struct vmclock_field_desc *d = &vmclock_field_table[i];
	volatile uint8_t *a = p + d->offset;
	switch (d->size) {
	case 8: *(volatile uint64_t *)a = vmclock_le64(v); break;
	case 4: *(volatile uint32_t *)a = vmclock_le32((uint32_t)v); break;
	case 2: *(volatile uint16_t *)a = vmclock_le16((uint16_t)v); break;
	default: *a = (uint8_t)v;
	}
}

static size_t bw_index(size_t off)
{
	for (size_t i = 0; i < vmclock_field_count; i++)
		if (vmclock_field_table[i].offset == off)
			return i;
	return 0;
}

/* Time of state s at counter c, backwards too (for the promise check). */
__extension__ typedef unsigned __int128 bw_u128;
__extension__ typedef __int128 bw_s128;
static bw_s128 bw_time(const struct vmclock_fields *s, uint64_t c)
{
	unsigned sh = (unsigned)s->counter_period_shift;
	bw_u128 base = ((bw_u128)s->time_sec << 64) | s->time_frac_sec;
	bw_u128 x;
	if (c - s->counter_value < (UINT64_C(1) << 63)) {
		struct vmclock_tm_time t = vmclock_tm_at(s->time_sec, s->time_frac_sec, s->counter_value,
		                                         s->counter_period_frac_sec, sh, c);
		x = ((bw_u128)t.sec << 64) | t.frac;
	} else {
		bw_u128 prod = (bw_u128)(s->counter_value - c) * s->counter_period_frac_sec;
		bw_u128 q = sh < 128 ? prod >> sh : 0;
		if ((sh < 128 ? (prod & (((bw_u128)1 << sh) - 1)) : prod) != 0)
			q++;
		x = base - q;
	}
	/* relative to a fixed second so the difference fits */
	return (bw_s128)x;
}

static uint64_t bw_maxerr(const struct vmclock_fields *s, uint64_t c)
{
	uint64_t d = c - s->counter_value;
	if (d >= (UINT64_C(1) << 63))
		d = s->counter_value - c;
	uint64_t rate = (s->flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID) ? s->counter_period_maxerror_rate_frac_sec : 0;
	return vmclock_tm_error_ns(s->time_maxerror_nanosec, rate, (unsigned)s->counter_period_shift, d);
}

static bw_s128 bw_ns(uint64_t ns) { return (bw_s128)((((bw_u128)ns << 64)) / 1000000000u); }

/* Does new state n keep old state o's promise for readings at o's start and
 * at the update counter c? */
static int bw_keeps_promise(const struct vmclock_fields *o, const struct vmclock_fields *n, uint64_t c)
{
	if (!(o->flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID))
		return 1;
	const uint64_t at[2] = { o->counter_value, c };
	for (int i = 0; i < 2; i++) {
		bw_s128 d = bw_time(n, at[i]) - bw_time(o, at[i]);
		bw_s128 lim = bw_ns(bw_maxerr(o, at[i]));
		if (d > lim || -d > lim)
			return 0;
	}
	return 1;
}

/* Write `to` over the page in one update (only the fields that change). */
static void bw_update(const struct bw_config *cfg, volatile uint8_t *p, const struct vmclock_fields *from,
                      struct vmclock_fields *to)
{
	uint64_t seq = from->seq_count;
	size_t iseq = bw_index(VMCLOCK_OFF_seq_count);
	uint64_t step = cfg->seq_step2 ? 2 : 1;
	uint64_t mask = cfg->seq_31bit ? 0x7fffffffu : 0xffffffffu;
	if (cfg->fields_while_even) {
		/* the bug: the time first, "it is only one field" */
		bw_store(p, bw_index(VMCLOCK_OFF_time_sec), to->time_sec);
		bw_store(p, bw_index(VMCLOCK_OFF_time_frac_sec), to->time_frac_sec);
	}
	bw_store(p, iseq, (seq + step) & mask);
	atomic_thread_fence(memory_order_release);
	for (size_t i = 0; i < vmclock_field_count; i++) {
		if (!vmclock_field_table[i].protected_by_seq || i == iseq)
			continue;
		if (vmclock_field_table[i].offset + vmclock_field_table[i].size > VMCLOCK_ABI_SIZE)
			continue;
		if (vmclock_field_get(to, i) != vmclock_field_get(from, i))
			bw_store(p, i, vmclock_field_get(to, i));
	}
	atomic_thread_fence(memory_order_release);
	to->seq_count = (seq + 2 * step) & mask;
	bw_store(p, iseq, to->seq_count);
}

static uint64_t bw_flags(const struct bw_config *cfg)
{
	uint64_t f = 0;
	if (cfg->errors)
		f |= VMCLOCK_FLAG_TIME_ESTERROR_VALID | VMCLOCK_FLAG_TIME_MAXERROR_VALID |
		     VMCLOCK_FLAG_PERIOD_ESTERROR_VALID | VMCLOCK_FLAG_PERIOD_MAXERROR_VALID;
	if (cfg->monotonic)
		f |= VMCLOCK_FLAG_TIME_MONOTONIC;
	if (cfg->vmgen)
		f |= VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
	if (cfg->tai)
		f |= VMCLOCK_FLAG_TAI_OFFSET_VALID;
	if (cfg->private_flag)
		f |= 1ull << 10;
	return f;
}

/* The host's time as the new state's time fields. */
static void bw_set_time(const struct bw_config *cfg, const struct vmclock_wut_event *ev, struct vmclock_fields *n)
{
	n->counter_value = ev->counter;
	n->counter_period_frac_sec = ev->period_frac;
	n->counter_period_shift = ev->period_shift;
	n->time_sec = ev->time_sec;
	n->time_frac_sec = ev->time_frac;
	if (cfg->errors) {
		n->time_esterror_nanosec = cfg->max_below_est ? ev->time_maxerror_ns : ev->time_esterror_ns;
		n->time_maxerror_nanosec = cfg->max_below_est ? ev->time_esterror_ns : ev->time_maxerror_ns;
		n->counter_period_esterror_rate_frac_sec = ev->period_esterror;
		n->counter_period_maxerror_rate_frac_sec = ev->period_maxerror;
	}
	n->clock_status = ev->clock_status;
	n->tai_offset_sec = (uint16_t)(cfg->tai_positive ? -ev->tai_offset_sec : ev->tai_offset_sec);
}

static uint64_t bw_new_marker(const struct bw_config *cfg, const struct vmclock_fields *page,
                              const struct vmclock_wut_event *ev)
{
	return cfg->marker_from_page ? page->disruption_marker + 1 : ev->entropy;
}

static int bw_event(const struct bw_config *cfg, volatile void *page, size_t len, const struct vmclock_wut_event *ev)
{
	volatile uint8_t *p = page;
	if (len < VMCLOCK_ABI_SIZE)
		return -1;
	struct vmclock_fields o, n;
	if (ev->kind == VMCLOCK_WUT_INIT) {
		/* Not visible yet: fill the page in any order, seq_count even. */
		memset(&n, 0, sizeof n);
		n.magic = VMCLOCK_MAGIC;
		n.size = cfg->size_two_pages ? 8192 : (len < 4096 ? len : 4096);
		n.version = VMCLOCK_VERSION;
		n.counter_id = cfg->time ? VMCLOCK_COUNTER_NATIVE : VMCLOCK_COUNTER_INVALID;
		n.time_type = VMCLOCK_TIME_UTC;
		n.seq_count = cfg->seq_start;
		n.disruption_marker = ev->entropy;
		n.flags = bw_flags(cfg);
		if (cfg->time)
			bw_set_time(cfg, ev, &n);
		if (cfg->vmgen)
			n.vm_generation_counter = bw.vmgen_host = 1;
		bw.last_period_est = ev->period_frac;
		for (size_t i = 0; i < vmclock_field_count; i++)
			bw_store(p, i, vmclock_field_get(&n, i));
		bw.booted = 1;
		return 0;
	}
	if (!bw.booted)
		return -1;
	bw_load(p, len, &o);
	n = o;
	int disrupt = 0, restore = 0;
	switch (ev->kind) {
	case VMCLOCK_WUT_MIGRATE:
	case VMCLOCK_WUT_FREQ_CHANGE:
		disrupt = 1;
		break;
	case VMCLOCK_WUT_RESTORE:
	case VMCLOCK_WUT_CLONE:
		disrupt = !cfg->vmgen_no_marker;
		restore = 1;
		break;
	case VMCLOCK_WUT_LEAP_AHEAD:
		bw.leap = ev->leap < 0 ? VMCLOCK_LEAP_PRE_NEG : VMCLOCK_LEAP_PRE_POS;
		break;
	case VMCLOCK_WUT_LEAP_PASSED:
		bw.leap = bw.leap == VMCLOCK_LEAP_PRE_NEG ? VMCLOCK_LEAP_POST_NEG : VMCLOCK_LEAP_POST_POS;
		break;
	case VMCLOCK_WUT_SHUTDOWN:
		return 0;                        /* the page is consistent: nothing to do */
	default:
		break;
	}
	if (cfg->time)
		n.leap_indicator = bw.leap;
	if (restore && cfg->vmgen) {
		if (cfg->vmgen_from_page)
			bw.vmgen_host = o.vm_generation_counter + 1;
		else
			bw.vmgen_host = (o.vm_generation_counter > bw.vmgen_host ? o.vm_generation_counter : bw.vmgen_host) + 1;
		n.vm_generation_counter = bw.vmgen_host;
	}
	if (cfg->time && ev->kind != VMCLOCK_WUT_LEAP_AHEAD) {
		bw_set_time(cfg, ev, &n);
		int leap = n.leap_indicator != o.leap_indicator;   /* "leap seconds aside" */
		/* the time rules bind the writer only within one undisrupted
		 * stretch of its own states (a restored page is not its state) */
		int own = !disrupt && !leap && !restore;
		if (cfg->slope_x1000 && own) {
			/* the bug: ppb read as ppm. Time stays continuous at the update,
			 * the whole interval takes the wrong slope. */
			struct vmclock_tm_time t = vmclock_tm_at(o.time_sec, o.time_frac_sec, o.counter_value,
			                                         o.counter_period_frac_sec, (unsigned)o.counter_period_shift,
			                                         ev->counter);
			n.time_sec = t.sec;
			n.time_frac_sec = t.frac;
			n.time_maxerror_nanosec = o.time_maxerror_nanosec;
			n.time_esterror_nanosec = o.time_esterror_nanosec;
			int64_t corr = (int64_t)(ev->period_frac - bw.last_period_est);
			n.counter_period_frac_sec = ev->kind == VMCLOCK_WUT_CALIBRATE
			                            ? (uint64_t)((int64_t)ev->period_frac + corr * 1000)
			                            : o.counter_period_frac_sec;
		} else if (own) {
			bw_s128 d = bw_time(&n, ev->counter) - bw_time(&o, ev->counter);
			int hold = cfg->monotonic && d < 0 && !(cfg->mono_calib && ev->kind == VMCLOCK_WUT_CALIBRATE);
			if (hold && -d <= bw_ns(bw_maxerr(&o, ev->counter))) {
				/* MONOTONIC: hold the time, widen the bound by what was held */
				struct vmclock_tm_time t = vmclock_tm_at(o.time_sec, o.time_frac_sec, o.counter_value,
				                                         o.counter_period_frac_sec,
				                                         (unsigned)o.counter_period_shift, ev->counter);
				n.time_sec = t.sec;
				n.time_frac_sec = t.frac;
				uint64_t held = (uint64_t)((-d * 1000000000) >> 64) + 1;
				n.time_maxerror_nanosec += held;
			}
			if (cfg->errors && !cfg->no_step_marker && !bw_keeps_promise(&o, &n, ev->counter))
				disrupt = 1;            /* a step beyond what was promised */
		}
	}
	if (ev->kind == VMCLOCK_WUT_CALIBRATE)
		bw.last_period_est = ev->period_frac;
	if (disrupt)
		n.disruption_marker = bw_new_marker(cfg, &o, ev);
	if (cfg->header_on_migrate && ev->kind == VMCLOCK_WUT_MIGRATE)
		bw_store(p, bw_index(VMCLOCK_OFF_size), 112);
	if (!memcmp(&n, &o, sizeof n))
		return 0;                        /* nothing changed: no update */
	bw_update(cfg, p, &o, &n);
	return 0;
}

/* Each bundled writer: its config, the two contract functions. */
#define BW_WRITER(cfgname, pubs)                                                                     \
	int vmclock_wut_event(volatile void *page, size_t len, const struct vmclock_wut_event *ev)   \
	{                                                                                            \
		return bw_event(&cfgname, page, len, ev);                                            \
	}                                                                                            \
	const struct vmclock_wut_info *vmclock_wut_info(void)                                        \
	{                                                                                            \
		static const struct vmclock_wut_info i = { VMCLOCK_WUT_CONTRACT_VERSION, 0, "1.0", (pubs), 0 }; \
		static struct vmclock_wut_info j;                                                    \
		j = i;                                                                               \
		j.name = cfgname.name;                                                               \
		return &j;                                                                           \
	}

#endif
