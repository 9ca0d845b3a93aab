/* hdr.c - the R-HDR family: the constant header (magic, version, size,
 * counter_id, time_type). Fixed vectors from the malformed catalogue, then
 * sweeps and random values. */
#include <stdio.h>
#include "gen.h"

#define RANDOM_CASES 200

static void magic(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_HDR_MAGIC, 0);
	for (int i = 0; i < RANDOM_CASES; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		do
			f.magic = (uint32_t)vmclock_rng_edgy64(r);
		while (f.magic == VMCLOCK_MAGIC);
		gen_push(l, R_HDR_MAGIC, "random magic", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_INVALID, 1000003, 1000);
	}
}

static void version(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_HDR_VERSION, 0);
	for (int i = 0; i < RANDOM_CASES; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		do
			f.version = (uint16_t)vmclock_rng_edgy64(r);
		while (f.version == VMCLOCK_VERSION);
		gen_push(l, R_HDR_VERSION, "random version", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_INVALID, 1000003, 1000);
	}
}

/* Sizes around every field end, on mappings from 32 bytes to a page. */
static void size(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_HDR_SIZE, 0);
	for (int i = 0; i < RANDOM_CASES; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		size_t len = 8 * (4 + vmclock_rng_below(r, VMCLOCK_PAGE_SIZE / 8 - 3));  /* 32..4096 */
		switch (vmclock_rng_below(r, 3)) {
		case 0: f.size = vmclock_rng_below(r, VMCLOCK_ABI_SIZE + 8); break;
		case 1: f.size = len + vmclock_rng_below(r, 3) - 1; break;
		default: f.size = (uint32_t)vmclock_rng_edgy64(r); break;
		}
		gen_push(l, R_HDR_SIZE, "random size", 1, &f, len, gen_expect_for_size(f.size, len), 1000003, 1000);
	}
}

/* Every counter_id: only the native one gives time (R-HDR-COUNTER). */
static void counter(struct vmclock_rng *r, struct sc_case_list *l)
{
	(void)r;
	gen_catalogue(l, R_HDR_COUNTER, 0);
	for (unsigned id = 0; id < 256; id++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_id = id;
		char name[32];
		snprintf(name, sizeof name, "counter_id 0x%02x", id);
		gen_push(l, R_HDR_COUNTER, name, 0, &f, VMCLOCK_PAGE_SIZE,
		         id == VMCLOCK_COUNTER_NATIVE ? VMCLOCK_EXPECT_TIME : VMCLOCK_EXPECT_NO_TIME, 1000003, 1000);
	}
}

/* Every time_type: 0..2 give time of that type, the rest none. */
static void timetype(struct vmclock_rng *r, struct sc_case_list *l)
{
	(void)r;
	gen_catalogue(l, R_HDR_TIMETYPE, 0);
	for (unsigned t = 0; t < 256; t++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.time_type = t;
		char name[32];
		snprintf(name, sizeof name, "time_type %u", t);
		gen_push(l, R_HDR_TIMETYPE, name, 0, &f, VMCLOCK_PAGE_SIZE,
		         t <= VMCLOCK_TIME_MONOTONIC ? VMCLOCK_EXPECT_TIME : VMCLOCK_EXPECT_NO_TIME, 1000003, 1000);
	}
}

FAMILY(fam_hdr, "R-HDR",
       { R_HDR_MAGIC, magic, 0 }, { R_HDR_VERSION, version, 0 }, { R_HDR_SIZE, size, 0 },
       { R_HDR_COUNTER, counter, 0 }, { R_HDR_TIMETYPE, timetype, 0 });
