/* writer.h - the randomized writer: valid pages, update steps, and the
 * catalogue of malformed pages. Every random choice comes from a
 * struct vmclock_rng seeded by the caller (and printed by the caller). */
#ifndef VMCLOCK_WRITER_H
#define VMCLOCK_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "abi.h"
#include "rng.h"

/* A page as the suite maps it: the structure at bytes[0], len bytes mapped
 * (the reader gets len; the suite puts a guard page right after). */
struct vmclock_image {
	uint8_t bytes[VMCLOCK_PAGE_SIZE];
	size_t len;
};

/* A well-formed, fully featured page: magic, version 1, size 4096, native
 * counter, UTC, SYNCHRONIZED, seq_count even, every VALID flag and
 * VM_GEN_COUNTER_PRESENT set, a 1 GHz-ish counter (period
 * 0x89705F4136B4A597, shift 29), time about 2026. Deterministic. */
void vmclock_writer_default(struct vmclock_fields *f);

/* A random valid page: every field random within its legal range (edge
 * values favoured), size 112..4096, seq_count even, time_type 0..2, native
 * counter, status not UNRELIABLE. */
void vmclock_writer_random(struct vmclock_rng *r, struct vmclock_fields *f);

/* fields -> image: encode, size/len as given (len <= VMCLOCK_PAGE_SIZE),
 * bytes past the structure filled with fill. */
void vmclock_image_from(struct vmclock_image *img, const struct vmclock_fields *f,
                        size_t len, uint8_t fill);

/* The malformed-page catalogue: every header defect of the clause
 * catalogue, enum boundary values, reserved bits, and the size ladder
 * 0/31/32/103/104/111/112/4096/larger than the mapping. Each entry edits a
 * default page; "expect" says what a correct reader returns. */
enum vmclock_expect {
	VMCLOCK_EXPECT_INVALID,   /* must reject (VMCLOCK_IUT_INVALID) */
	VMCLOCK_EXPECT_NO_TIME,   /* valid page, but no usable time */
	VMCLOCK_EXPECT_TIME,      /* valid page with time (perhaps fewer fields) */
	VMCLOCK_EXPECT_ANY,       /* only robustness is judged */
};
struct vmclock_malformed {
	const char *name;         /* "magic-byteswapped", "size-31", ... */
	const char *clause;       /* the clause it exercises, e.g. "R-HDR-SIZE" */
	enum vmclock_expect expect;
	/* Edit a default page; may change *len (the mapping length). */
	void (*apply)(struct vmclock_fields *f, size_t *len);
};
extern const struct vmclock_malformed vmclock_malformed_table[];
extern const size_t vmclock_malformed_count;

/* ---- Update steps (used by the interleaving engine) ----
 * A writer update is a sequence of steps on a live page: BEGIN (seq += 1,
 * now odd), WRITE of one field, END (seq += 1, now even). */
enum vmclock_step_kind { VMCLOCK_STEP_BEGIN, VMCLOCK_STEP_WRITE, VMCLOCK_STEP_END };
struct vmclock_step {
	enum vmclock_step_kind kind;
	uint16_t field;           /* index into vmclock_field_table (WRITE) */
	uint64_t value;           /* new value (WRITE) */
};
/* Apply one step to a live little-endian page (plain stores, in order). */
void vmclock_step_apply(volatile uint8_t *page, const struct vmclock_step *s);

/* Build the steps that turn state `from` into `to` (protected fields only),
 * in field order: BEGIN, WRITE..., END. Returns the number of steps
 * (<= 2 + vmclock_field_count). */
size_t vmclock_update_steps(const struct vmclock_fields *from, const struct vmclock_fields *to,
                            struct vmclock_step *steps);

/* A random next state from `cur`: time advanced, period nudged, markers
 * kept (or changed when disrupt / restore is set). Keeps the MONOTONIC
 * rule when cur has TIME_MONOTONIC. seq_count is cur's + 2. */
void vmclock_writer_next(struct vmclock_rng *r, const struct vmclock_fields *cur,
                         int disrupt, int restore, struct vmclock_fields *next);

#endif
