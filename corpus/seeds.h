/* seeds.h - writing seed inputs (gen_seeds.c and one seeds_*.c per target). */
#ifndef VMCLOCK_CORPUS_SEEDS_H
#define VMCLOCK_CORPUS_SEEDS_H

#include <stddef.h>
#include <stdint.h>

struct seed_out {
	char dir[4096];
	unsigned count;
};

/* Creates OUTDIR/TARGET; 0 on success. */
int seed_open(struct seed_out *o, const char *outdir, const char *target);
/* Writes one seed as DIR/NAME.bin (exits 2 on an I/O error). */
void seed_write(struct seed_out *o, const char *name, const uint8_t *data, size_t n);

void seeds_page(struct seed_out *o, uint64_t seed);
void seeds_math(struct seed_out *o, uint64_t seed);
void seeds_schedule(struct seed_out *o, uint64_t seed);
void seeds_vector(struct seed_out *o, uint64_t seed);

#endif
