/* writer.c - the randomized writer (writer.h): valid pages, the malformed
 * catalogue, and seqcount update steps. Written from shared
 * VMCLOCK-SPEC.md; every random choice comes from the caller's
 * struct vmclock_rng, so a printed seed reproduces a run. */
#include "writer.h"

#include <stdatomic.h>
#include <string.h>

#include "timemath.h"

/* ---- valid pages --------------------------------------------------------- */

/* 1 GHz counter: the spec's own example, period 0x89705F4136B4A597 at
 * shift 29 = 1 ns per tick in units of 2^-(64+29) s. */
#define DEFAULT_PERIOD 0x89705F4136B4A597ull
#define DEFAULT_SHIFT  29u
/* 2026-01-01T00:00:00Z, plus a little, with a fraction that is not a
 * round number of ns so that flooring is visible. */
#define DEFAULT_TIME_SEC  1767225600ull
#define DEFAULT_TIME_FRAC 0x3456789abcdef012ull

void vmclock_writer_default(struct vmclock_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->magic = VMCLOCK_MAGIC;
	f->size = VMCLOCK_PAGE_SIZE;             /* as QEMU and Firecracker publish */
	f->version = VMCLOCK_VERSION;
	f->counter_id = VMCLOCK_COUNTER_NATIVE;
	f->time_type = VMCLOCK_TIME_UTC;
	f->seq_count = 2;                        /* even, and not 0 */
	f->disruption_marker = 0x0123456789abcdefull;
	f->flags = VMCLOCK_FLAG_TAI_OFFSET_VALID | VMCLOCK_FLAG_PERIOD_ESTERROR_VALID |
	           VMCLOCK_FLAG_PERIOD_MAXERROR_VALID | VMCLOCK_FLAG_TIME_ESTERROR_VALID |
	           VMCLOCK_FLAG_TIME_MAXERROR_VALID | VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
	f->clock_status = VMCLOCK_STATUS_SYNCHRONIZED;
	f->leap_second_smearing_hint = VMCLOCK_SMEARING_STRICT;
	/* UTC - TAI, the Linux sign (spec section 3, W-TAI-SIGN). Stored as
	 * the 16-bit two's complement pattern the page holds. */
	f->tai_offset_sec = (uint16_t)(int16_t)-37;
	f->leap_indicator = VMCLOCK_LEAP_NONE;
	f->counter_period_shift = DEFAULT_SHIFT;
	f->counter_value = 1000000000000ull;      /* 1000 s of uptime at 1 GHz */
	f->counter_period_frac_sec = DEFAULT_PERIOD;
	/* Period errors of about 1 ppm (est) and 10 ppm (max) of the period. */
	f->counter_period_esterror_rate_frac_sec = DEFAULT_PERIOD >> 20;
	f->counter_period_maxerror_rate_frac_sec = DEFAULT_PERIOD >> 16;
	f->time_sec = DEFAULT_TIME_SEC;
	f->time_frac_sec = DEFAULT_TIME_FRAC;
	f->time_esterror_nanosec = 1000;
	f->time_maxerror_nanosec = 50000;
	f->vm_generation_counter = 1;
}

/* A shift that is often on an edge of the arithmetic (0, 63/64, 127/128,
 * 255) and otherwise anywhere in 0..255 (R-TIME-SHIFT). */
static uint64_t edgy_shift(struct vmclock_rng *r)
{
	static const uint8_t edges[] = { 0, 1, 29, 31, 32, 33, 63, 64, 65, 127, 128, 129, 254, 255 };
	if (vmclock_rng_below(r, 2))
		return edges[vmclock_rng_below(r, sizeof(edges))];
	return vmclock_rng_below(r, 256);
}

void vmclock_writer_random(struct vmclock_rng *r, struct vmclock_fields *f)
{
	memset(f, 0, sizeof(*f));
	/* The constant header: always one a reader must accept with time
	 * (W-HDR-VALID plus size >= 112 so every field is present). */
	f->magic = VMCLOCK_MAGIC;
	f->version = VMCLOCK_VERSION;
	switch (vmclock_rng_below(r, 4)) {
	case 0:  f->size = VMCLOCK_ABI_SIZE; break;
	case 1:  f->size = VMCLOCK_PAGE_SIZE; break;
	default: f->size = VMCLOCK_ABI_SIZE + vmclock_rng_below(r, VMCLOCK_PAGE_SIZE - VMCLOCK_ABI_SIZE + 1);
	}
	f->counter_id = VMCLOCK_COUNTER_NATIVE;
	f->time_type = vmclock_rng_below(r, VMCLOCK_TIME_MONOTONIC + 1);

	/* Protected fields: full 64-bit edge-biased values where the ABI allows
	 * any value; enums within their defined range (W-ENUM-RANGE). */
	f->seq_count = vmclock_rng_edgy64(r) & 0xfffffffeu;   /* even: committed */
	/* seq_count 0 is R-SEQ-WRAP's and R-DISR-MARKER's business: their cases
	 * pair such a page with a twin at an ordinary seq_count, so a cache whose
	 * key starts at 0 is charged there, not as a wrong time elsewhere. */
	if (!f->seq_count)
		f->seq_count = 2;
	f->disruption_marker = vmclock_rng_edgy64(r);
	f->flags = vmclock_rng_next(r) & VMCLOCK_FLAGS_DEFINED;
	f->pad = 0;
	/* UNRELIABLE (4) gives no time by design: draw 0..3 only. */
	f->clock_status = vmclock_rng_below(r, VMCLOCK_STATUS_UNRELIABLE);
	f->leap_second_smearing_hint = vmclock_rng_below(r, VMCLOCK_SMEARING_MAX + 1);
	f->tai_offset_sec = vmclock_rng_edgy64(r) & 0xffffu;  /* any int16, either sign */
	f->leap_indicator = vmclock_rng_below(r, VMCLOCK_LEAP_MAX + 1);
	f->counter_period_shift = edgy_shift(r);
	f->counter_value = vmclock_rng_edgy64(r);
	f->counter_period_frac_sec = vmclock_rng_edgy64(r);
	f->counter_period_esterror_rate_frac_sec = vmclock_rng_edgy64(r);
	f->counter_period_maxerror_rate_frac_sec = vmclock_rng_edgy64(r);
	f->time_sec = vmclock_rng_edgy64(r);
	f->time_frac_sec = vmclock_rng_edgy64(r);
	f->time_esterror_nanosec = vmclock_rng_edgy64(r);
	f->time_maxerror_nanosec = vmclock_rng_edgy64(r);
	f->vm_generation_counter = vmclock_rng_edgy64(r);
}

void vmclock_image_from(struct vmclock_image *img, const struct vmclock_fields *f,
                        size_t len, uint8_t fill)
{
	if (len > VMCLOCK_PAGE_SIZE)
		len = VMCLOCK_PAGE_SIZE;
	memset(img->bytes, fill, sizeof(img->bytes));
	vmclock_encode(f, img->bytes);
	img->len = len;
}

/* ---- the malformed catalogue ---------------------------------------------
 * Each entry edits a default page (vmclock_writer_default) whose mapping
 * length the caller starts at VMCLOCK_PAGE_SIZE. Mapping lengths stay a
 * multiple of 8: the suite ends the mapping at a guard page, and the
 * structure's 8-byte fields must stay aligned.
 *
 * How "expect" was decided:
 *   INVALID  only for what R-HDR-MAGIC / R-HDR-VERSION / R-HDR-SIZE require
 *            a reader to reject;
 *   NO_TIME  where a MUST forbids time but the header is acceptable
 *            (R-HDR-COUNTER, R-HDR-TIMETYPE, R-STAT-UNRELIABLE, and sizes
 *            32..87 where time_frac_sec is absent, R-HDR-SIZE);
 *   TIME     where Linux gives time and no clause allows refusing it;
 *   ANY      where the spec leaves the reader free: unknown enum values
 *            (status 5, leap 6, hint 3), reserved bits and pad (only
 *            writers are bound, W-ENUM-RANGE), UNKNOWN / INITIALIZING
 *            status (the suite only warns either way), and an odd seq that
 *            never settles (the reader must just return in bounded time,
 *            R-SEQ-BOUNDED). */

#define M_SET(fn, field, value)                                                  \
	static void fn(struct vmclock_fields *f, size_t *len)                         \
	{                                                                             \
		(void)len;                                                                \
		f->field = (value);                                                       \
	}
#define M_SIZE_LEN(fn, sz, ln)                                                   \
	static void fn(struct vmclock_fields *f, size_t *len)                         \
	{                                                                             \
		f->size = (sz);                                                           \
		*len = (ln);                                                              \
	}

/* R-HDR-MAGIC */
M_SET(m_magic_0, magic, 0)
M_SET(m_magic_bswap, magic, __builtin_bswap32(VMCLOCK_MAGIC))
M_SET(m_magic_bit0, magic, VMCLOCK_MAGIC ^ 1u)
M_SET(m_magic_bit31, magic, VMCLOCK_MAGIC ^ 0x80000000u)
M_SET(m_magic_ones, magic, 0xffffffffu)
/* R-HDR-VERSION */
M_SET(m_version_0, version, 0)
M_SET(m_version_2, version, 2)
M_SET(m_version_256, version, 0x100)       /* 1 in the wrong byte order */
M_SET(m_version_ffff, version, 0xffff)
/* R-HDR-SIZE: the size ladder on a full 4096-byte mapping. */
M_SET(m_size_0, size, 0)
M_SET(m_size_31, size, 31)
M_SET(m_size_32, size, 32)
M_SET(m_size_39, size, 39)
M_SET(m_size_40, size, 40)
M_SET(m_size_87, size, 87)
M_SET(m_size_88, size, 88)
M_SET(m_size_95, size, 95)
M_SET(m_size_96, size, 96)
M_SET(m_size_103, size, 103)
M_SET(m_size_104, size, 104)
M_SET(m_size_111, size, 111)
M_SET(m_size_112, size, 112)
M_SET(m_size_4096, size, 4096)
/* R-HDR-SIZE: size larger than the mapping. */
M_SET(m_size_4097, size, 4097)
M_SET(m_size_max, size, 0xffffffffu)
M_SIZE_LEN(m_size_gt_len_112, 120, 112)
M_SIZE_LEN(m_size_gt_len_104, 112, 104)
M_SIZE_LEN(m_size_gt_len_32, 33, 32)
/* R-HDR-SIZE: short mappings with a matching size (loads past len fault:
 * the suite puts a guard page right after). */
M_SIZE_LEN(m_map_32, 32, 32)
M_SIZE_LEN(m_map_40, 40, 40)
M_SIZE_LEN(m_map_88, 88, 88)
M_SIZE_LEN(m_map_96, 96, 96)
M_SIZE_LEN(m_map_104, 104, 104)
M_SIZE_LEN(m_map_112, 112, 112)
/* A size below the mapping on a short mapping: fields beyond size absent. */
M_SIZE_LEN(m_map_112_size_104, 104, 112)
/* R-HDR-COUNTER */
M_SET(m_counter_invalid, counter_id, VMCLOCK_COUNTER_INVALID)
M_SET(m_counter_foreign, counter_id, VMCLOCK_COUNTER_FOREIGN)
M_SET(m_counter_2, counter_id, 2)
M_SET(m_counter_7f, counter_id, 0x7f)
M_SET(m_counter_fe, counter_id, 0xfe)
/* R-HDR-TIMETYPE: valid ones first, then the unusable ones. */
M_SET(m_time_type_tai, time_type, VMCLOCK_TIME_TAI)
M_SET(m_time_type_mono, time_type, VMCLOCK_TIME_MONOTONIC)
M_SET(m_time_type_3, time_type, 3)
M_SET(m_time_type_4, time_type, 4)
M_SET(m_time_type_5, time_type, 5)
M_SET(m_time_type_ff, time_type, 0xff)
/* R-STAT-UNRELIABLE and the status range. */
M_SET(m_status_0, clock_status, 0)
M_SET(m_status_1, clock_status, 1)
M_SET(m_status_2, clock_status, 2)
M_SET(m_status_3, clock_status, 3)
M_SET(m_status_4, clock_status, 4)
M_SET(m_status_5, clock_status, 5)
M_SET(m_status_ff, clock_status, 0xff)
/* leap_indicator range (R-ROB-NOCRASH for the unknown ones). */
M_SET(m_leap_0, leap_indicator, 0)
M_SET(m_leap_1, leap_indicator, 1)
M_SET(m_leap_2, leap_indicator, 2)
M_SET(m_leap_3, leap_indicator, 3)
M_SET(m_leap_4, leap_indicator, 4)
M_SET(m_leap_5, leap_indicator, 5)
M_SET(m_leap_6, leap_indicator, 6)
M_SET(m_leap_ff, leap_indicator, 0xff)
/* smearing hint: a hint only, never changes the time. */
M_SET(m_smear_3, leap_second_smearing_hint, 3)
M_SET(m_smear_ff, leap_second_smearing_hint, 0xff)
/* Reserved flag bits and pad (R-ROB-NOCRASH). */
static void m_flags_reserved_all(struct vmclock_fields *f, size_t *len)
{
	(void)len;
	f->flags |= ~VMCLOCK_FLAGS_DEFINED;
}
static void m_flags_bit10(struct vmclock_fields *f, size_t *len)
{
	(void)len;
	f->flags |= 1ull << 10;
}
static void m_flags_bit63(struct vmclock_fields *f, size_t *len)
{
	(void)len;
	f->flags |= 1ull << 63;
}
M_SET(m_pad_1, pad, 1)
M_SET(m_pad_ffff, pad, 0xffff)
/* R-TIME-SHIFT: every shift edge must compute without UB. */
M_SET(m_shift_0, counter_period_shift, 0)
M_SET(m_shift_63, counter_period_shift, 63)
M_SET(m_shift_64, counter_period_shift, 64)
M_SET(m_shift_127, counter_period_shift, 127)
M_SET(m_shift_128, counter_period_shift, 128)
M_SET(m_shift_255, counter_period_shift, 255)
/* R-SEQ-WRAP and the "cache keyed on seq starting at 0" weakness. */
M_SET(m_seq_0, seq_count, 0)
M_SET(m_seq_fffffffe, seq_count, 0xfffffffeu)
/* R-SEQ-BOUNDED: a writer that never finishes. */
M_SET(m_seq_odd_1, seq_count, 1)
M_SET(m_seq_odd_ffffffff, seq_count, 0xffffffffu)
/* R-TIME-TAI: a positive (old-fixture) offset is still a valid page. */
M_SET(m_tai_plus37, tai_offset_sec, 37)
static void m_tai_invalid(struct vmclock_fields *f, size_t *len)
{
	(void)len;
	f->flags &= ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
}
/* No error flags at all: still a valid time (R-ERR-FLAGS). */
static void m_no_error_flags(struct vmclock_fields *f, size_t *len)
{
	(void)len;
	f->flags &= ~(VMCLOCK_FLAG_PERIOD_ESTERROR_VALID | VMCLOCK_FLAG_PERIOD_MAXERROR_VALID |
	              VMCLOCK_FLAG_TIME_ESTERROR_VALID | VMCLOCK_FLAG_TIME_MAXERROR_VALID);
}
/* Several defects at once: the header rejection wins. */
static void m_everything_bad(struct vmclock_fields *f, size_t *len)
{
	(void)len;
	f->magic = 0;
	f->version = 0;
	f->size = 0;
	f->counter_id = 0xff;
	f->time_type = 0xff;
	f->seq_count = 1;
}

#define E(name, clause, expect, fn) { name, clause, VMCLOCK_EXPECT_##expect, fn }
const struct vmclock_malformed vmclock_malformed_table[] = {
	E("magic-0",              "R-HDR-MAGIC",   INVALID, m_magic_0),
	E("magic-byteswapped",    "R-HDR-MAGIC",   INVALID, m_magic_bswap),
	E("magic-bit0-flipped",   "R-HDR-MAGIC",   INVALID, m_magic_bit0),
	E("magic-bit31-flipped",  "R-HDR-MAGIC",   INVALID, m_magic_bit31),
	E("magic-ffffffff",       "R-HDR-MAGIC",   INVALID, m_magic_ones),
	E("version-0",            "R-HDR-VERSION", INVALID, m_version_0),
	E("version-2",            "R-HDR-VERSION", INVALID, m_version_2),
	E("version-0x100",        "R-HDR-VERSION", INVALID, m_version_256),
	E("version-0xffff",       "R-HDR-VERSION", INVALID, m_version_ffff),
	E("size-0",               "R-HDR-SIZE",    INVALID, m_size_0),
	E("size-31",              "R-HDR-SIZE",    INVALID, m_size_31),
	/* 32..87: accepted (Linux's minimum is 32) but time_frac_sec (end
	 * 88) is absent, so no time; the disruption marker is still there. */
	E("size-32",              "R-HDR-SIZE",    NO_TIME, m_size_32),
	E("size-39",              "R-HDR-SIZE",    NO_TIME, m_size_39),
	E("size-40",              "R-HDR-SIZE",    NO_TIME, m_size_40),
	E("size-87",              "R-HDR-SIZE",    NO_TIME, m_size_87),
	/* 88..: time present; errors and vmgen appear at 96, 104, 112. */
	E("size-88",              "R-HDR-SIZE",    TIME,    m_size_88),
	E("size-95",              "R-HDR-SIZE",    TIME,    m_size_95),
	E("size-96",              "R-HDR-SIZE",    TIME,    m_size_96),
	E("size-103",             "R-HDR-SIZE",    TIME,    m_size_103),
	E("size-104",             "R-HDR-SIZE",    TIME,    m_size_104),
	E("size-111",             "R-HDR-SIZE",    TIME,    m_size_111),
	E("size-112",             "R-HDR-SIZE",    TIME,    m_size_112),
	E("size-4096",            "R-HDR-SIZE",    TIME,    m_size_4096),
	E("size-4097-len-4096",   "R-HDR-SIZE",    INVALID, m_size_4097),
	E("size-ffffffff",        "R-HDR-SIZE",    INVALID, m_size_max),
	E("size-120-len-112",     "R-HDR-SIZE",    INVALID, m_size_gt_len_112),
	E("size-112-len-104",     "R-HDR-SIZE",    INVALID, m_size_gt_len_104),
	E("size-33-len-32",       "R-HDR-SIZE",    INVALID, m_size_gt_len_32),
	E("map-32",               "R-HDR-SIZE",    NO_TIME, m_map_32),
	E("map-40",               "R-HDR-SIZE",    NO_TIME, m_map_40),
	E("map-88",               "R-HDR-SIZE",    TIME,    m_map_88),
	E("map-96",               "R-HDR-SIZE",    TIME,    m_map_96),
	E("map-104",              "R-HDR-SIZE",    TIME,    m_map_104),
	E("map-112",              "R-HDR-SIZE",    TIME,    m_map_112),
	E("map-112-size-104",     "R-HDR-SIZE",    TIME,    m_map_112_size_104),
	E("counter-invalid",      "R-HDR-COUNTER", NO_TIME, m_counter_invalid),
	E("counter-foreign",      "R-HDR-COUNTER", NO_TIME, m_counter_foreign),
	E("counter-2",            "R-HDR-COUNTER", NO_TIME, m_counter_2),
	E("counter-0x7f",         "R-HDR-COUNTER", NO_TIME, m_counter_7f),
	E("counter-0xfe",         "R-HDR-COUNTER", NO_TIME, m_counter_fe),
	E("time-type-tai",        "R-HDR-TIMETYPE", TIME,   m_time_type_tai),
	E("time-type-monotonic",  "R-HDR-TIMETYPE", TIME,   m_time_type_mono),
	E("time-type-3",          "R-HDR-TIMETYPE", NO_TIME, m_time_type_3),
	E("time-type-4",          "R-HDR-TIMETYPE", NO_TIME, m_time_type_4),
	E("time-type-5",          "R-HDR-TIMETYPE", NO_TIME, m_time_type_5),
	E("time-type-0xff",       "R-HDR-TIMETYPE", NO_TIME, m_time_type_ff),
	/* UNKNOWN / INITIALIZING: Linux gives time, the spec says "should not
	 * be relied upon": either answer is correct (the suite warns). */
	E("status-0-unknown",     "R-STAT-UNRELIABLE", ANY, m_status_0),
	E("status-1-initializing", "R-STAT-UNRELIABLE", ANY, m_status_1),
	E("status-2-synchronized", "R-STAT-UNRELIABLE", TIME, m_status_2),
	E("status-3-freerunning", "R-STAT-UNRELIABLE", TIME, m_status_3),
	E("status-4-unreliable",  "R-STAT-UNRELIABLE", NO_TIME, m_status_4),
	E("status-5",             "R-ROB-NOCRASH", ANY,     m_status_5),
	E("status-0xff",          "R-ROB-NOCRASH", ANY,     m_status_ff),
	E("leap-0-none",          "R-ROB-NOCRASH", TIME,    m_leap_0),
	E("leap-1-pre-pos",       "R-ROB-NOCRASH", TIME,    m_leap_1),
	E("leap-2-pre-neg",       "R-ROB-NOCRASH", TIME,    m_leap_2),
	E("leap-3-pos",           "R-ROB-NOCRASH", TIME,    m_leap_3),
	E("leap-4-post-pos",      "R-ROB-NOCRASH", TIME,    m_leap_4),
	E("leap-5-post-neg",      "R-ROB-NOCRASH", TIME,    m_leap_5),
	E("leap-6",               "R-ROB-NOCRASH", ANY,     m_leap_6),
	E("leap-0xff",            "R-ROB-NOCRASH", ANY,     m_leap_ff),
	E("smearing-hint-3",      "R-ROB-NOCRASH", ANY,     m_smear_3),
	E("smearing-hint-0xff",   "R-ROB-NOCRASH", ANY,     m_smear_ff),
	E("flags-reserved-10-63", "R-ROB-NOCRASH", ANY,     m_flags_reserved_all),
	E("flags-reserved-10",    "R-ROB-NOCRASH", ANY,     m_flags_bit10),
	E("flags-reserved-63",    "R-ROB-NOCRASH", ANY,     m_flags_bit63),
	E("pad-1",                "R-ROB-NOCRASH", ANY,     m_pad_1),
	E("pad-ffff",             "R-ROB-NOCRASH", ANY,     m_pad_ffff),
	E("shift-0",              "R-TIME-SHIFT",  TIME,    m_shift_0),
	E("shift-63",             "R-TIME-SHIFT",  TIME,    m_shift_63),
	E("shift-64",             "R-TIME-SHIFT",  TIME,    m_shift_64),
	E("shift-127",            "R-TIME-SHIFT",  TIME,    m_shift_127),
	E("shift-128",            "R-TIME-SHIFT",  TIME,    m_shift_128),
	E("shift-255",            "R-TIME-SHIFT",  TIME,    m_shift_255),
	E("seq-0",                "R-SEQ-WRAP",    TIME,    m_seq_0),
	E("seq-0xfffffffe",       "R-SEQ-WRAP",    TIME,    m_seq_fffffffe),
	E("seq-odd-1",            "R-SEQ-BOUNDED", ANY,     m_seq_odd_1),
	E("seq-odd-0xffffffff",   "R-SEQ-BOUNDED", ANY,     m_seq_odd_ffffffff),
	E("tai-offset-plus-37",   "R-TIME-TAI",    TIME,    m_tai_plus37),
	E("tai-offset-not-valid", "R-TIME-TAI",    TIME,    m_tai_invalid),
	E("no-error-flags",       "R-ERR-FLAGS",   TIME,    m_no_error_flags),
	E("everything-bad",       "R-HDR-MAGIC",   INVALID, m_everything_bad),
};
#undef E
const size_t vmclock_malformed_count =
	sizeof(vmclock_malformed_table) / sizeof(vmclock_malformed_table[0]);

/* ---- update steps ---------------------------------------------------------- */

static void store_field(volatile uint8_t *page, const struct vmclock_field_desc *d, uint64_t v)
{
	/* One store of the field's natural width (fields are naturally
	 * aligned), little-endian, so a concurrent reader sees either the old
	 * or the new value of each field, never a torn field. */
	volatile uint8_t *p = page + d->offset;
	switch (d->size) {
	case 8: *(volatile uint64_t *)p = vmclock_le64(v); break;
	case 4: *(volatile uint32_t *)p = vmclock_le32((uint32_t)v); break;
	case 2: *(volatile uint16_t *)p = vmclock_le16((uint16_t)v); break;
	default: *p = (uint8_t)v; break;
	}
}

void vmclock_step_apply(volatile uint8_t *page, const struct vmclock_step *s)
{
	const struct vmclock_field_desc *seq = &vmclock_field_table[1];
	for (size_t i = 0; i < vmclock_field_count; i++)
		if (vmclock_field_table[i].offset == VMCLOCK_OFF_seq_count)
			seq = &vmclock_field_table[i];
	switch (s->kind) {
	case VMCLOCK_STEP_BEGIN:
		/* W-SEQ-PROTOCOL: seq odd, then a barrier before any field. */
		store_field(page, seq, (uint32_t)(vmclock_load32(page, VMCLOCK_OFF_seq_count) + 1u));
		atomic_thread_fence(memory_order_seq_cst);
		break;
	case VMCLOCK_STEP_WRITE:
		if (s->field < vmclock_field_count)
			store_field(page, &vmclock_field_table[s->field], s->value);
		break;
	case VMCLOCK_STEP_END:
		/* Fields complete before seq becomes even again. */
		atomic_thread_fence(memory_order_release);
		store_field(page, seq, (uint32_t)(vmclock_load32(page, VMCLOCK_OFF_seq_count) + 1u));
		break;
	}
}

size_t vmclock_update_steps(const struct vmclock_fields *from, const struct vmclock_fields *to,
                            struct vmclock_step *steps)
{
	size_t n = 0;
	steps[n++] = (struct vmclock_step){ .kind = VMCLOCK_STEP_BEGIN };
	/* Protected fields other than seq_count itself (BEGIN/END move it), in
	 * table order; unchanged fields are not rewritten. */
	for (size_t i = 0; i < vmclock_field_count; i++) {
		const struct vmclock_field_desc *d = &vmclock_field_table[i];
		if (!d->protected_by_seq || d->offset == VMCLOCK_OFF_seq_count)
			continue;
		uint64_t v = vmclock_field_get(to, i);
		if (v == vmclock_field_get(from, i))
			continue;
		steps[n++] = (struct vmclock_step){ .kind = VMCLOCK_STEP_WRITE, .field = (uint16_t)i,
		                                    .value = v };
	}
	steps[n++] = (struct vmclock_step){ .kind = VMCLOCK_STEP_END };
	return n;
}

/* Signed difference a - b of two times, seconds taken mod 2^64 as a 64-bit
 * reader computes them, in units of 2^-64 s, saturated to int64 range for
 * the sign test (only the sign and small magnitudes matter here). Returns
 * -1, 0, 1. */
static int tm_cmp(struct vmclock_tm_time a, struct vmclock_tm_time b)
{
	uint64_t ds = a.sec - b.sec - (a.frac < b.frac);
	if (ds == 0 && a.frac == b.frac)
		return 0;
	return (int64_t)ds < 0 ? -1 : 1;
}

/* t + (s seconds . f fraction), seconds mod 2^64. */
static struct vmclock_tm_time tm_add(struct vmclock_tm_time t, uint64_t s, uint64_t f)
{
	uint64_t frac = t.frac + f;
	t.sec += s + (frac < f);
	t.frac = frac;
	return t;
}

static struct vmclock_tm_time tm_state_at(const struct vmclock_fields *f, uint64_t c)
{
	return vmclock_tm_at(f->time_sec, f->time_frac_sec, f->counter_value,
	                     f->counter_period_frac_sec, (unsigned)(f->counter_period_shift & 0xff), c);
}

/* 1 ns in units of 2^-64 s, rounded up. */
#define FRAC_PER_NS 18446744074ull
/* How far past the switch counter the engine may read the old state and
 * still have the MONOTONIC rule hold (ticks). */
#define MONO_WINDOW (1ull << 32)

void vmclock_writer_next(struct vmclock_rng *r, const struct vmclock_fields *cur,
                         int disrupt, int restore, struct vmclock_fields *next)
{
	*next = *cur;
	next->seq_count = (uint32_t)(cur->seq_count + 2u);

	/* Switch counter c_sw >= counter_value: the update happens later than
	 * the state it replaces was published. */
	const uint64_t c_sw = cur->counter_value + vmclock_rng_below(r, 1ull << 31);
	const struct vmclock_tm_time old_sw = tm_state_at(cur, c_sw);

	/* Period nudged by 0..5 ppm either way (a clock discipline's
	 * correction), never wrapping. */
	uint64_t p = cur->counter_period_frac_sec;
	uint64_t dp = (p / 1000000u) * vmclock_rng_below(r, 6);
	if (vmclock_rng_below(r, 2) && p <= UINT64_MAX - dp)
		p += dp;
	else if (p >= dp)
		p -= dp;
	next->counter_period_frac_sec = p;
	next->counter_value = c_sw;

	/* New time at c_sw: old time there plus a non-negative step of up to
	 * 1 us (the correction), so new(c_sw) >= old(c_sw). */
	/* (+2 units: old(c_sw) is floored, so its exact value may be up to one
	 * unit later than old_sw.) */
	struct vmclock_tm_time t = tm_add(old_sw, 0, vmclock_rng_below(r, 1000) * FRAC_PER_NS + 2);
	const int mono = (cur->flags & VMCLOCK_FLAG_TIME_MONOTONIC) != 0;
	if (disrupt && !mono && vmclock_rng_below(r, 2)) {
		/* A disruption without the MONOTONIC promise may step time back
		 * (up to 1 ms). */
		uint64_t back = vmclock_rng_below(r, 1000000) * FRAC_PER_NS;
		t.sec -= (old_sw.frac < back);
		t.frac = old_sw.frac - back;
	}
	next->time_sec = t.sec;
	next->time_frac_sec = t.frac;

	if (mono || !disrupt) {
		/* W-MONO: the old state read at any counter c in
		 * [c_sw, c_sw + MONO_WINDOW] must not be later than the new one
		 * there. Both are linear in c, so checking the window's end (plus
		 * two 2^-64 s units for the two floors) covers it; if the period
		 * went down, push the new time forward by the shortfall. */
		const uint64_t c_end = c_sw + MONO_WINDOW;
		struct vmclock_tm_time o = tm_state_at(cur, c_end);
		struct vmclock_tm_time n = tm_state_at(next, c_end);
		if (tm_cmp(n, tm_add(o, 0, 2)) < 0) {
			uint64_t ds = o.sec - n.sec - (o.frac < n.frac);
			uint64_t df = o.frac - n.frac;
			t = tm_add(t, ds, df);
			t = tm_add(t, 0, 2);
			next->time_sec = t.sec;
			next->time_frac_sec = t.frac;
		}
	}

	if (disrupt || restore)
		next->disruption_marker = cur->disruption_marker + 1u; /* W-DISR-UNIQUE */
	if (restore)
		next->vm_generation_counter = cur->vm_generation_counter + 1u; /* W-VMGEN */
}
