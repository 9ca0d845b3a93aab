/* page_mutate.c - mutate fields, not bytes (page_mutate.h).
 *
 * Byte mutation rarely keeps a page both well-formed and interesting: a
 * valid magic, version and size AND a product that overflows, a shift past
 * 63, a flag the reader mishandles. So each step picks one field of struct
 * vmclock_abi (reference/fields.def) or of the input header and gives it a
 * value from a table of edges: boundary values per field width, enum edges
 * (VMCLOCK-SPEC.md section 1), flag bits, shifts 0..255 (R-TIME-SHIFT),
 * sizes and mapping lengths around 32/88/104/112/4096 (R-HDR-SIZE), a
 * counter just past, far past or below counter_value (R-TIME-EXACT,
 * R-TIME-NEGDELTA), seq_count kept even 7 times in 8 (R-SEQ-ODD), the
 * header repaired 3 times in 4 (so the other steps reach the reader's
 * arithmetic). One step in 5 is left to the engine's byte mutator. */
#include "page_mutate.h"

#include <string.h>

#include "abi.h"
#include "pagein.h"
#include "rng.h"

#define PAGE_BYTES (FZ_PAGE_HDR + VMCLOCK_ABI_SIZE)

static void put(uint8_t *p, size_t off, unsigned size, uint64_t v)
{
	for (unsigned b = 0; b < size; b++)
		p[off + b] = (uint8_t)(v >> (8 * b));
}

static uint64_t get(const uint8_t *p, size_t off, unsigned size)
{
	uint64_t v = 0;
	for (unsigned b = size; b > 0; b--)
		v = v << 8 | p[off + b - 1];
	return v;
}

/* An edge of a field of `size` bytes. */
static uint64_t edge(struct vmclock_rng *r, unsigned size)
{
	uint64_t max = size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1;
	unsigned k = (unsigned)vmclock_rng_below(r, 8 * size);
	static const int kinds = 7;
	switch (vmclock_rng_below(r, kinds)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return max;
	case 3: return max - 1;
	case 4: return (UINT64_C(1) << k) & max;
	case 5: return ((UINT64_C(1) << k) - 1) & max;
	default: return vmclock_rng_edgy64(r) & max;
	}
}

/* Enum fields: their defined values, one past, and 0xff. */
static const struct { size_t off; uint8_t values[8]; unsigned n; } enums[] = {
	{ VMCLOCK_OFF_counter_id, { 0, 1, 2, 0x7f, 0xfe, 0xff }, 6 },
	{ VMCLOCK_OFF_time_type, { 0, 1, 2, 3, 4, 5, 0xff }, 7 },
	{ VMCLOCK_OFF_clock_status, { 0, 1, 2, 3, 4, 5, 0xff }, 7 },
	{ VMCLOCK_OFF_leap_second_smearing_hint, { 0, 1, 2, 3, 0xff }, 5 },
	{ VMCLOCK_OFF_leap_indicator, { 0, 1, 2, 3, 4, 5, 6, 0xff }, 8 },
};
static const uint32_t sizes[] = { 0, 31, 32, 33, 39, 40, 87, 88, 95, 96, 103, 104, 105, 111, 112, 113, 4095, 4096, 4097,
                                  0xffffffffu };
static const uint8_t shifts[] = { 0, 1, 29, 31, 32, 33, 63, 64, 65, 95, 127, 128, 129, 191, 254, 255 };

typedef void step_fn(uint8_t *p, struct vmclock_rng *r);

static void m_field_edge(uint8_t *p, struct vmclock_rng *r)
{
	const struct vmclock_field_desc *d = &vmclock_field_table[vmclock_rng_below(r, vmclock_field_count)];
	put(p, FZ_PAGE_HDR + d->offset, d->size, edge(r, d->size));
}

static void m_field_nudge(uint8_t *p, struct vmclock_rng *r)
{
	const struct vmclock_field_desc *d = &vmclock_field_table[vmclock_rng_below(r, vmclock_field_count)];
	uint64_t v = get(p, FZ_PAGE_HDR + d->offset, d->size);
	put(p, FZ_PAGE_HDR + d->offset, d->size, v + (uint64_t)vmclock_rng_below(r, 33) - 16);
}

static void m_flag(uint8_t *p, struct vmclock_rng *r)
{
	/* the 10 defined bits 3 times as often as the reserved ones */
	unsigned bit = vmclock_rng_below(r, 4) ? (unsigned)vmclock_rng_below(r, 10) : (unsigned)vmclock_rng_below(r, 64);
	p[FZ_PAGE_HDR + VMCLOCK_OFF_flags + bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

static void m_enum(uint8_t *p, struct vmclock_rng *r)
{
	size_t i = vmclock_rng_below(r, sizeof enums / sizeof enums[0]);
	p[FZ_PAGE_HDR + enums[i].off] = enums[i].values[vmclock_rng_below(r, enums[i].n)];
}

static void m_shift(uint8_t *p, struct vmclock_rng *r)
{
	p[FZ_PAGE_HDR + VMCLOCK_OFF_counter_period_shift] =
		vmclock_rng_below(r, 2) ? shifts[vmclock_rng_below(r, sizeof shifts)] : (uint8_t)vmclock_rng_below(r, 256);
}

static void m_size(uint8_t *p, struct vmclock_rng *r)
{
	uint32_t s = sizes[vmclock_rng_below(r, sizeof sizes / sizeof sizes[0])];
	if (vmclock_rng_below(r, 2))
		put(p, FZ_PAGE_HDR + VMCLOCK_OFF_size, 4, s);
	else /* the mapping length: the same ladder */
		put(p, FZ_PAGE_LEN, 2, s > FZ_MAX_LEN ? FZ_MAX_LEN : s);
}

static void m_counter(uint8_t *p, struct vmclock_rng *r)
{
	uint64_t cv = get(p, FZ_PAGE_HDR + VMCLOCK_OFF_counter_value, 8);
	static const uint64_t deltas[] = { 0, 1, 2, 1000000000, 1ull << 32, 1ull << 40, 1ull << 48, 1ull << 63 };
	uint64_t d = vmclock_rng_below(r, 2) ? deltas[vmclock_rng_below(r, 8)] : vmclock_rng_edgy64(r);
	put(p, FZ_PAGE_COUNTER, 8, vmclock_rng_below(r, 8) ? cv + d : cv - d);
}

static void m_seq(uint8_t *p, struct vmclock_rng *r)
{
	uint32_t s = (uint32_t)edge(r, 4);
	if (vmclock_rng_below(r, 8))
		s &= ~1u;
	else
		p[FZ_PAGE_CTRL] |= FZ_CTRL_KEEP_ODD;
	put(p, FZ_PAGE_HDR + VMCLOCK_OFF_seq_count, 4, s);
}

static const struct { step_fn *fn; unsigned weight; } steps[] = {
	{ m_field_edge, 4 }, { m_field_nudge, 2 }, { m_flag, 3 }, { m_enum, 3 },
	{ m_shift, 2 },      { m_size, 2 },        { m_counter, 3 }, { m_seq, 1 },
};

static void repair_header(uint8_t *p, struct vmclock_rng *r)
{
	put(p, FZ_PAGE_HDR + VMCLOCK_OFF_magic, 4, VMCLOCK_MAGIC);
	put(p, FZ_PAGE_HDR + VMCLOCK_OFF_version, 2, VMCLOCK_VERSION);
	if (vmclock_rng_below(r, 2)) {
		uint64_t len = fz_norm_len((unsigned)get(p, FZ_PAGE_LEN, 2));
		uint64_t size = get(p, FZ_PAGE_HDR + VMCLOCK_OFF_size, 4);
		if (size > len || size < VMCLOCK_MIN_SIZE)
			put(p, FZ_PAGE_HDR + VMCLOCK_OFF_size, 4, len);
	}
	if (vmclock_rng_below(r, 2))
		p[FZ_PAGE_HDR + VMCLOCK_OFF_counter_id] = VMCLOCK_COUNTER_NATIVE;
}

size_t fz_page_mutate(uint8_t *data, size_t size, size_t max, uint32_t seed)
{
	struct vmclock_rng r = { seed * 0x9e3779b97f4a7c15ull + size };
	if (max < PAGE_BYTES || vmclock_rng_below(&r, 5) == 0)
		return 0;
	if (size < PAGE_BYTES) {
		memset(data + size, 0, PAGE_BYTES - size);
		size = PAGE_BYTES;
	}
	unsigned total = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		total += steps[i].weight;
	unsigned n = 1 + (unsigned)vmclock_rng_below(&r, 3);
	for (unsigned k = 0; k < n; k++) {
		unsigned w = (unsigned)vmclock_rng_below(&r, total);
		size_t i = 0;
		while (w >= steps[i].weight)
			w -= steps[i++].weight;
		steps[i].fn(data, &r);
	}
	if (vmclock_rng_below(&r, 4))
		repair_header(data, &r);
	/* keep odd only when the control bit asks for it (pagein.h) */
	if (!(data[FZ_PAGE_CTRL] & FZ_CTRL_KEEP_ODD))
		data[FZ_PAGE_HDR + VMCLOCK_OFF_seq_count] &= 0xfe;
	return size;
}
