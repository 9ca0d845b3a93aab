/* gen_seeds.c - the seed corpora of every fuzz target, generated
 * deterministically (no hand-copied blobs): from the reference writer's
 * default and random pages (seeded, the seed printed) and from the
 * malformed-page catalogue (reference/writer.c).
 *
 *   gen_seeds OUTDIR [SEED]     writes OUTDIR/<target>/<name>.bin
 *
 * One table row per target; a target without a row gets no seeds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seeds.h"

static const struct { const char *target; void (*gen)(struct seed_out *o, uint64_t seed); } generators[] = {
	{ "vmclock_page_fuzzer", seeds_page },
	{ "vmclock_math_fuzzer", seeds_math },
	{ "vmclock_schedule_fuzzer", seeds_schedule },
	{ "vmclock_vector_fuzzer", seeds_vector },
};

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s OUTDIR [SEED]\n", argv[0]);
		return 2;
	}
	uint64_t seed = argc == 3 ? strtoull(argv[2], NULL, 0) : 1;
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
		perror(argv[1]);
		return 2;
	}
	unsigned total = 0;
	for (size_t i = 0; i < sizeof generators / sizeof generators[0]; i++) {
		struct seed_out o;
		if (seed_open(&o, argv[1], generators[i].target) != 0)
			return 2;
		generators[i].gen(&o, seed);
		total += o.count;
		printf("%s: %u seeds\n", generators[i].target, o.count);
	}
	printf("gen_seeds: %u seeds in %s (seed %llu)\n", total, argv[1], (unsigned long long)seed);
	return 0;
}
