/* profile.c - the reader's policy profile: which page classes it serves.
 *
 * A reader may refuse any page it chooses not to serve (spec "How findings
 * are charged" 1): the Linux driver refuses MONOTONIC pages, v6.13 refuses
 * TAI pages without TAI_OFFSET_VALID, current Linux UTC pages without it.
 * The suite learns the policy from a grid of quiet probe pages (time_type x
 * TAI_OFFSET_VALID x clock_status x size, and the leap indicator), prints
 * it, and draws its random and dynamic cases from the classes the reader
 * serves, so that a Linux-like reader keeps full coverage. The same grid
 * opens R-TIME-LIVE's own cases (suite/tests/live.c), where refusals are
 * judged. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/gen.h"
#include "oracle.h"

const uint32_t profile_sizes[PROFILE_NSIZE] = { VMCLOCK_END(time_frac_sec), 104, VMCLOCK_ABI_SIZE, VMCLOCK_PAGE_SIZE };
static const char *const tt_name[] = { "UTC", "TAI", "MONOTONIC" };
static const char *const st_name[] = { "UNKNOWN", "INITIALIZING", "SYNCHRONIZED", "FREERUNNING" };

int profile_size_class(uint64_t size)
{
	int k = 0;
	for (int i = 0; i < PROFILE_NSIZE; i++)
		if (size >= profile_sizes[i])
			k = i;
	return k;
}

/* The grid: case g = ((tt * 2 + tai) * 4 + status) * NSIZE + size, then the
 * leap indicators on the baseline page. */
#define GRID_MAIN (3 * 2 * 4 * PROFILE_NSIZE)

void profile_grid(struct sc_case_list *l, enum vmclock_clause clause)
{
	for (unsigned g = 0; g < GRID_MAIN; g++) {
		unsigned sz = g % PROFILE_NSIZE, st = g / PROFILE_NSIZE % 4, tai = g / PROFILE_NSIZE / 4 % 2,
		         tt = g / PROFILE_NSIZE / 8;
		struct vmclock_fields f;
		gen_default(&f);
		f.time_type = tt;
		f.clock_status = st;
		f.size = profile_sizes[sz];
		f.flags = tai ? f.flags | VMCLOCK_FLAG_TAI_OFFSET_VALID : f.flags & ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
		char name[64];
		snprintf(name, sizeof name, "probe %s, TAI_OFFSET_VALID %s, %s, size %u", tt_name[tt], tai ? "set" : "clear",
		         st_name[st], profile_sizes[sz]);
		gen_push(l, clause, name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_ANY, 1000003, 1000);
	}
	for (unsigned leap = 0; leap <= VMCLOCK_LEAP_MAX; leap++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.leap_indicator = leap;
		char name[40];
		snprintf(name, sizeof name, "probe leap_indicator %u", leap);
		gen_push(l, clause, name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_ANY, 1000003, 1000);
	}
}

static int served(const struct sb_result *r)
{
	return r->outcome == SB_RETURNED && r->status == VMCLOCK_IUT_OK && (r->reading.filled & VMCLOCK_IUT_HAS_TIME);
}

/* Choose the page dynamic cases start from: a time type the reader serves
 * on a full page with TAI_OFFSET_VALID both set and clear (so the writer
 * may toggle it), else one it serves with the flag set (the writer keeps
 * it); the statuses it serves there, and UNRELIABLE, which every reader
 * must refuse (spec rule 4: a step to UNRELIABLE). */
static void choose_dynamic(struct profile *p)
{
	const unsigned full = PROFILE_NSIZE - 1;
	int best = -1, best_score = -1;
	for (unsigned tt = 0; tt < 3; tt++) {
		int both = p->served[tt][0][VMCLOCK_STATUS_SYNCHRONIZED][full] && p->served[tt][1][VMCLOCK_STATUS_SYNCHRONIZED][full];
		int set = p->served[tt][1][VMCLOCK_STATUS_SYNCHRONIZED][full];
		int score = 2 * both + set;
		if (score > best_score) {
			best = (int)tt;
			best_score = score;
		}
	}
	p->dyn_time_type = (uint8_t)(best_score > 0 ? best : VMCLOCK_TIME_UTC);
	p->dyn_keep_flags = best_score >= 2 ? 0 : VMCLOCK_FLAG_TAI_OFFSET_VALID;
	p->dyn_statuses = 1u << VMCLOCK_STATUS_UNRELIABLE;
	for (unsigned st = 0; st < 4; st++)
		if (p->served[p->dyn_time_type][1][st][full] && (best_score < 2 || p->served[p->dyn_time_type][0][st][full]))
			p->dyn_statuses |= (uint8_t)(1u << st);
	if (!(p->dyn_statuses & ~(1u << VMCLOCK_STATUS_UNRELIABLE)))
		p->dyn_statuses |= 1u << VMCLOCK_STATUS_SYNCHRONIZED;
}

void profile_learn(void)
{
	struct profile *p = &g_run.profile;
	struct sc_case_list l = { 0 };
	profile_grid(&l, R_TIME_LIVE);
	struct sb_result *rs = calloc(l.n, sizeof *rs);
	if (!rs || sb_run(&g_run.sb, l.v, l.n, rs) != 0) {
		perror("vmclock-cts: error: running the reader");
		exit(2);
	}
	memset(p, 0, sizeof *p);
	for (unsigned g = 0; g < l.n; g++) {
		if (g < GRID_MAIN)
			p->served[g / PROFILE_NSIZE / 8][g / PROFILE_NSIZE / 4 % 2][g / PROFILE_NSIZE % 4][g % PROFILE_NSIZE] =
				(uint8_t)served(&rs[g]);
		else
			p->leap_served[g - GRID_MAIN] = (uint8_t)served(&rs[g]);
		if (rs[g].outcome == SB_RETURNED)
			g_run.seen_filled |= rs[g].reading.filled;
	}
	p->learned = 1;
	choose_dynamic(p);
	free(rs);
	sc_case_list_free(&l);
}

int profile_serves_any(void)
{
	const struct profile *p = &g_run.profile;
	for (size_t i = 0; i < sizeof p->served; i++)
		if (((const uint8_t *)p->served)[i])
			return 1;
	return 0;
}

/* Move a usable page into a served class, changing as little as possible:
 * the TAI flag last (cases about it pick their own time type), then size
 * and status, the time type first. Pages of no usable class (unusable
 * time type, UNRELIABLE, too short) stay as they are. */
void gen_fit(struct vmclock_fields *f)
{
	const struct profile *p = &g_run.profile;
	if (!p->learned || !profile_serves_any() || f->time_type > VMCLOCK_TIME_MONOTONIC ||
	    f->clock_status >= VMCLOCK_STATUS_UNRELIABLE || f->size < profile_sizes[0])
		return;
	unsigned tt = (unsigned)f->time_type, tai = (f->flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) != 0,
	         st = (unsigned)f->clock_status, sz = (unsigned)profile_size_class(f->size);
	if (!p->served[tt][tai][st][sz]) {
		unsigned best = ~0u, bt = tt, ba = tai, bs = st, bz = sz;
		for (unsigned t = 0; t < 3; t++)
			for (unsigned a = 0; a < 2; a++)
				for (unsigned s = 0; s < 4; s++)
					for (unsigned z = 0; z < PROFILE_NSIZE; z++) {
						unsigned cost = (t != tt) + 2 * (s != st) + 2 * (z != sz) + 4 * (a != tai);
						if (p->served[t][a][s][z] && cost < best) {
							best = cost;
							bt = t, ba = a, bs = s, bz = z;
						}
					}
		f->time_type = bt;
		f->flags = ba ? f->flags | VMCLOCK_FLAG_TAI_OFFSET_VALID : f->flags & ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
		f->clock_status = bs;
		if (bz != sz)
			f->size = profile_sizes[bz];
	}
	if (f->leap_indicator <= VMCLOCK_LEAP_MAX && !p->leap_served[f->leap_indicator])
		for (unsigned k = 0; k <= VMCLOCK_LEAP_MAX; k++)
			if (p->leap_served[k]) {
				f->leap_indicator = k;
				break;
			}
}

/* "serves: UTC (TAI_OFFSET_VALID set or clear), TAI (set) | statuses: ... | sizes >= 104 | leap: all" */
void profile_describe(char *buf, size_t len)
{
	const struct profile *p = &g_run.profile;
	const unsigned full = PROFILE_NSIZE - 1;
	size_t n = 0;
#define PUT(...) do { if (n < len) n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
	PUT("time types served (full page, SYNCHRONIZED):");
	int any = 0;
	for (unsigned tt = 0; tt < 3; tt++) {
		int a0 = p->served[tt][0][VMCLOCK_STATUS_SYNCHRONIZED][full], a1 = p->served[tt][1][VMCLOCK_STATUS_SYNCHRONIZED][full];
		if (a0 || a1) {
			PUT("%s %s (TAI_OFFSET_VALID %s)", any ? "," : "", tt_name[tt], a0 && a1 ? "set or clear" : a1 ? "set only" : "clear only");
			any = 1;
		}
	}
	if (!any)
		PUT(" none");
	PUT("; statuses:");
	for (unsigned st = 0; st < 4; st++) {
		int s = 0;
		for (unsigned tt = 0; tt < 3; tt++)
			s |= p->served[tt][1][st][full];
		if (s)
			PUT(" %s", st_name[st]);
	}
	int smallest = -1;
	for (int z = PROFILE_NSIZE - 1; z >= 0; z--) {
		int s = 0;
		for (unsigned tt = 0; tt < 3; tt++)
			s |= p->served[tt][1][VMCLOCK_STATUS_SYNCHRONIZED][z];
		if (s)
			smallest = z;
	}
	if (smallest >= 0)
		PUT("; sizes from %u", profile_sizes[smallest]);
	PUT("; leap indicators:");
	for (unsigned k = 0; k <= VMCLOCK_LEAP_MAX; k++)
		if (p->leap_served[k])
			PUT(" %u", k);
#undef PUT
}
