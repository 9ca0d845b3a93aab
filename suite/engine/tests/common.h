/* common.h - small readers and helpers shared by the engine's test programs
 * (bench.c, demo.c). Not part of the suite binary.
 *
 * The readers are written the way real ones look: volatile loads of the
 * page, seq_count before and after, the counter read inside the window. */
#ifndef ENGINE_TESTS_COMMON_H
#define ENGINE_TESTS_COMMON_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "vmclock_iut.h"
#include "writer.h"
#include "engine/trap.h"

#define N_WORDS (VMCLOCK_ABI_SIZE / 8)

static inline double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline uint64_t rdtsc_asm(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Fill a reading from a 112-byte snapshot: every protected field that
 * differs between two states shows up, so a mix of states is visible. */
static inline void fill_from(const uint64_t *w, uint64_t counter, struct vmclock_iut_reading *out)
{
	struct vmclock_fields f;
	vmclock_decode((const uint8_t *)w, VMCLOCK_ABI_SIZE, &f);
	memset(out, 0, sizeof(*out));
	out->filled = VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR | VMCLOCK_IUT_HAS_MAXERROR |
	              VMCLOCK_IUT_HAS_DISRUPTION | VMCLOCK_IUT_HAS_VMGEN;
	out->sec = f.time_sec;
	out->nsec = (uint32_t)(f.time_frac_sec >> 34);
	out->counter = counter;
	out->esterror_ns = f.time_esterror_nanosec;
	out->maxerror_ns = f.time_maxerror_nanosec;
	out->disruption_marker = f.disruption_marker;
	out->vm_generation_counter = f.vm_generation_counter;
	out->flags = f.counter_value;  /* abused as a probe of one more field */
}

enum { CNT_CALLBACK, CNT_RDTSC_ASM, CNT_RDTSC_BUILTIN, CNT_RDTSCP_BUILTIN };

/* The seqlock loop with a volatile 8-byte copy of the whole structure.
 * recheck = 0 drops the second seq_count check (the classic torn-read bug). */
static inline int seq_reader(const volatile void *page, const struct vmclock_iut_counter *c,
                             struct vmclock_iut_reading *out, int recheck, int cnt_kind)
{
	const volatile uint64_t *p = page;
	uint64_t w[N_WORDS];
	for (int tries = 0; tries < 1000; tries++) {
		uint32_t s1 = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (s1 & 1)
			continue;
		atomic_thread_fence(memory_order_acquire);
		for (unsigned i = 0; i < N_WORDS; i++)
			w[i] = p[i];
		uint64_t cnt;
		unsigned aux;
		switch (cnt_kind) {
		case CNT_RDTSC_ASM: cnt = rdtsc_asm(); break;
		case CNT_RDTSC_BUILTIN: cnt = __builtin_ia32_rdtsc(); break;
		case CNT_RDTSCP_BUILTIN: cnt = __builtin_ia32_rdtscp(&aux); break;
		default: cnt = c->read(c->ctx);
		}
		atomic_thread_fence(memory_order_acquire);
		if (recheck && vmclock_load32(page, VMCLOCK_OFF_seq_count) != s1)
			continue;
		fill_from(w, cnt, out);
		return VMCLOCK_IUT_OK;
	}
	return VMCLOCK_IUT_BUSY;
}

static inline int rd_good(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                          struct vmclock_iut_reading *out)
{
	(void)len;
	return seq_reader(page, c, out, 1, CNT_CALLBACK);
}

static inline int rd_norecheck(const volatile void *page, size_t len,
                               const struct vmclock_iut_counter *c, struct vmclock_iut_reading *out)
{
	(void)len;
	return seq_reader(page, c, out, 0, CNT_CALLBACK);
}

/* Apply a list of writer steps to the writer view. */
static inline void apply_steps(volatile uint8_t *wv, const struct vmclock_step *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vmclock_step_apply(wv, &s[i]);
}

static inline void put_state(volatile uint8_t *wv, const struct vmclock_fields *f)
{
	uint8_t b[VMCLOCK_ABI_SIZE];
	vmclock_encode(f, b);
	for (unsigned i = 0; i < VMCLOCK_ABI_SIZE; i++)
		wv[i] = b[i];
}


/* Two states A -> B that differ in every protected field a reader reports,
 * and the writer steps between them (shared by bench.c and demo.c). */
static inline size_t make_two_states(struct vmclock_fields *a, struct vmclock_fields *b,
                                     struct vmclock_step *steps)
{
	vmclock_writer_default(a);
	*b = *a;
	b->seq_count = a->seq_count + 2;
	b->time_sec += 1000;
	b->time_frac_sec ^= 0x5555555555555555ull;
	b->counter_value += 777;
	b->time_esterror_nanosec += 5;
	b->time_maxerror_nanosec += 9;
	b->disruption_marker += 1;
	b->vm_generation_counter += 1;
	return vmclock_update_steps(a, b, steps);
}

#endif
