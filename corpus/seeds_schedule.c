/* seeds_schedule.c - seeds of vmclock_schedule_fuzzer (input format in
 * fuzz/targets/vmclock_schedule_fuzzer.c): a whole update before each of
 * the first events, a begun update finished a few events later, two
 * updates in one call, on the default and on random initial states. */
#include <stdio.h>
#include <string.h>

#include "seeds.h"

static void put(struct seed_out *o, const char *name, uint64_t seed, uint8_t flags, const uint8_t *iv, size_t niv)
{
	uint8_t buf[13 + 4 * 5];
	memset(buf, 0, sizeof buf);
	for (int b = 0; b < 8; b++)
		buf[b] = (uint8_t)(seed >> (8 * b));
	buf[8] = flags;
	buf[9] = 0x40;   /* counter delta 0x40 ticks */
	memcpy(buf + 13, iv, niv * 5);
	seed_write(o, name, buf, 13 + niv * 5);
}

void seeds_schedule(struct seed_out *o, uint64_t seed)
{
	char nm[64];
	for (unsigned at = 0; at < 40; at += 2) {
		const uint8_t upd[5] = { (uint8_t)at, 0, 0, 0, 0 };
		snprintf(nm, sizeof nm, "update-at-%u", at);
		put(o, nm, seed, 0, upd, 1);
		const uint8_t beg[5] = { (uint8_t)at, 1, (uint8_t)(at / 2), 3, 1 };
		snprintf(nm, sizeof nm, "begin-at-%u-finish-3-later", at);
		put(o, nm, seed, 0, beg, 1);
	}
	for (unsigned k = 0; k < 8; k++) {
		const uint8_t two[10] = { (uint8_t)(2 + k), 1, 5, 7, 2, (uint8_t)(20 + 3 * k), 0, 0, 0, 1 };
		snprintf(nm, sizeof nm, "random-state-two-updates-%u", k);
		put(o, nm, seed + k, (uint8_t)(1 | (k & 1) << 1), two, 2);
	}
}
