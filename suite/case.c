/* case.c - case lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "case.h"

void sc_case_push(struct sc_case_list *l, const struct sc_case *c)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v) {
			perror("vmclock-cts: realloc");
			exit(2);
		}
	}
	l->v[l->n] = *c;
	l->v[l->n].index = (unsigned)l->n;
	l->v[l->n].kind = sc_case_kind(c);
	if (c->random)
		l->randoms++;
	else
		l->vectors++;
	l->n++;
}

void sc_case_list_free(struct sc_case_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

void sc_case_init(struct sc_case *c, enum vmclock_clause clause, const char *name,
                  const struct vmclock_fields *f, size_t len, enum vmclock_expect expect)
{
	memset(c, 0, sizeof *c);
	c->clause = clause;
	c->expect = expect;
	snprintf(c->name, sizeof c->name, "%s", name);
	vmclock_image_from(&c->img, f, len, 0);
	/* Counter just past counter_value: a small positive delta, stepping 1000
	 * ticks per read so a reading's counter tells which read it came from. */
	c->counter_start = f->counter_value + 1000003;
	c->counter_step = 1000;
}

int sc_case_kind(const struct sc_case *c)
{
	if (c->kind == SC_KIND_QUIET)
		return SC_KIND_QUIET;
	int open = c->img.len >= VMCLOCK_END(seq_count) && (vmclock_load32(c->img.bytes, VMCLOCK_OFF_seq_count) & 1);
	for (unsigned i = 0; i < c->dyn.niv; i++)
		open = c->dyn.iv[i].what == IV_BEGIN;
	if (open)
		return SC_KIND_NEVER_FINISH;
	return c->dyn.ncalls ? SC_KIND_DYNAMIC : SC_KIND_STATIC;
}
