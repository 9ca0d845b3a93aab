/* vectors.c - load and judge test vectors (vectors.h; docs/vectors.md). */
#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct vec_part_desc vec_parts[VEC_NPARTS] = {
	[VP_ESTERR_MIN] = { "esterror_ns_min", VMCLOCK_IUT_HAS_ESTERROR, 1, 0 },
	[VP_MAXERR_MIN] = { "maxerror_ns_min", VMCLOCK_IUT_HAS_MAXERROR, 1, 0 },
	[VP_MARKER_V] = { "disruption_marker", VMCLOCK_IUT_HAS_DISRUPTION, 0, 0 },
	[VP_VMGEN_V] = { "vm_generation_counter", VMCLOCK_IUT_HAS_VMGEN, 0, 0 },
	[VP_TAI_V] = { "tai_offset_sec", VMCLOCK_IUT_HAS_TAI_OFFSET, 0, 1 },
};

static const char *const result_names[] = { [VEC_VALID] = "valid", [VEC_INVALID] = "invalid",
                                             [VEC_ACCEPTABLE] = "acceptable" };

const char *vec_result_name(enum vec_result r)
{
	return result_names[r];
}

/* "0x..." (1 to 16 hex digits) -> u64. */
static int hex64(const struct json *j, uint64_t *v)
{
	if (!j || j->type != JSON_STRING || strncmp(j->s, "0x", 2) || !j->s[2] || strlen(j->s) > 18)
		return -1;
	uint64_t x = 0;
	for (const char *p = j->s + 2; *p; p++) {
		const char *digits = "0123456789abcdef";
		const char *d = strchr(digits, *p);
		if (!d || !*p)
			return -1;
		x = x << 4 | (uint64_t)(d - digits);
	}
	*v = x;
	return 0;
}

static int int_in(const struct json *j, int64_t lo, int64_t hi, int64_t *v)
{
	if (!j || j->type != JSON_INT || j->i < lo || j->i > hi)
		return -1;
	*v = j->i;
	return 0;
}

static int bytes(const struct json *j, uint8_t *out, size_t max, size_t *n)
{
	if (!j || j->type != JSON_STRING)
		return -1;
	size_t k = strlen(j->s);
	if (k % 2 || k / 2 > max)
		return -1;
	for (size_t i = 0; i < k / 2; i++) {
		unsigned b;
		char two[3] = { j->s[2 * i], j->s[2 * i + 1], 0 };
		char *end;
		b = (unsigned)strtoul(two, &end, 16);
		if (*end || !two[0] || two[0] == '+' || two[0] == '-' || two[0] == ' ')
			return -1;
		out[i] = (uint8_t)b;
	}
	*n = k / 2;
	return 0;
}

/* One part of "expect": absent member = no rule, null = must not be
 * reported, a value = that value. */
static int rule(const struct json *expect, const char *name, int is_signed, enum vec_rule *r, uint64_t *v)
{
	const struct json *j = json_get(expect, name);
	*r = !j ? RULE_NONE : j->type == JSON_NULL ? RULE_ABSENT : RULE_VALUE;
	if (*r != RULE_VALUE)
		return 0;
	if (!is_signed)
		return hex64(j, v);
	int64_t s;
	if (int_in(j, -32768, 32767, &s))
		return -1;
	*v = (uint64_t)s;
	return 0;
}

static const char *one(const struct json *t, struct vec *v)
{
	memset(v, 0, sizeof *v);
	int64_t x;
	if (int_in(json_get(t, "tcId"), 0, INT64_MAX, &v->id))
		return "tcId: a non-negative integer";
	const struct json *c = json_get(t, "clause");
	if (!c || c->type != JSON_STRING || strlen(c->s) >= sizeof v->clause)
		return "clause: a clause id string";
	strcpy(v->clause, c->s);
	const struct json *cm = json_get(t, "comment");
	if (cm && cm->type == JSON_STRING)
		snprintf(v->comment, sizeof v->comment, "%s", cm->s);
	const struct json *res = json_get(t, "result");
	size_t k = 0;
	while (res && res->type == JSON_STRING && k < 3 && strcmp(res->s, result_names[k]))
		k++;
	if (!res || res->type != JSON_STRING || k == 3)
		return "result: valid, invalid or acceptable";
	v->result = (enum vec_result)k;
	if (int_in(json_get(t, "len"), 0, VEC_MAX_PAGE, &x))
		return "len: 0..4096";
	v->len = (size_t)x;
	if (bytes(json_get(t, "page"), v->page, v->len, &v->npage))
		return "page: hex bytes, at most len of them";
	if (hex64(json_get(t, "counter"), &v->counter))
		return "counter: a \"0x...\" string";
	const struct json *e = json_get(t, "expect");
	if (!e || e->type != JSON_OBJECT)
		return "expect: an object";
	const struct json *acc = json_get(e, "accept");
	if (!acc || (acc->type != JSON_TRUE && acc->type != JSON_FALSE))
		return "expect.accept: true or false";
	v->accept = acc->type == JSON_TRUE;
	const struct json *tm = json_get(e, "time");
	v->time = !tm ? RULE_NONE : tm->type == JSON_NULL ? RULE_ABSENT : RULE_VALUE;
	if (v->time == RULE_VALUE) {
		int64_t ns, nn, tt;
		if (hex64(json_get(tm, "sec"), &v->sec) || hex64(json_get(tm, "sec_nearest"), &v->sec_nearest) ||
		    int_in(json_get(tm, "nsec"), 0, 999999999, &ns) ||
		    int_in(json_get(tm, "nsec_nearest"), 0, 999999999, &nn) || int_in(json_get(tm, "time_type"), 0, 255, &tt))
			return "expect.time: sec, sec_nearest (\"0x...\"), nsec, nsec_nearest (0..999999999), time_type";
		v->nsec = (uint32_t)ns;
		v->nsec_nearest = (uint32_t)nn;
		v->time_type = (uint8_t)tt;
	}
	for (int p = 0; p < VEC_NPARTS; p++)
		if (rule(e, vec_parts[p].name, vec_parts[p].is_signed, &v->part[p], &v->value[p]))
			return "expect: a bad value for an error bound, marker, vmgen or tai_offset_sec";
	return NULL;
}

long vec_load(const char *text, size_t len, int (*fn)(const struct vec *v, void *ctx), void *ctx, char *ebuf,
              size_t elen, const char **err)
{
	size_t at = 0;
	struct json *root = json_parse(text, len, err, &at);
	if (!root) {
		snprintf(ebuf, elen, "JSON: %s at byte %zu", *err, at);
		*err = ebuf;
		return -1;
	}
	long n = -1;
	const struct json *s = json_get(root, "schema"), *ver = json_get(root, "schemaVersion");
	const struct json *tests = json_get(root, "tests");
	*err = NULL;
	if (!s || s->type != JSON_STRING || strcmp(s->s, VEC_SCHEMA))
		*err = "not a vmclock-cts-vectors file (schema)";
	else if (!ver || ver->type != JSON_INT || ver->i != VEC_SCHEMA_VERSION)
		*err = "unsupported schemaVersion (this checker reads version 1)";
	else if (!tests || tests->type != JSON_ARRAY)
		*err = "tests: an array";
	if (!*err) {
		struct vec *v = malloc(sizeof *v);
		n = 0;
		for (const struct json *t = tests->child; t && v; t = t->next) {
			const char *why = one(t, v);
			if (why) {
				snprintf(ebuf, elen, "test #%ld: %s", n, why);
				*err = ebuf;
				n = -1;
				break;
			}
			n++;
			if (fn && fn(v, ctx))
				break;
		}
		free(v);
	}
	json_free(root);
	return n;
}

const char *vec_judge(const struct vec *v, int status, const struct vmclock_iut_reading *r, char *buf, size_t len)
{
	if (status < VMCLOCK_IUT_OK || status > VMCLOCK_IUT_BUSY)
		return "status is not an enum vmclock_iut_status";
	if (!v->accept) {
		if (status == VMCLOCK_IUT_OK || r->filled)
			return "accepted a page it must reject (reported something)";
		return NULL;
	}
	int has_time = (r->filled & VMCLOCK_IUT_HAS_TIME) != 0;
	if (v->time == RULE_ABSENT && (has_time || status == VMCLOCK_IUT_OK))
		return "reported a time where none may be reported";
	if (v->time == RULE_VALUE) {
		if (!has_time && v->result == VEC_VALID)
			return "refused the time of a page it must serve";
		if (has_time) {
			int floor_ok = r->sec == v->sec && r->nsec == v->nsec;
			int near_ok = r->sec == v->sec_nearest && r->nsec == v->nsec_nearest;
			if ((!floor_ok && !near_ok) || r->time_type != v->time_type) {
				snprintf(buf, len, "time %llu.%09u (type %u), expected %llu.%09u or %llu.%09u (type %u)",
				         (unsigned long long)r->sec, r->nsec, r->time_type, (unsigned long long)v->sec, v->nsec,
				         (unsigned long long)v->sec_nearest, v->nsec_nearest, v->time_type);
				return buf;
			}
			if (r->counter != v->counter)
				return "the reading's counter is not the counter value handed to it";
		}
	}
	if (v->result == VEC_VALID && status != VMCLOCK_IUT_OK)
		return "did not return OK for a page it must serve";
	const uint64_t got[VEC_NPARTS] = {
		[VP_ESTERR_MIN] = r->esterror_ns, [VP_MAXERR_MIN] = r->maxerror_ns,
		[VP_MARKER_V] = r->disruption_marker, [VP_VMGEN_V] = r->vm_generation_counter,
		[VP_TAI_V] = (uint64_t)(int64_t)r->tai_offset_sec,
	};
	for (int p = 0; p < VEC_NPARTS; p++) {
		int filled = (r->filled & vec_parts[p].bit) != 0;
		if (v->part[p] == RULE_ABSENT && filled) {
			snprintf(buf, len, "reported %s, which must not be reported here", vec_parts[p].name);
			return buf;
		}
		if (v->part[p] != RULE_VALUE || !filled)
			continue;
		int ok = vec_parts[p].at_least ? got[p] >= v->value[p] : got[p] == v->value[p];
		if (!ok) {
			snprintf(buf, len, "%s is 0x%llx, expected %s0x%llx", vec_parts[p].name, (unsigned long long)got[p],
			         vec_parts[p].at_least ? "at least " : "", (unsigned long long)v->value[p]);
			return buf;
		}
	}
	return NULL;
}
