/* vectors.h - test vectors for other languages (docs/vectors.md, schema
 * "vmclock-cts-vectors" version 1): the in-memory form, the loader from
 * the JSON of corpus/vectors/CLAUSE.json, and the judgement of one reading.
 * Used by check_vectors (make test) and vmclock_vector_fuzzer. */
#ifndef VMCLOCK_VECTORS_H
#define VMCLOCK_VECTORS_H

#include <stddef.h>
#include <stdint.h>
#include "json.h"
#include "vmclock_iut.h"

#define VEC_SCHEMA "vmclock-cts-vectors"
#define VEC_SCHEMA_VERSION 1
#define VEC_MAX_PAGE 4096

enum vec_result { VEC_VALID, VEC_INVALID, VEC_ACCEPTABLE };
/* For each expected part: no rule, must not be reported, or this value. */
enum vec_rule { RULE_NONE, RULE_ABSENT, RULE_VALUE };

/* The optional parts of a reading a vector can pin (table order). */
enum vec_part { VP_ESTERR_MIN, VP_MAXERR_MIN, VP_MARKER_V, VP_VMGEN_V, VP_TAI_V, VEC_NPARTS };

struct vec {
	int64_t id;
	char clause[32];
	char comment[160];
	enum vec_result result;
	uint8_t page[VEC_MAX_PAGE];   /* page bytes; the rest of len is zero */
	size_t npage, len;
	uint64_t counter;
	int accept;                   /* 0: the header must be rejected, nothing reported */
	enum vec_rule time;
	uint64_t sec, sec_nearest;
	uint32_t nsec, nsec_nearest;
	uint8_t time_type;
	enum vec_rule part[VEC_NPARTS];
	uint64_t value[VEC_NPARTS];   /* tai_offset_sec as int64 bits */
};

struct vec_part_desc {
	const char *name;             /* JSON member of "expect" */
	uint32_t bit;                 /* VMCLOCK_IUT_HAS_* */
	int at_least;                 /* a bound: reported >= value (rounding up is fine) */
	int is_signed;                /* a JSON integer, not a "0x" string */
};
extern const struct vec_part_desc vec_parts[VEC_NPARTS];

const char *vec_result_name(enum vec_result r);

/* Parses a vector file; calls fn for each vector (stops when fn returns
 * non-zero). Returns the number of vectors, or -1 with *err set (a static
 * or ebuf text). */
long vec_load(const char *text, size_t len, int (*fn)(const struct vec *v, void *ctx), void *ctx,
              char *ebuf, size_t elen, const char **err);

/* Judges one reading. NULL when it satisfies the vector, else why not. */
const char *vec_judge(const struct vec *v, int status, const struct vmclock_iut_reading *r, char *buf, size_t len);

#endif
