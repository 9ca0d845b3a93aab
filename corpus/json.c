/* json.c - recursive-descent parser for the JSON subset of json.h. */
#include "json.h"

#include <stdlib.h>
#include <string.h>

struct p {
	const char *s;
	size_t n, i;
	const char *err;
};

static int fail(struct p *p, const char *why)
{
	if (!p->err)
		p->err = why;
	return -1;
}

static void ws(struct p *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static int lit(struct p *p, const char *word)
{
	size_t k = strlen(word);
	if (p->n - p->i < k || memcmp(p->s + p->i, word, k))
		return fail(p, "unknown literal");
	p->i += k;
	return 0;
}

/* The escapes a vector file needs; anything else is an error rather than
 * a silent guess. */
static const struct { char in, out; } escapes[] = {
	{ '"', '"' }, { '\\', '\\' }, { '/', '/' }, { 'n', '\n' }, { 't', '\t' },
};

static char *string(struct p *p)
{
	p->i++; /* opening quote */
	char *out = malloc(p->n - p->i + 1);
	if (!out) {
		fail(p, "out of memory");
		return NULL;
	}
	size_t k = 0;
	while (p->i < p->n && p->s[p->i] != '"') {
		char c = p->s[p->i++];
		if ((unsigned char)c < 0x20) {
			free(out);
			fail(p, "control character in a string");
			return NULL;
		}
		if (c == '\\') {
			if (p->i >= p->n)
				break;
			char e = p->s[p->i++];
			size_t x = 0;
			while (x < sizeof escapes / sizeof escapes[0] && escapes[x].in != e)
				x++;
			if (x == sizeof escapes / sizeof escapes[0]) {
				free(out);
				fail(p, "unsupported escape in a string");
				return NULL;
			}
			c = escapes[x].out;
		}
		out[k++] = c;
	}
	if (p->i >= p->n) {
		free(out);
		fail(p, "unterminated string");
		return NULL;
	}
	p->i++; /* closing quote */
	out[k] = 0;
	return out;
}

static int integer(struct p *p, int64_t *v)
{
	int neg = p->s[p->i] == '-';
	if (neg)
		p->i++;
	if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
		return fail(p, "bad number");
	uint64_t m = 0;
	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
		unsigned d = (unsigned)(p->s[p->i++] - '0');
		if (m > (UINT64_C(1) << 63) / 10 || (m == (UINT64_C(1) << 63) / 10 && d > 8))
			return fail(p, "integer out of range (use a \"0x...\" string for 64-bit values)");
		m = m * 10 + d;
	}
	if (p->i < p->n && (p->s[p->i] == '.' || p->s[p->i] == 'e' || p->s[p->i] == 'E'))
		return fail(p, "only integers are allowed");
	if (!neg && m > INT64_MAX)
		return fail(p, "integer out of range");
	*v = neg ? (int64_t)(0 - m) : (int64_t)m;
	return 0;
}

static struct json *value(struct p *p, int depth);

/* Elements of an array or members of an object, up to the closing char. */
static int items(struct p *p, struct json *j, char close, int depth)
{
	struct json **tail = &j->child;
	p->i++;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		if (j->type == JSON_OBJECT) {
			ws(p);
			if (p->i >= p->n || p->s[p->i] != '"')
				return fail(p, "expected a member name");
			if (!(key = string(p)))
				return -1;
			ws(p);
			if (p->i >= p->n || p->s[p->i] != ':') {
				free(key);
				return fail(p, "expected ':'");
			}
			p->i++;
		}
		struct json *v = value(p, depth + 1);
		if (!v) {
			free(key);
			return -1;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		return fail(p, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
	}
}

static struct json *value(struct p *p, int depth)
{
	if (depth > JSON_MAX_DEPTH) {
		fail(p, "nested too deep");
		return NULL;
	}
	ws(p);
	if (p->i >= p->n) {
		fail(p, "unexpected end of input");
		return NULL;
	}
	struct json *j = calloc(1, sizeof *j);
	if (!j) {
		fail(p, "out of memory");
		return NULL;
	}
	int rc = 0;
	switch (p->s[p->i]) {
	case '{': j->type = JSON_OBJECT; rc = items(p, j, '}', depth); break;
	case '[': j->type = JSON_ARRAY; rc = items(p, j, ']', depth); break;
	case '"': j->type = JSON_STRING; rc = (j->s = string(p)) ? 0 : -1; break;
	case 't': j->type = JSON_TRUE; rc = lit(p, "true"); break;
	case 'f': j->type = JSON_FALSE; rc = lit(p, "false"); break;
	case 'n': j->type = JSON_NULL; rc = lit(p, "null"); break;
	default: j->type = JSON_INT; rc = integer(p, &j->i); break;
	}
	if (rc) {
		json_free(j);
		return NULL;
	}
	return j;
}

struct json *json_parse(const char *text, size_t len, const char **err, size_t *at)
{
	struct p p = { text, len, 0, NULL };
	struct json *j = value(&p, 0);
	if (j) {
		ws(&p);
		if (p.i != p.n) {
			json_free(j);
			j = NULL;
			fail(&p, "trailing characters after the value");
		}
	}
	if (!j) {
		*err = p.err ? p.err : "parse error";
		*at = p.i;
	}
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;
		json_free(j->child);
		free(j->s);
		free(j->key);
		free(j);
		j = next;
	}
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (const struct json *m = obj->child; m; m = m->next)
		if (m->key && !strcmp(m->key, key))
			return m;
	return NULL;
}
