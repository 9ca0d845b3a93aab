/* page_afl.c - the same structure-aware mutator for AFL++
 * (AFL_CUSTOM_MUTATOR_LIBRARY=.../vmclock_page_mutator.so; harness/fuzz sets
 * it for vmclock_page_fuzzer). AFL++'s own mutations still run
 * (AFL_CUSTOM_MUTATOR_ONLY is not set): this adds field-wise steps. */
#include <stdlib.h>
#include <string.h>

#include "page_mutate.h"

struct afl_state;
struct mut { uint8_t *buf; size_t cap; uint32_t seed; };

void *afl_custom_init(struct afl_state *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf, uint8_t *add_buf,
                       size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(struct afl_state *afl, unsigned int seed)
{
	(void)afl;
	struct mut *m = calloc(1, sizeof *m);
	if (m)
		m->seed = seed;
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf, uint8_t *add_buf,
                       size_t add_buf_size, size_t max_size)
{
	struct mut *m = data;
	(void)add_buf;
	(void)add_buf_size;
	size_t need = max_size > buf_size ? max_size : buf_size;
	if (need > m->cap) {
		uint8_t *nb = realloc(m->buf, need);
		if (!nb) {
			*out_buf = buf;
			return buf_size;
		}
		m->buf = nb;
		m->cap = need;
	}
	memcpy(m->buf, buf, buf_size);
	size_t n = fz_page_mutate(m->buf, buf_size, max_size, m->seed++);
	*out_buf = m->buf;
	return n ? n : buf_size;
}

void afl_custom_deinit(void *data)
{
	struct mut *m = data;
	free(m->buf);
	free(m);
}
