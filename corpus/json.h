/* json.h - the small JSON subset of the test vector files (docs/vectors.md):
 * objects, arrays, strings (escapes \" \\ \/ \n \t only), integers (no
 * fractions, no exponents), true, false, null. Enough for the vectors, small
 * enough to read in one sitting and to fuzz (vmclock_vector_fuzzer).
 * Nesting is bounded, the input need not be NUL-terminated. */
#ifndef VMCLOCK_JSON_H
#define VMCLOCK_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_INT, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	int64_t i;                /* JSON_INT */
	char *s;                  /* JSON_STRING (NUL-terminated copy); member name in an object */
	char *key;                /* set on members of an object */
	struct json *child;       /* first element / member */
	struct json *next;        /* next sibling */
};

#define JSON_MAX_DEPTH 16

/* Parses [text, text+len). Returns NULL and sets *err (static text) and
 * *at (byte offset) on error. Free with json_free. */
struct json *json_parse(const char *text, size_t len, const char **err, size_t *at);
void json_free(struct json *j);

/* Member of an object by name (NULL if absent or not an object). */
const struct json *json_get(const struct json *obj, const char *key);

#endif
