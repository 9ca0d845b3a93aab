/* pagein.h - the input format of vmclock_page_fuzzer, shared by the
 * target, the seed generator, the vector generator and the custom mutator.
 *
 *   byte 0       control: bit 0 set = keep an odd seq_count (see below)
 *   bytes 1..8   counter value the reader is handed (little-endian)
 *   bytes 9..10  mapping length (little-endian; mod 4097, rounded down to a
 *                multiple of 8, at least 32)
 *   bytes 11..   page bytes from offset 0 (missing bytes are zero)
 * A shorter input is read as if padded with zeros. */
#ifndef VMCLOCK_FUZZ_PAGEIN_H
#define VMCLOCK_FUZZ_PAGEIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FZ_PAGE_CTRL      0
#define FZ_PAGE_COUNTER   1
#define FZ_PAGE_LEN       9
#define FZ_PAGE_HDR       11
#define FZ_CTRL_KEEP_ODD  0x01u
/* The suite never maps less than the header (Linux refuses such a region
 * when it probes the device): a reader is not judged below 32 bytes. */
#define FZ_MIN_LEN        32u
#define FZ_MAX_LEN        4096u

struct fz_page_input {
	uint8_t ctrl;
	uint64_t counter;
	size_t len;                 /* mapping length, normalised */
	const uint8_t *page;        /* page bytes in the input */
	size_t npage;
};

static inline size_t fz_norm_len(unsigned raw)
{
	size_t len = (raw % (FZ_MAX_LEN + 1)) & ~(size_t)7;
	return len < FZ_MIN_LEN ? FZ_MIN_LEN : len;
}

static inline void fz_page_parse(const uint8_t *data, size_t size, struct fz_page_input *in)
{
	uint8_t h[FZ_PAGE_HDR];
	memset(h, 0, sizeof h);
	memcpy(h, data, size < FZ_PAGE_HDR ? size : FZ_PAGE_HDR);
	in->ctrl = h[FZ_PAGE_CTRL];
	in->counter = 0;
	for (int b = 7; b >= 0; b--)
		in->counter = in->counter << 8 | h[FZ_PAGE_COUNTER + b];
	in->len = fz_norm_len((unsigned)h[FZ_PAGE_LEN] | (unsigned)h[FZ_PAGE_LEN + 1] << 8);
	in->page = size > FZ_PAGE_HDR ? data + FZ_PAGE_HDR : NULL;
	in->npage = size > FZ_PAGE_HDR ? size - FZ_PAGE_HDR : 0;
}

/* The header of an input, for generators: returns FZ_PAGE_HDR. */
static inline size_t fz_page_put_header(uint8_t *out, uint8_t ctrl, uint64_t counter, size_t len)
{
	out[FZ_PAGE_CTRL] = ctrl;
	for (int b = 0; b < 8; b++)
		out[FZ_PAGE_COUNTER + b] = (uint8_t)(counter >> (8 * b));
	out[FZ_PAGE_LEN] = (uint8_t)len;
	out[FZ_PAGE_LEN + 1] = (uint8_t)(len >> 8);
	return FZ_PAGE_HDR;
}

#endif
