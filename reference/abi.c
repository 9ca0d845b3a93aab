/* abi.c - the field table and byte-order conversion of abi.h. */
#include "abi.h"

const struct vmclock_field_desc vmclock_field_table[] = {
#define VMCLOCK_FIELD(name, off, sz, prot) { #name, (off), (sz), (prot) },
#include "fields.def"
#undef VMCLOCK_FIELD
};
const size_t vmclock_field_count = sizeof(vmclock_field_table) / sizeof(vmclock_field_table[0]);

static uint64_t *field_ptr(struct vmclock_fields *f, size_t index)
{
	/* struct vmclock_fields is one uint64_t per table row, in table order. */
	return (uint64_t *)f + index;
}

uint64_t vmclock_field_get(const struct vmclock_fields *f, size_t index)
{
	return ((const uint64_t *)f)[index];
}

void vmclock_field_set(struct vmclock_fields *f, size_t index, uint64_t v)
{
	*field_ptr(f, index) = v;
}

void vmclock_encode(const struct vmclock_fields *f, uint8_t out[VMCLOCK_ABI_SIZE])
{
	for (size_t i = 0; i < vmclock_field_count; i++) {
		const struct vmclock_field_desc *d = &vmclock_field_table[i];
		uint64_t v = vmclock_field_get(f, i);
		for (unsigned b = 0; b < d->size; b++)
			out[d->offset + b] = (uint8_t)(v >> (8 * b));
	}
}

void vmclock_decode(const uint8_t *bytes, size_t len, struct vmclock_fields *f)
{
	for (size_t i = 0; i < vmclock_field_count; i++) {
		const struct vmclock_field_desc *d = &vmclock_field_table[i];
		uint64_t v = 0;
		if ((size_t)d->offset + d->size <= len)
			for (unsigned b = 0; b < d->size; b++)
				v |= (uint64_t)bytes[d->offset + b] << (8 * b);
		*field_ptr(f, i) = v;
	}
}
