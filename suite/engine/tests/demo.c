/* demo.c - the interleaving engine catches a torn read deterministically.
 * Not built by the Makefile. Build and run:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -g -Ireference -Isuite \
 *      suite/engine/tests/demo.c suite/engine/trap.c reference/abi.c \
 *      reference/writer.c reference/rng.c reference/timemath.c -lm -o /tmp/engine-demo && /tmp/engine-demo
 *
 * For every event k of a reader's undisturbed run, the hook applies one
 * whole writer update (BEGIN, every changed field, END) just before event k
 * and the reader runs free after it. A reading is torn when it equals
 * neither the reading of the old state nor that of the new one.
 * Expected: the reader without the second seq_count check is torn at the
 * events inside its copy; the correct reader (callback or rdtsc) never is.
 * Exit status 0 iff that holds. */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

static struct vmclock_fields A, B;
static struct vmclock_step steps[64];
static size_t nsteps;

struct sched {
	unsigned k;
	uint64_t counter;
};

static uint64_t hook(void *ctx, const struct engine_event *ev, volatile uint8_t *wv)
{
	struct sched *s = ctx;
	if (!(ev->flags & ENGINE_EVF_FREE) && ev->index == s->k)
		apply_steps(wv, steps, nsteps);
	return ev->kind == ENGINE_EV_COUNTER ? s->counter : 0;
}

static int same(const struct vmclock_iut_reading *a, const struct vmclock_iut_reading *b)
{
	return a->sec == b->sec && a->nsec == b->nsec && a->counter == b->counter &&
	       a->esterror_ns == b->esterror_ns && a->maxerror_ns == b->maxerror_ns &&
	       a->disruption_marker == b->disruption_marker &&
	       a->vm_generation_counter == b->vm_generation_counter && a->flags == b->flags;
}

static int rd_good_rdtsc(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                         struct vmclock_iut_reading *out)
{
	(void)len;
	return seq_reader(page, c, out, 1, CNT_RDTSC_ASM);
}

/* Returns how many schedules gave a torn reading. */
static unsigned sweep(struct engine *e, const char *name, vmclock_iut_read_fn fn, unsigned flags)
{
	const uint64_t cnt = 1000000;
	struct vmclock_iut_reading ra, rb, out;
	struct engine_result r;
	struct sched s = { UINT_MAX - 1, cnt };
	volatile uint8_t *wv = engine_page(e, VMCLOCK_PAGE_SIZE);

	/* the two legal answers: each state read undisturbed */
	put_state(wv, &B);
	engine_run(e, fn, VMCLOCK_PAGE_SIZE, flags, hook, &s, &rb, UINT_MAX, &r);
	put_state(wv, &A);
	engine_run(e, fn, VMCLOCK_PAGE_SIZE, flags, hook, &s, &ra, UINT_MAX, &r);
	unsigned n = r.events, torn = 0;

	printf("%s: %u events per undisturbed read; update injected before event k, free after k\n  torn at k =",
	       name, n);
	for (unsigned k = 0; k < n; k++) {
		put_state(wv, &A);
		s.k = k;
		int o = engine_run(e, fn, VMCLOCK_PAGE_SIZE, flags, hook, &s, &out, k, &r);
		if (o != ENGINE_OK || r.status != VMCLOCK_IUT_OK) {
			printf(" [k=%u outcome %d status %d]", k, o, r.status);
			torn++;
			continue;
		}
		if (!same(&out, &ra) && !same(&out, &rb)) {
			torn++;
			printf(" %u", k);
			if (torn == 1)
				printf("(disruption_marker %s, sec %s, vmgen %s)",
				       out.disruption_marker == ra.disruption_marker ? "old" : "new",
				       out.sec == ra.sec ? "old" : out.sec == rb.sec ? "new" : "?",
				       out.vm_generation_counter == ra.vm_generation_counter ? "old" : "new");
		}
	}
	printf("%s\n  -> %u of %u schedules torn\n", torn ? "" : " none", torn, n);
	return torn;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	nsteps = make_two_states(&A, &B, steps);
	printf("writer update: %zu steps (BEGIN, %zu field writes, END)\n", nsteps, nsteps - 2);

	struct engine *e = engine_create();
	if (!e) {
		perror("engine_create");
		return 2;
	}
	unsigned bad = sweep(e, "no second seq check", rd_norecheck, 0);
	unsigned good = sweep(e, "correct seqlock reader", rd_good, 0);
	unsigned good_tsc = sweep(e, "correct seqlock reader, rdtsc", rd_good_rdtsc, ENGINE_F_RDTSC);
	engine_destroy(e);
	int ok = bad > 0 && good == 0 && good_tsc == 0;
	printf("%s\n", ok ? "DEMO OK: bad reader caught, correct readers never torn"
	                  : "DEMO FAILED");
	return ok ? 0 : 1;
}
