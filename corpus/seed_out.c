/* seed_out.c - one file per seed (seeds.h). */
#include "seeds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int seed_open(struct seed_out *o, const char *outdir, const char *target)
{
	snprintf(o->dir, sizeof o->dir, "%s/%s", outdir, target);
	o->count = 0;
	if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
		perror(o->dir);
		return -1;
	}
	return 0;
}

void seed_write(struct seed_out *o, const char *name, const uint8_t *data, size_t n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.bin", o->dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	o->count++;
}
