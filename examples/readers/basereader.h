/* basereader.h - the shared body of the bundled KNOWN-BAD readers.
 *
 * One correct, parameterised reader (br_read) plus a struct of defect knobs.
 * Each examples/readers/bad_*.c turns on exactly one knob, so every bad
 * reader is "a correct reader with one realistic bug" and the suite must
 * fail it on exactly the clauses that bug breaks (spec section 4).
 *
 * With every knob off, br_read follows the same rules as the reference
 * reader (reference/reader.c): header checks (R-HDR-MAGIC, R-HDR-VERSION,
 * R-HDR-SIZE), fields present only when they end inside size, seqcount loop
 * with odd check and re-check (R-SEQ-ODD, R-SEQ-TORN, R-SEQ-WRAP), retries
 * bounded in count and wall time (R-SEQ-BOUNDED), counter read inside the
 * seq window (R-SEQ-WINDOW), 128-bit product and any shift 0..255
 * (R-TIME-EXACT, R-TIME-SHIFT), floor to ns, error bounds rounded up
 * (R-ERR-BOUND, via the reference vmclock_tm_error_ns), flags honoured
 * (R-ERR-FLAGS, R-TIME-TAI, R-VMGEN), UNRELIABLE -> NO_TIME.
 *
 * The good bundled readers (reference.c, linux_style.c, errbounds.c,
 * linux_v613.c, linux_current.c, short_refuser.c) do NOT use this header:
 * they are independent implementations.
 *
 * Not part of the installed API; examples only. */
#ifndef VMCLOCK_EXAMPLES_BASEREADER_H
#define VMCLOCK_EXAMPLES_BASEREADER_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "timemath.h"
#include "vmclock_iut.h"

struct br_snap;

/* One knob per modelled defect. All zero = a correct reader. */
struct br_defects {
	/* header */
	int no_magic;         /* never checks magic                        -> R-HDR-MAGIC */
	int no_version;       /* never checks version                      -> R-HDR-VERSION */
	int size_trusted;     /* accepts size > len (still never loads past
	                         the mapping, so it does not crash)         -> R-HDR-SIZE */
	int draft_struct;     /* ignores size; uses every field of its
	                         compiled-in 104-byte draft struct           -> R-HDR-SIZE */
	int vmgen_nocheck;    /* reports vm_generation_counter whenever the
	                         mapping holds it                           -> R-VMGEN */
	int counter_ignored;  /* computes time whatever counter_id says    -> R-HDR-COUNTER */
	int counter_foreign;  /* computes time for the other architecture's
	                         counter too (not INVALID, not unknown ids) -> R-HDR-COUNTER */
	int timetype_smeared; /* treats time_type 3/4 as usable            -> R-HDR-TIMETYPE */
	int timetype_smeared3; /* treats time_type 3 (INVALID_SMEARED) as
	                         usable, but not 4                     -> R-HDR-TIMETYPE */
	/* arithmetic (confined to shift < 64, see br_time) */
	int mul64;            /* 64-bit delta * period, overflows          -> R-TIME-EXACT */
	int shift_first;      /* (period >> shift) * delta                  -> R-TIME-EXACT */
	int lost_carry;       /* frac overflow not carried into seconds     -> R-TIME-EXACT */
	int shift_mask;       /* shift & 63, like an x86 64-bit shift       -> R-TIME-SHIFT */
	/* flags and derived values */
	int tai_unsigned;     /* tai_offset_sec as uint16                   -> R-TIME-TAI */
	int tai_noflag;       /* tai offset without TAI_OFFSET_VALID        -> R-TIME-TAI */
	int err_noflag;       /* error bounds without TIME_*ERROR_VALID     -> R-ERR-FLAGS */
	int err_norate;       /* maxerror without the rate x delta term     -> R-ERR-BOUND */
	int unreliable_ok;    /* time for clock_status UNRELIABLE           -> R-STAT-UNRELIABLE */
	int status_kept;      /* never passes clock_status, leap or flags on
	                         (not a defect by itself: with unreliable_ok,
	                         a FAIL and WARNs in one clause)            */
	int marker_cache;     /* marker cached, keyed on seq_count only     -> R-DISR-MARKER */
	/* seqcount */
	int odd_ignored;      /* never tests the odd bit                    -> R-SEQ-ODD */
	int spin_forever;     /* unbounded wait while seq is odd            -> R-SEQ-BOUNDED */
	/* robustness */
	int assert_reserved;  /* abort() on reserved flag bits              -> R-ROB-NOCRASH */
	int writes_page;      /* clears reserved flag bits in the page      -> R-ROB-NOCRASH */
	/* seqcount under a concurrent writer (issue 4; judged by the
	 * interleaving engine, harmless on static pages) */
	int no_recheck;       /* no second seq_count load: odd bit tested on
	                         the first load only                  -> R-SEQ-TORN R-SEQ-ODD */
	int gt_compare;       /* retries only when seq2 > seq1 (odd bit still
	                         tested on both): misses 0xfffffffe -> 0 -> R-SEQ-WRAP */
	int fields_after_check; /* time_sec/time_frac_sec loaded after the
	                         second seq check, outside the window  -> R-SEQ-TORN R-SEQ-ODD */
	int counter_early;    /* counter read once, before the first seq
	                         load, outside the window              -> R-MONO (R-SEQ-WINDOW) */
	int seq0_cache;       /* snapshot cache keyed on seq_count whose key
	                         starts at 0 with "valid" implied      -> R-SEQ-WRAP */
	int seq0_time_cache;  /* the same cache for time_sec and time_frac_sec
	                         only                                  -> R-SEQ-WRAP */
	int masked_compare;   /* no odd test; (seq1 & ~1) == (seq2 & ~1) accepts
	                         a copy made while an update was open  -> R-SEQ-ODD */
	int status_outside;   /* clock_status loaded (and UNRELIABLE refused)
	                         before the seqlock section             -> R-SEQ-TORN */
	int split_vmgen;      /* vm_generation_counter read in a second,
	                         separate seqlock transaction           -> R-SEQ-TORN */
	int last_good;        /* retry bound exhausted: serves the last good
	                         snapshot with OK instead of BUSY       -> R-SEQ-BOUNDED */
	/* more flag, arithmetic and contract defects (see br_time / br_read) */
	int vmgen_bit7;       /* VM_GEN_COUNTER_PRESENT tested as bit 7
	                         (UAPI.13 v1.0 numbering)               -> R-VMGEN */
	int counter_relabel;  /* time from one counter read, reading.counter
	                         from a second one in the same window
	                         (shift < 64)                           -> R-TIME-EXACT */
	int long_double;      /* time in x87 80-bit long double (shift < 64) -> R-TIME-EXACT */
	int nsec_nocarry;     /* nearest ns without the carry: nsec can be
	                         10^9                                   -> R-CONTRACT */
	int refuse_late;      /* NO_TIME more than 2^32 ticks past
	                         counter_value                          -> R-TIME-LIVE */
	int err_after_check;  /* time_esterror/maxerror loaded after the
	                         second seq check, outside the window  -> R-SEQ-TORN R-SEQ-ODD */
	uint64_t err_margin_ns; /* added to both error bounds (legal: loose) */
	int hang_marker;      /* spins forever before computing time when the
	                         marker's low 12 bits are 0 and every flag of
	                         hang_marker_flags is set               -> R-ROB-NOCRASH */
	uint64_t hang_marker_flags;
	/* Replaces the whole seqcount loop (NULL = br_read's own). Used by
	 * readers whose bug lives in how the compiler sees the loads, which a
	 * knob inside br_read's volatile loads cannot express (bad_merged_seq).
	 * Fills *s (counter included when time_possible) from one window and
	 * returns 0, or returns VMCLOCK_IUT_BUSY (R-SEQ-BOUNDED). */
	int (*snapshot)(const volatile void *page, size_t avail, int time_possible,
	                int vmgen_loadable, const struct vmclock_iut_counter *counter,
	                struct br_snap *s);
};

/* Retry bound: attempts and wall time (Linux gives up after 100 ms;
 * R-SEQ-BOUNDED). The clock is only consulted every BR_CLOCK_EVERY attempts
 * so the common, first-attempt read makes no system call. */
#define BR_MAX_ATTEMPTS  (1u << 20)
#define BR_TIMEOUT_NS    (100u * 1000u * 1000u)
#define BR_CLOCK_EVERY   256u
/* The draft struct (no vm_generation_counter) that draft_struct models. */
#define BR_DRAFT_SIZE    104u

__extension__ typedef unsigned __int128 br_u128;

/* A field is usable iff it ends at or before `avail` (R-HDR-SIZE). */
#define BR_PRESENT(avail, name) ((size_t)VMCLOCK_END(name) <= (avail))

/* An error bound with a safety margin added, saturating (err_margin_ns:
 * legal, a bound may be loose; R-ERR-TIGHT measures it). */
static inline uint64_t br_widen(uint64_t ns, uint64_t margin)
{
	return ns > UINT64_MAX - margin ? UINT64_MAX : ns + margin;
}

static inline void br_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static inline uint64_t br_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The protected fields, copied out of one seq window. */
struct br_snap {
	uint32_t seq;
	uint64_t marker, flags;
	uint8_t status, leap, shift;
	uint16_t tai_raw;
	uint64_t counter_value, period, period_est, period_max;
	uint64_t time_sec, time_frac, time_est, time_max, vmgen;
	uint64_t counter;
	uint64_t counter2;     /* counter_relabel: the second read, reported */
};

/* Time at s->counter (spec section 1), with the arithmetic defects.
 * The three "classic" arithmetic bugs are applied only on the shift < 64
 * path: the modelled reader has a fast path for ordinary shifts and a slow,
 * correct 128-bit path for the huge shifts it never expected. That keeps
 * each of them a pure R-TIME-EXACT failure; pages with shift >= 64 belong
 * to R-TIME-SHIFT, which only bad_shift_mask is meant to fail. */
static inline void br_time(const struct br_snap *s, const struct br_defects *d,
                           uint64_t *sec, uint32_t *nsec)
{
	const uint64_t delta = s->counter - s->counter_value;    /* mod 2^64 */
	unsigned sh = s->shift;
	const int fast = sh < 64;
	br_u128 scaled;

	if (d->long_double && fast) {
		/* BUG (R-TIME-EXACT): "80-bit long double has a 64-bit
		 * mantissa, as much as a uint64_t", so the whole timestamp is
		 * one long double in seconds. At 2026 the seconds take 31 of
		 * the 64 bits, leaving 2^-33 s (0.12 ns) of resolution, and
		 * three roundings stack up: the ns digit is off by one
		 * whenever the exact time lies that close above a whole ns.
		 * (No libm: powers of two are exact scale factors.) */
		const long double per = (long double)s->period / (long double)(UINT64_C(1) << sh) * 0x1p-64L;
		long double t = (long double)s->time_sec + (long double)s->time_frac * 0x1p-64L +
		                (long double)delta * per;
		while (t >= 0x1p64L)
			t -= 0x1p64L;                               /* seconds mod 2^64 */
		uint64_t whole = (uint64_t)t;
		uint64_t ns = (uint64_t)((t - (long double)whole) * 1e9L);
		if (ns >= 1000000000u) {                            /* keep nsec < 10^9 */
			ns -= 1000000000u;
			whole++;
		}
		*sec = whole;
		*nsec = (uint32_t)ns;
		return;
	}

	if (d->shift_mask)
		sh &= 63u;  /* x86 SHR masks the count: 64 -> 0, 65 -> 1, ... */

	if (d->mul64 && fast) {
		/* BUG (R-TIME-EXACT): product truncated to 64 bits. */
		scaled = (uint64_t)(delta * s->period) >> sh;
	} else if (d->shift_first && fast) {
		/* BUG (R-TIME-EXACT): the period's low `shift` bits are thrown
		 * away before they are multiplied by delta. */
		scaled = (br_u128)delta * (s->period >> sh);
	} else {
		br_u128 prod = (br_u128)delta * s->period;
		scaled = sh < 128 ? prod >> sh : 0;              /* R-TIME-SHIFT */
	}

	br_u128 x = scaled + s->time_frac;                       /* < 2^128, no wrap */
	if (d->lost_carry && fast) {
		/* BUG (R-TIME-EXACT): whole seconds from the product only; the
		 * carry out of time_frac + fraction is lost. */
		*sec = s->time_sec + (uint64_t)(scaled >> 64);
	} else {
		*sec = s->time_sec + (uint64_t)(x >> 64);           /* carry into seconds */
	}
	if (d->nsec_nocarry) {
		/* BUG (R-CONTRACT): nearest ns, (frac * 10^9 + 2^63) >> 64, but
		 * the result 10^9 (a fraction within half a ns of the next
		 * second) is returned as is instead of carrying into sec. */
		*nsec = (uint32_t)(((br_u128)(uint64_t)x * 1000000000u + ((br_u128)1 << 63)) >> 64);
		return;
	}
	/* Floor to ns, as Linux does. */
	*nsec = (uint32_t)(((br_u128)(uint64_t)x * 1000000000u) >> 64);
}

/* split_vmgen: the second, separate seqlock transaction ("get_vmgen()"),
 * correct on its own (odd test, re-check, bounded): it reads the flags and
 * vm_generation_counter of whatever state is current by then. */
static inline int br_vmgen_txn(const volatile void *page, uint64_t *flags, uint64_t *vmgen)
{
	uint64_t t0 = 0;
	for (unsigned attempt = 0; attempt < BR_MAX_ATTEMPTS; attempt++) {
		if (attempt && attempt % BR_CLOCK_EVERY == 0) {
			uint64_t t = br_now_ns();
			if (!t0)
				t0 = t;
			else if (t - t0 >= BR_TIMEOUT_NS)
				break;
		}
		const uint32_t seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (seq & 1u) {
			br_relax();
			continue;
		}
		atomic_thread_fence(memory_order_acquire);
		*flags = vmclock_load64(page, VMCLOCK_OFF_flags);
		*vmgen = vmclock_load64(page, VMCLOCK_OFF_vm_generation_counter);
		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) == seq)
			return 0;
		br_relax();
	}
	return VMCLOCK_IUT_BUSY;
}

static inline int br_read(const volatile void *page, size_t len,
                          const struct vmclock_iut_counter *counter,
                          struct vmclock_iut_reading *out,
                          const struct br_defects *d)
{
	/* marker_cache state: persists across calls, keyed on seq_count alone
	 * (the bug: a different page, or a restored VM, can reuse a seq). */
	static int mc_valid;
	static uint32_t mc_seq;
	static uint64_t mc_marker;
	/* seq0_cache state: the last snapshot and the seq_count it was taken
	 * at. Zero-initialised, and the modelled reader has no "filled" flag:
	 * the bug is that key 0 looks like a real, already-read seq_count.
	 * sc_copied exists only to confine the model to that bug (see the
	 * hit test below); the modelled reader does not have it. */
	static uint32_t sc_seq;
	static struct br_snap sc_snap;
	static int sc_copied;
	/* last_good state: the last snapshot that passed the seq check, and
	 * the page it came from (a per-device cache). */
	static int lg_valid;
	static const volatile void *lg_page;
	static struct br_snap lg_snap;

	struct vmclock_iut_reading dummy;
	if (!out)
		out = &dummy;
	memset(out, 0, sizeof(*out));

	/* R-HDR-SIZE: magic/size/version/flags must be mapped before any load. */
	if (!page || len < VMCLOCK_MIN_SIZE)
		return VMCLOCK_IUT_INVALID;

	/* Constant header (not under the seqcount). */
	if (!d->no_magic && vmclock_load32(page, VMCLOCK_OFF_magic) != VMCLOCK_MAGIC)
		return VMCLOCK_IUT_INVALID;                       /* R-HDR-MAGIC */
	if (!d->no_version && vmclock_load16(page, VMCLOCK_OFF_version) != VMCLOCK_VERSION)
		return VMCLOCK_IUT_INVALID;                       /* R-HDR-VERSION */

	const uint32_t size = vmclock_load32(page, VMCLOCK_OFF_size);
	size_t avail;
	if (d->draft_struct) {
		/* BUG (R-HDR-SIZE): size never consulted; the reader's own
		 * struct size decides which fields exist. */
		avail = BR_DRAFT_SIZE;
	} else {
		if (size < VMCLOCK_MIN_SIZE)                      /* R-HDR-SIZE */
			return VMCLOCK_IUT_INVALID;
		if (size > len && !d->size_trusted)               /* R-HDR-SIZE */
			return VMCLOCK_IUT_INVALID;
		avail = size;
	}
	/* Never load past the mapping, whatever the knobs (a crash would be an
	 * R-ROB-NOCRASH failure as well, which the bad readers must not add). */
	if (avail > len)
		avail = len;

	const uint8_t counter_id = vmclock_load8(page, VMCLOCK_OFF_counter_id);
	const uint8_t time_type = vmclock_load8(page, VMCLOCK_OFF_time_type);

	const int counter_ok = d->counter_ignored ||             /* R-HDR-COUNTER */
	                       counter_id == VMCLOCK_COUNTER_NATIVE ||
	                       (d->counter_foreign && counter_id == VMCLOCK_COUNTER_FOREIGN);
	const int type_ok = time_type <= VMCLOCK_TIME_MONOTONIC ||   /* R-HDR-TIMETYPE */
	                    (d->timetype_smeared && time_type <= VMCLOCK_TIME_INVALID_MAYBE_SMEARED) ||
	                    (d->timetype_smeared3 && time_type == VMCLOCK_TIME_INVALID_SMEARED);
	const int time_possible = counter_ok && type_ok && BR_PRESENT(avail, time_frac_sec) &&
	                          counter && counter->read;
	/* R-VMGEN: where the field may be loaded from. The nocheck bug only
	 * asks whether the mapping holds it. */
	const int vmgen_loadable = d->vmgen_nocheck ? len >= VMCLOCK_ABI_SIZE
	                                            : BR_PRESENT(avail, vm_generation_counter);

	struct br_snap s;
	uint64_t t0 = 0;

	/* status_outside BUG (R-SEQ-TORN): "check the clock is healthy, then
	 * read it". clock_status is protected by seq_count like every field
	 * from offset 12 on; loaded here, before the seqlock section, it
	 * belongs to whatever state was current before the copy below, which
	 * an update in between replaces: the time of an UNRELIABLE state can
	 * then go out as OK, labelled with the older, healthy status. */
	uint8_t pre_status = 0;
	if (d->status_outside && BR_PRESENT(avail, clock_status)) {
		pre_status = vmclock_load8(page, VMCLOCK_OFF_clock_status);
		if (pre_status == VMCLOCK_STATUS_UNRELIABLE)
			return VMCLOCK_IUT_NO_TIME;
	}
	int stale = 0;             /* last_good: s is the cached snapshot */

	/* counter_early BUG (R-MONO; R-SEQ-WINDOW is the SHOULD it breaks):
	 * "now" is taken once, before the first seq load, so a whole update
	 * between it and the window pairs an older counter with a newer
	 * state; the time can then fall before an earlier reading's. */
	uint64_t early_counter = 0;
	int sc_hit = 0;            /* seq0_cache: this read came from the cache */
	if (d->counter_early && time_possible)
		early_counter = counter->read(counter->ctx);

	if (d->snapshot) {
		memset(&s, 0, sizeof(s));
		const int rc = d->snapshot(page, avail, time_possible, vmgen_loadable, counter, &s);
		if (rc)
			return rc;                                /* R-SEQ-BOUNDED */
	}
	/* With a snapshot hook the loop below never runs. */
	for (unsigned attempt = 0; !d->snapshot; attempt++) {
		int out_of_tries = attempt >= BR_MAX_ATTEMPTS;
		if (!out_of_tries && attempt && attempt % BR_CLOCK_EVERY == 0) {
			uint64_t t = br_now_ns();
			if (!t0)
				t0 = t;
			else if (t - t0 >= BR_TIMEOUT_NS)
				out_of_tries = 1;
		}
		if (out_of_tries) {
			/* last_good BUG (R-SEQ-BOUNDED): "the host is stuck in
			 * an update; the state it is updating from is still the
			 * newest one there is", so the cached snapshot is served
			 * as OK (at a fresh counter read, below) instead of
			 * BUSY. Only for the same page, and only when the update
			 * in progress is the one right after the cached state
			 * (seq_count = cached + 1): the served state is always
			 * the page's last committed one, never another page's. */
			if (d->last_good && lg_valid && lg_page == page &&
			    vmclock_load32(page, VMCLOCK_OFF_seq_count) == lg_snap.seq + 1u) {
				s = lg_snap;
				stale = 1;
				break;
			}
			return VMCLOCK_IUT_BUSY;                  /* R-SEQ-BOUNDED */
		}

		memset(&s, 0, sizeof(s));
		sc_hit = 0;
		s.seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (s.seq & 1u) {
			if (d->spin_forever) {
				/* BUG (R-SEQ-BOUNDED): no bound while odd. */
				while ((s.seq = vmclock_load32(page, VMCLOCK_OFF_seq_count)) & 1u)
					br_relax();
			} else if (!d->odd_ignored && !d->masked_compare) {
				br_relax();                           /* R-SEQ-ODD */
				continue;
			}
			/* odd_ignored BUG (R-SEQ-ODD): carries on with an odd seq;
			 * the re-check below only tests equality. masked_compare
			 * carries on too; its re-check masks the odd bit away. */
		}
		atomic_thread_fence(memory_order_acquire);

		/* The modelled reader tests only s.seq == sc_seq. After its
		 * first copy that test is also stale whenever a page is
		 * replaced without a seq_count change (a restore; the suite's
		 * next static case, which reuses seq_count 2): that half is
		 * bad_marker_cache's defect, and the suite would charge it to
		 * every field clause. So the hit is honoured only while the
		 * cache still holds its initial state: the zero-key bug alone. */
		if (d->seq0_cache && !sc_copied && s.seq == sc_seq) {
			/* BUG (R-SEQ-WRAP): "seq unchanged, so the page is
			 * unchanged": skip the copy. Before any read the key is
			 * 0 and the snapshot all zeros, so a page whose
			 * seq_count is 0 (where a counter starts, and where it
			 * lands after wrapping) reads as time 0, marker 0. */
			s = sc_snap;
			sc_hit = 1;
			goto br_fields_done;
		}

		if (d->marker_cache && mc_valid && mc_seq == s.seq)
			s.marker = mc_marker;   /* BUG (R-DISR-MARKER): stale across pages */
		else
			s.marker = vmclock_load64(page, VMCLOCK_OFF_disruption_marker);
		s.flags = vmclock_load64(page, VMCLOCK_OFF_flags);   /* avail >= 32 */
		if (BR_PRESENT(avail, clock_status))
			s.status = d->status_outside ? pre_status      /* not reloaded: the BUG */
			                             : vmclock_load8(page, VMCLOCK_OFF_clock_status);
		if (BR_PRESENT(avail, tai_offset_sec))
			s.tai_raw = vmclock_load16(page, VMCLOCK_OFF_tai_offset_sec);
		if (BR_PRESENT(avail, leap_indicator))
			s.leap = vmclock_load8(page, VMCLOCK_OFF_leap_indicator);
		if (BR_PRESENT(avail, counter_period_shift))
			s.shift = vmclock_load8(page, VMCLOCK_OFF_counter_period_shift);
		if (BR_PRESENT(avail, counter_value))
			s.counter_value = vmclock_load64(page, VMCLOCK_OFF_counter_value);
		if (BR_PRESENT(avail, counter_period_frac_sec))
			s.period = vmclock_load64(page, VMCLOCK_OFF_counter_period_frac_sec);
		if (BR_PRESENT(avail, counter_period_esterror_rate_frac_sec))
			s.period_est = vmclock_load64(page, VMCLOCK_OFF_counter_period_esterror_rate_frac_sec);
		if (BR_PRESENT(avail, counter_period_maxerror_rate_frac_sec))
			s.period_max = vmclock_load64(page, VMCLOCK_OFF_counter_period_maxerror_rate_frac_sec);
		/* fields_after_check: loaded after the loop instead. */
		if (BR_PRESENT(avail, time_sec) && !d->fields_after_check)
			s.time_sec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
		if (BR_PRESENT(avail, time_frac_sec) && !d->fields_after_check)
			s.time_frac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
		if (BR_PRESENT(avail, time_esterror_nanosec) && !d->err_after_check)
			s.time_est = vmclock_load64(page, VMCLOCK_OFF_time_esterror_nanosec);
		if (BR_PRESENT(avail, time_maxerror_nanosec) && !d->err_after_check)
			s.time_max = vmclock_load64(page, VMCLOCK_OFF_time_maxerror_nanosec);
		if (vmgen_loadable && !d->split_vmgen)
			s.vmgen = vmclock_load64(page, VMCLOCK_OFF_vm_generation_counter);

		/* seq0_time_cache BUG (R-SEQ-WRAP): the time base alone is kept
		 * in the zero-initialised, seq-keyed cache (the rest is copied
		 * fresh), so a first page whose seq_count is 0 reads as time
		 * 0 + delta x period: only the time differs from its twin. */
		if (d->seq0_time_cache && !sc_copied && s.seq == sc_seq) {
			s.time_sec = sc_snap.time_sec;
			s.time_frac = sc_snap.time_frac;
			sc_hit = 1;
		}
	br_fields_done:
		/* R-SEQ-WINDOW: counter read between the two seq loads. */
		if (time_possible) {
			s.counter = d->counter_early ? early_counter : counter->read(counter->ctx);
			/* counter_relabel BUG (R-TIME-EXACT): a PTP-style
			 * pre/post sandwich. The time is computed from the
			 * first read, but the reading is labelled with the
			 * second ("the latest counter we know the time at"):
			 * the time lags its label by the ticks between the two.
			 * Fast path (shift < 64) only, like the arithmetic bugs
			 * in br_time: a wrong time on a page with a shift of 64
			 * or more is R-TIME-SHIFT's, which this bug is not. */
			if (d->counter_relabel)
				s.counter2 = s.shift < 64 ? counter->read(counter->ctx) : s.counter;
		}

		if (d->no_recheck) {
			/* BUG (R-SEQ-TORN, R-SEQ-ODD): the odd test on the first
			 * load is taken as proof the copy is consistent; an
			 * update that starts after that load goes unseen. */
			break;
		}
		atomic_thread_fence(memory_order_acquire);
		const uint32_t seq2 = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (d->masked_compare) {
			/* BUG (R-SEQ-ODD): the odd bit masked off on BOTH sides.
			 * Meant as "an update from s to s+2 changes the masked
			 * value", but seq s (even) -> s+1 (writer started) and
			 * s+1 -> s+1 (writer still at it) both compare equal:
			 * every accepted copy that is not a clean one was made
			 * while the update was still open, and returns the
			 * fields it had written so far. */
			if ((seq2 & ~1u) == (s.seq & ~1u))
				break;
		} else if (d->gt_compare) {
			/* BUG (R-SEQ-WRAP): "the writer only counts up", so only
			 * a larger seq means an update. 0xfffffffe -> 0xffffffff
			 * -> 0 is an update too, and 0 < 0xfffffffe. */
			if (!(seq2 & 1u) && !(seq2 > s.seq))
				break;
		} else if (seq2 == s.seq) {
			break;          /* R-SEQ-TORN / R-SEQ-WRAP: equality only. */
		}
		br_relax();
	}

	if (d->fields_after_check) {
		/* BUG (R-SEQ-TORN, R-SEQ-ODD): the window is closed; these
		 * can belong to a later update than everything above, or be
		 * written while seq_count is odd. */
		if (BR_PRESENT(avail, time_sec))
			s.time_sec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
		if (BR_PRESENT(avail, time_frac_sec))
			s.time_frac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
	}

	if (d->err_after_check) {
		/* BUG (R-SEQ-TORN, R-SEQ-ODD): the error bounds are loaded once
		 * the window is closed, from whatever update is current by then. */
		if (BR_PRESENT(avail, time_esterror_nanosec))
			s.time_est = vmclock_load64(page, VMCLOCK_OFF_time_esterror_nanosec);
		if (BR_PRESENT(avail, time_maxerror_nanosec))
			s.time_max = vmclock_load64(page, VMCLOCK_OFF_time_maxerror_nanosec);
	}

	/* last_good: the stale snapshot gets a counter read now, during this
	 * call (the contract's "counter read during this call"); a good one
	 * is remembered. */
	if (stale && time_possible)
		s.counter = counter->read(counter->ctx);
	if (d->last_good && !stale) {
		lg_valid = 1;
		lg_page = page;
		lg_snap = s;
	}

	/* split_vmgen BUG (R-SEQ-TORN): the generation counter comes from its
	 * own helper with its own seqlock loop, run after the first one has
	 * closed. Each transaction is consistent; together they are not: a
	 * restore between them pairs the old state's time and marker with
	 * the new vm_generation_counter (and the helper's flags decide
	 * whether it is reported). */
	uint64_t vmgen_flags = s.flags;
	if (d->split_vmgen && vmgen_loadable) {
		const int rc = br_vmgen_txn(page, &vmgen_flags, &s.vmgen);
		if (rc)
			return rc;                                /* R-SEQ-BOUNDED */
	}

	if ((d->seq0_cache || d->seq0_time_cache) && !sc_hit) {
		sc_seq = s.seq;
		sc_snap = s;
		sc_copied = 1;
	}

	if (d->marker_cache) {
		mc_valid = 1;
		mc_seq = s.seq;
		mc_marker = s.marker;
	}

	/* Reserved flag bits 10..63: a correct reader ignores them (R-ROB-NOCRASH). */
	if (s.flags & ~VMCLOCK_FLAGS_DEFINED) {
		if (d->assert_reserved)
			abort();              /* BUG: "cannot happen" assertion */
		if (d->writes_page) {
			/* BUG: "repairs" the page through a cast-away-volatile
			 * pointer; the mapping is read-only. */
			volatile uint64_t *fp = (volatile uint64_t *)(uintptr_t)
				((const volatile uint8_t *)page + VMCLOCK_OFF_flags);
			*fp = vmclock_le64(s.flags & VMCLOCK_FLAGS_DEFINED);
		}
	}

	out->disruption_marker = s.marker;                        /* R-DISR-MARKER */
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	if (BR_PRESENT(avail, leap_indicator) && !d->status_kept) {
		out->clock_status = s.status;
		out->leap_indicator = s.leap;
		out->flags = s.flags;
		out->filled |= VMCLOCK_IUT_HAS_STATUS;
	}
	/* R-TIME-TAI: only with TAI_OFFSET_VALID, sign-extended from int16. */
	if (BR_PRESENT(avail, tai_offset_sec) &&
	    ((s.flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) || d->tai_noflag)) {
		out->tai_offset_sec = d->tai_unsigned ? (int32_t)s.tai_raw
		                                      : (int32_t)(int16_t)s.tai_raw;
		out->filled |= VMCLOCK_IUT_HAS_TAI_OFFSET;
	}
	/* R-VMGEN: flag and size, unless the nocheck bug. vmgen_bit7 BUG
	 * (R-VMGEN): UAPI.13 v1.0 numbers VM_GEN_COUNTER_PRESENT as bit 7,
	 * which Linux (the canonical header) uses for TIME_MONOTONIC. */
	const uint64_t vmgen_flag = d->vmgen_bit7 ? (UINT64_C(1) << 7) : VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
	if (vmgen_loadable &&
	    ((vmgen_flags & vmgen_flag) || d->vmgen_nocheck)) {
		out->vm_generation_counter = s.vmgen;
		out->filled |= VMCLOCK_IUT_HAS_VMGEN;
	}

	/* R-STAT-UNRELIABLE. */
	if (!time_possible ||
	    (s.status == VMCLOCK_STATUS_UNRELIABLE && !d->unreliable_ok))
		return VMCLOCK_IUT_NO_TIME;

	/* refuse_late BUG (R-TIME-LIVE): "the host refreshes the page every
	 * few seconds, so a counter 2^32 ticks (about 4 s at 1 GHz) past
	 * counter_value means a dead host": a refusal of a page class it
	 * serves at smaller deltas. The spec excuses refusals only below
	 * counter_value or beyond 2^48 ticks. */
	if (d->refuse_late && s.counter - s.counter_value > (UINT64_C(1) << 32))
		return VMCLOCK_IUT_NO_TIME;

	/* hang_marker BUG (R-ROB-NOCRASH): an unbounded wait on a condition
	 * only the host can end (see bad_hang_some.c): on a page that never
	 * changes it never ends. After it, the read starts over. */
	if (d->hang_marker && (s.marker & 0xfffu) == 0 &&
	    (s.flags & d->hang_marker_flags) == d->hang_marker_flags) {
		while ((vmclock_load64(page, VMCLOCK_OFF_disruption_marker) & 0xfffu) == 0)
			br_relax();
		return br_read(page, len, counter, out, d);
	}

	br_time(&s, d, &out->sec, &out->nsec);
	out->counter = d->counter_relabel ? s.counter2 : s.counter;
	out->time_type = time_type;
	out->filled |= VMCLOCK_IUT_HAS_TIME;

	/* R-ERR-FLAGS / R-ERR-BOUND: rounded up, saturating. At the reported
	 * counter (counter_relabel: the later one, so the bound is the
	 * larger, never understated one). */
	const uint64_t delta = out->counter - s.counter_value;
	if (BR_PRESENT(avail, time_esterror_nanosec) &&
	    ((s.flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID) || d->err_noflag)) {
		uint64_t rate = (s.flags & VMCLOCK_FLAG_PERIOD_ESTERROR_VALID) ? s.period_est : 0;
		out->esterror_ns = br_widen(vmclock_tm_error_ns(s.time_est, rate, s.shift, delta), d->err_margin_ns);
		out->filled |= VMCLOCK_IUT_HAS_ESTERROR;
	}
	if (BR_PRESENT(avail, time_maxerror_nanosec) &&
	    ((s.flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID) || d->err_noflag)) {
		uint64_t rate = ((s.flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID) && !d->err_norate)
		                ? s.period_max : 0;
		out->maxerror_ns = br_widen(vmclock_tm_error_ns(s.time_max, rate, s.shift, delta), d->err_margin_ns);
		out->filled |= VMCLOCK_IUT_HAS_MAXERROR;
	}
	return VMCLOCK_IUT_OK;
}

/* Export the contract entry points for one knob set. provides = 0: the
 * suite probes which fields the reader fills. */
#define BR_EXPORT(defects_var, reader_name)                                          \
	int vmclock_iut_read(const volatile void *page, size_t len,                  \
	                     const struct vmclock_iut_counter *counter,              \
	                     struct vmclock_iut_reading *out)                        \
	{                                                                             \
		return br_read(page, len, counter, out, &(defects_var));             \
	}                                                                             \
	const struct vmclock_iut_info *vmclock_iut_info(void)                         \
	{                                                                             \
		static const struct vmclock_iut_info info = {                        \
			VMCLOCK_IUT_CONTRACT_VERSION, reader_name, "1", 0, 0         \
		};                                                                    \
		return &info;                                                         \
	}

#endif
