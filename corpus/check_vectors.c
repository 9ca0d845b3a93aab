/* check_vectors.c - run test vector files (corpus/vectors/CLAUSE.json, schema in
 * docs/vectors.md) against a reader: the linked reference reader, or the
 * shared object named by VMCLOCK_FUZZ_READER. The page is handed over as the
 * fuzz targets hand it: read-only, a guard page right after `len`.
 *
 *   check_vectors [--serves utc|tai] FILE.json...
 *     --serves: the reader serves only that one of UTC and TAI (R-TIME-LIVE
 *     allows it); "valid" vectors of the other become "acceptable".
 * Prints one line per failing vector (tcId, clause, why) and a count; exit
 * 0 when every vector holds, 1 when one does not, 2 on a bad file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "iut.h"
#include "pageview.h"
#include "vectors.h"

struct tally {
	const char *file;
	unsigned serves;      /* time types (bit per type) the reader serves: R-TIME-LIVE asks one of UTC, TAI */
	long ran, failed;
	long by_result[3];
};

static uint64_t g_counter;
static uint64_t counter_read(void *ctx)
{
	(void)ctx;
	return g_counter;
}

static int run_one(const struct vec *v, void *ctx)
{
	struct tally *t = ctx;
	const struct fz_iut *iut = fz_iut_get();
	size_t len = v->len & ~(size_t)7;
	if (len != v->len) {
		printf("SKIP %s tcId %lld: len %zu is not a multiple of 8\n", t->file, (long long)v->id, v->len);
		return 0;
	}
	/* A "valid" vector of a time type the reader does not serve (--serves)
	 * is "acceptable" for it: R-TIME-LIVE asks for UTC or TAI, one is enough. */
	struct vec w;
	if (v->result == VEC_VALID && v->npage > VMCLOCK_OFF_time_type && v->page[VMCLOCK_OFF_time_type] < 8 &&
	    !(t->serves & (1u << v->page[VMCLOCK_OFF_time_type]))) {
		w = *v;
		w.result = VEC_ACCEPTABLE;
		v = &w;
	}
	const volatile void *page = fz_view_load(v->page, v->npage, len);
	g_counter = v->counter;
	struct vmclock_iut_counter c = { counter_read, NULL };
	struct vmclock_iut_reading r;
	memset(&r, 0, sizeof r);
	fz_view_enter("check_vectors");
	int st = iut->read(page, len, &c, &r);
	fz_view_leave();
	char buf[256];
	const char *why = vec_judge(v, st, &r, buf, sizeof buf);
	t->ran++;
	t->by_result[v->result]++;
	if (why) {
		t->failed++;
		printf("FAIL %s tcId %lld %s (%s, %s): %s\n", t->file, (long long)v->id, v->clause,
		       vec_result_name(v->result), v->comment, why);
	}
	return 0;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = NULL;
	size_t cap = 0;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			char *nb = realloc(b, cap = cap ? 2 * cap : 65536);
			if (!nb)
				break;
			b = nb;
		}
		size_t got = fread(b + *n, 1, cap - *n, f);
		if (!got)
			break;
		*n += got;
	}
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	unsigned serves = ~0u;
	int first = 1;
	static const struct { const char *name; unsigned mask; } serve_opts[] = {
		{ "utc", ~0u & ~(1u << VMCLOCK_TIME_TAI) }, { "tai", ~0u & ~(1u << VMCLOCK_TIME_UTC) },
	};
	if (argc > 2 && !strcmp(argv[1], "--serves")) {
		serves = 0;
		for (size_t k = 0; k < sizeof serve_opts / sizeof serve_opts[0]; k++)
			if (!strcmp(argv[2], serve_opts[k].name))
				serves = serve_opts[k].mask;
		first = 3;
	}
	if (argc <= first || !serves) {
		fprintf(stderr, "usage: %s [--serves utc|tai] FILE.json...\n", argv[0]);
		return 2;
	}
	long ran = 0, failed = 0, res[3] = { 0, 0, 0 };
	for (int i = first; i < argc; i++) {
		size_t n;
		char *text = slurp(argv[i], &n);
		if (!text) {
			perror(argv[i]);
			return 2;
		}
		struct tally t = { argv[i], serves, 0, 0, { 0, 0, 0 } };
		char ebuf[256];
		const char *err;
		long k = vec_load(text, n, run_one, &t, ebuf, sizeof ebuf, &err);
		free(text);
		if (k < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			return 2;
		}
		ran += t.ran;
		failed += t.failed;
		for (int r = 0; r < 3; r++)
			res[r] += t.by_result[r];
	}
	printf("check_vectors: %ld vectors (%ld valid, %ld invalid, %ld acceptable) in %d file(s) against %s: %ld failed\n",
	       ran, res[0], res[1], res[2], argc - first, fz_iut_get()->name, failed);
	return failed ? 1 : 0;
}
