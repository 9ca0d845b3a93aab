/* wtrace.h - the writer trace format, version 1: what a writer did to the
 * page, as a sequence of page images, counters and event markers. The
 * W-... clauses are judged on it (wjudge.h). Documented for vendors in
 * docs/TRACE-FORMAT.md; every number below is little-endian.
 *
 *   header (32 bytes)
 *     0  8  magic "VMCLKTRC"
 *     8  2  version (1)
 *    10  2  header length (>= 32; a reader of version 1 skips the rest)
 *    12  4  flags: bit 0 EXACT (every store of the writer is a record: a
 *           linked writer), bit 1 SAMPLED (read-only samples of a live
 *           page); other bits 0
 *    16  4  region length the writer owns (0 = unknown)
 *    20  4  image length: bytes of the page in every IMAGE record (32..65536)
 *    24  8  seed of the scenario that produced it (0 = none)
 *   records, each a 16-byte head then payload_len bytes:
 *     0  1  type: 1 IMAGE, 2 EVENT, 3 END
 *     1  1  flags: IMAGE bit 0 SUITE (the page was written by the hypervisor
 *           itself, e.g. a restored snapshot, not by the writer); else 0
 *     2  2  0
 *     4  4  payload_len
 *     8  8  counter: the CPU counter when the record was taken
 *   IMAGE payload: u32 store offset, u32 store length (0: a sample, or a
 *     store of the bytes already there), then image-length page bytes
 *     (the page after the store / at the sample)
 *   EVENT payload: u32 kind (enum vmclock_wut_kind), u32 index, then
 *     optionally the event's values (WTRACE_EVENT_FULL bytes in all, the
 *     order of struct vmclock_wut_event); a vendor's marker (migration,
 *     restore, step...) needs only the first 8 bytes
 *   END payload: u32 reason (WTRACE_END_*), u32 0, then a text (no NUL)
 *
 * The parser is its own file so a fuzz target can call it directly. */
#ifndef VMCLOCK_WTRACE_H
#define VMCLOCK_WTRACE_H

#include <stddef.h>
#include <stdint.h>
#include "vmclock_wut.h"

#define WTRACE_MAGIC "VMCLKTRC"
#define WTRACE_VERSION 1
#define WTRACE_HDR_LEN 32
#define WTRACE_REC_HDR 16
#define WTRACE_F_EXACT   1u
#define WTRACE_F_SAMPLED 2u
#define WTRACE_IMAGE_MIN 32
#define WTRACE_IMAGE_MAX 65536

enum { WTRACE_IMAGE = 1, WTRACE_EVENT = 2, WTRACE_END = 3 };
#define WTRACE_IMG_SUITE 1u
/* Event payload with every value of struct vmclock_wut_event. */
#define WTRACE_EVENT_FULL 96

enum wtrace_end_reason {
	WTRACE_END_OK = 0,        /* the scenario ran to its end */
	WTRACE_END_CRASH = 1,     /* the writer crashed (text: the signal) */
	WTRACE_END_HANG = 2,      /* the writer did not return from an event */
	WTRACE_END_ERROR = 3,     /* the writer returned an error for an event */
	WTRACE_END_STOPPED = 4,   /* recording stopped (duration over, interrupted) */
};

struct wtrace_rec {
	uint8_t type, flags;
	uint64_t counter;
	/* IMAGE */
	uint32_t store_off, store_len;
	const uint8_t *image;         /* image_len bytes, inside the parsed buffer */
	/* EVENT */
	int have_values;
	struct vmclock_wut_event ev;  /* kind and index always; the rest when have_values */
	/* END */
	uint32_t reason;
	const char *text;             /* inside the buffer, text_len bytes, no NUL */
	size_t text_len;
};

struct wtrace {
	uint32_t version, flags, region_len, image_len;
	uint64_t seed;
	size_t n;
	struct wtrace_rec *rec;       /* malloc'd; free with trace_free */
};

/* Parse a whole trace. 0 on success; -1 on corrupt or truncated input with a
 * one-line reason in err ("record 12 at byte 4096: truncated payload").
 * Never reads outside buf[0..len). The records point into buf: keep it. */
int trace_parse(const uint8_t *buf, size_t len, struct wtrace *t, char *err, size_t errlen);
void trace_free(struct wtrace *t);

/* Encoders (no allocation: safe in a signal handler). Each writes into out
 * and returns the bytes written; out must hold what the comment says. */
size_t trace_enc_header(uint8_t out[WTRACE_HDR_LEN], uint32_t flags, uint32_t region_len, uint32_t image_len,
                        uint64_t seed);
/* WTRACE_REC_HDR + 8 + image_len bytes */
size_t trace_enc_image(uint8_t *out, uint64_t counter, uint8_t flags, uint32_t store_off, uint32_t store_len,
                       const volatile uint8_t *image, uint32_t image_len);
/* WTRACE_REC_HDR + WTRACE_EVENT_FULL bytes */
size_t trace_enc_event(uint8_t *out, const struct vmclock_wut_event *ev);
/* WTRACE_REC_HDR + 8 + strlen(text) (text cut at 200 bytes) */
size_t trace_enc_end(uint8_t *out, uint64_t counter, uint32_t reason, const char *text);
#define WTRACE_END_MAX (WTRACE_REC_HDR + 8 + 200)

const char *trace_kind_name(uint32_t kind);

#endif
