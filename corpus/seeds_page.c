/* seeds_page.c - seeds of vmclock_page_fuzzer (input: fuzz/common/pagein.h):
 * the writer's default page, every entry of the malformed catalogue, and
 * random valid pages from the seed, each at a counter just past
 * counter_value and at one that makes delta * period pass 2^64 (where
 * 64-bit products and lost carries show, R-TIME-EXACT). */
#include <stdio.h>
#include <string.h>

#include "pagein.h"
#include "seeds.h"
#include "writer.h"

#define RANDOM_PAGES 48

/* Page bytes are written only up to the structure and, for a larger
 * mapping, zero-filled by the target: seeds stay small. */
static void put(struct seed_out *o, const char *name, const struct vmclock_fields *f, size_t len,
                uint64_t counter, uint8_t ctrl)
{
	uint8_t buf[FZ_PAGE_HDR + VMCLOCK_ABI_SIZE];
	size_t n = fz_page_put_header(buf, ctrl, counter, len);
	vmclock_encode(f, buf + n);
	size_t page = len < VMCLOCK_ABI_SIZE ? len : VMCLOCK_ABI_SIZE;
	seed_write(o, name, buf, n + page);
}

/* Two counters per page: one second in, and far enough on that the
 * 128-bit product carries. */
static void put_pair(struct seed_out *o, const char *name, const struct vmclock_fields *f, size_t len, uint8_t ctrl)
{
	char nm[128];
	snprintf(nm, sizeof nm, "%s-near", name);
	put(o, nm, f, len, f->counter_value + 1000000000u, ctrl);
	snprintf(nm, sizeof nm, "%s-far", name);
	put(o, nm, f, len, f->counter_value + (UINT64_C(1) << 40), ctrl);
}

void seeds_page(struct seed_out *o, uint64_t seed)
{
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	put_pair(o, "default", &f, VMCLOCK_PAGE_SIZE, 0);
	for (size_t i = 0; i < vmclock_malformed_count; i++) {
		const struct vmclock_malformed *m = &vmclock_malformed_table[i];
		size_t len = VMCLOCK_PAGE_SIZE;
		vmclock_writer_default(&f);
		m->apply(&f, &len);
		char nm[96];
		snprintf(nm, sizeof nm, "malformed-%s", m->name);
		/* an odd seq_count in the catalogue is meant to stay odd */
		put_pair(o, nm, &f, len, (f.seq_count & 1) ? FZ_CTRL_KEEP_ODD : 0);
	}
	struct vmclock_rng r = { seed };
	for (unsigned i = 0; i < RANDOM_PAGES; i++) {
		vmclock_writer_random(&r, &f);
		char nm[64];
		snprintf(nm, sizeof nm, "random-%02u", i);
		put_pair(o, nm, &f, (size_t)(f.size < VMCLOCK_PAGE_SIZE ? (f.size + 7) & ~7ull : VMCLOCK_PAGE_SIZE), 0);
	}
}
