/* wtrace.c - the writer trace format: encoders and the parser (wtrace.h).
 *
 * The parser takes untrusted bytes (a vendor's file, a writer child's pipe):
 * every length is checked against what is left before it is used, every
 * field with a fixed set of values is checked, and the first problem ends
 * the parse with a one-line reason naming the record and its byte offset. */
#include "wtrace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v) { wr16(p, v); wr16(p + 2, v >> 16); }
static void wr64(uint8_t *p, uint64_t v) { wr32(p, (uint32_t)v); wr32(p + 4, (uint32_t)(v >> 32)); }

static const char *const kind_names[] = {
	[VMCLOCK_WUT_INIT] = "init", [VMCLOCK_WUT_TICK] = "tick", [VMCLOCK_WUT_CALIBRATE] = "calibrate",
	[VMCLOCK_WUT_STEP] = "step", [VMCLOCK_WUT_MIGRATE] = "migrate", [VMCLOCK_WUT_RESTORE] = "restore",
	[VMCLOCK_WUT_CLONE] = "clone", [VMCLOCK_WUT_LEAP_AHEAD] = "leap-ahead", [VMCLOCK_WUT_LEAP_PASSED] = "leap-passed",
	[VMCLOCK_WUT_FREQ_CHANGE] = "freq-change", [VMCLOCK_WUT_SHUTDOWN] = "shutdown", [VMCLOCK_WUT_SNAPSHOT] = "snapshot",
};

const char *trace_kind_name(uint32_t kind)
{
	return kind >= 1 && kind <= VMCLOCK_WUT_KIND_MAX ? kind_names[kind] : "unknown";
}

static void rec_head(uint8_t *out, uint8_t type, uint8_t flags, uint32_t plen, uint64_t counter)
{
	out[0] = type;
	out[1] = flags;
	wr16(out + 2, 0);
	wr32(out + 4, plen);
	wr64(out + 8, counter);
}

size_t trace_enc_header(uint8_t out[WTRACE_HDR_LEN], uint32_t flags, uint32_t region_len, uint32_t image_len,
                        uint64_t seed)
{
	memcpy(out, WTRACE_MAGIC, 8);
	wr16(out + 8, WTRACE_VERSION);
	wr16(out + 10, WTRACE_HDR_LEN);
	wr32(out + 12, flags);
	wr32(out + 16, region_len);
	wr32(out + 20, image_len);
	wr64(out + 24, seed);
	return WTRACE_HDR_LEN;
}

size_t trace_enc_image(uint8_t *out, uint64_t counter, uint8_t flags, uint32_t store_off, uint32_t store_len,
                       const volatile uint8_t *image, uint32_t image_len)
{
	rec_head(out, WTRACE_IMAGE, flags, 8 + image_len, counter);
	wr32(out + 16, store_off);
	wr32(out + 20, store_len);
	for (uint32_t i = 0; i < image_len; i++)
		out[24 + i] = image[i];
	return WTRACE_REC_HDR + 8 + image_len;
}

/* The event's values in the order of struct vmclock_wut_event. */
size_t trace_enc_event(uint8_t *out, const struct vmclock_wut_event *ev)
{
	uint8_t *p = out + WTRACE_REC_HDR;
	rec_head(out, WTRACE_EVENT, 0, WTRACE_EVENT_FULL, ev->counter);
	wr32(p, ev->kind);
	wr32(p + 4, ev->index);
	wr64(p + 8, ev->counter);
	wr64(p + 16, ev->time_sec);
	wr64(p + 24, ev->time_frac);
	wr64(p + 32, ev->time_esterror_ns);
	wr64(p + 40, ev->time_maxerror_ns);
	wr64(p + 48, ev->period_frac);
	p[56] = ev->period_shift;
	p[57] = ev->clock_status;
	wr16(p + 58, (uint16_t)ev->tai_offset_sec);
	p[60] = (uint8_t)ev->leap;
	p[61] = p[62] = p[63] = 0;
	wr64(p + 64, ev->period_esterror);
	wr64(p + 72, ev->period_maxerror);
	wr64(p + 80, (uint64_t)ev->step_ns);
	wr64(p + 88, ev->entropy);
	return WTRACE_REC_HDR + WTRACE_EVENT_FULL;
}

static void dec_event(const uint8_t *p, struct vmclock_wut_event *ev)
{
	ev->counter = rd64(p + 8);
	ev->time_sec = rd64(p + 16);
	ev->time_frac = rd64(p + 24);
	ev->time_esterror_ns = rd64(p + 32);
	ev->time_maxerror_ns = rd64(p + 40);
	ev->period_frac = rd64(p + 48);
	ev->period_shift = p[56];
	ev->clock_status = p[57];
	ev->tai_offset_sec = (int16_t)rd16(p + 58);
	ev->leap = (int8_t)p[60];
	ev->period_esterror = rd64(p + 64);
	ev->period_maxerror = rd64(p + 72);
	ev->step_ns = (int64_t)rd64(p + 80);
	ev->entropy = rd64(p + 88);
}

size_t trace_enc_end(uint8_t *out, uint64_t counter, uint32_t reason, const char *text)
{
	size_t tl = text ? strlen(text) : 0;
	if (tl > 200)
		tl = 200;
	rec_head(out, WTRACE_END, 0, (uint32_t)(8 + tl), counter);
	wr32(out + 16, reason);
	wr32(out + 20, 0);
	if (tl)
		memcpy(out + 24, text, tl);
	return WTRACE_REC_HDR + 8 + tl;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void trace_free(struct wtrace *t)
{
	free(t->rec);
	t->rec = NULL;
	t->n = 0;
}

int trace_parse(const uint8_t *buf, size_t len, struct wtrace *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (len < WTRACE_HDR_LEN)
		return bad(err, errlen, "truncated header: %zu bytes, a trace starts with %d", len, WTRACE_HDR_LEN);
	if (memcmp(buf, WTRACE_MAGIC, 8) != 0)
		return bad(err, errlen, "not a vmclock writer trace (magic is not \"" WTRACE_MAGIC "\")");
	t->version = rd16(buf + 8);
	if (t->version != WTRACE_VERSION)
		return bad(err, errlen, "trace format version %u; this suite reads version %d", t->version, WTRACE_VERSION);
	uint32_t hl = rd16(buf + 10);
	if (hl < WTRACE_HDR_LEN || hl > len)
		return bad(err, errlen, "header length %u out of range (%d..%zu)", hl, WTRACE_HDR_LEN, len);
	t->flags = rd32(buf + 12);
	if (t->flags & ~(WTRACE_F_EXACT | WTRACE_F_SAMPLED))
		return bad(err, errlen, "unknown header flags 0x%x", t->flags);
	if ((t->flags & WTRACE_F_EXACT) && (t->flags & WTRACE_F_SAMPLED))
		return bad(err, errlen, "header flags say both EXACT and SAMPLED");
	t->region_len = rd32(buf + 16);
	t->image_len = rd32(buf + 20);
	if (t->image_len < WTRACE_IMAGE_MIN || t->image_len > WTRACE_IMAGE_MAX)
		return bad(err, errlen, "image length %u out of range (%d..%d)", t->image_len, WTRACE_IMAGE_MIN,
		           WTRACE_IMAGE_MAX);
	t->seed = rd64(buf + 24);

	/* Count first (each record is at least a head), so one allocation
	 * holds them all and a huge count cannot be claimed without the bytes. */
	size_t cap = (len - hl) / WTRACE_REC_HDR + 1;
	t->rec = calloc(cap, sizeof *t->rec);
	if (!t->rec)
		return bad(err, errlen, "out of memory for %zu records", cap);
	size_t at = hl;
	while (at < len) {
		size_t i = t->n;
		if (len - at < WTRACE_REC_HDR) {
			trace_free(t);
			return bad(err, errlen, "record %zu at byte %zu: truncated head (%zu bytes left)", i, at, len - at);
		}
		const uint8_t *h = buf + at;
		struct wtrace_rec *r = &t->rec[i];
		r->type = h[0];
		r->flags = h[1];
		uint32_t plen = rd32(h + 4);
		r->counter = rd64(h + 8);
		if (rd16(h + 2) != 0) {
			trace_free(t);
			return bad(err, errlen, "record %zu at byte %zu: reserved bytes not zero", i, at);
		}
		if (plen > len - at - WTRACE_REC_HDR) {
			trace_free(t);
			return bad(err, errlen, "record %zu at byte %zu: truncated payload (%u bytes claimed, %zu left)", i,
			           at, plen, len - at - WTRACE_REC_HDR);
		}
		const uint8_t *p = h + WTRACE_REC_HDR;
		const char *why = NULL;
		switch (r->type) {
		case WTRACE_IMAGE:
			if (plen != 8 + t->image_len)
				why = "IMAGE payload is not 8 + image length bytes";
			else if (r->flags & ~WTRACE_IMG_SUITE)
				why = "unknown IMAGE flags";
			else {
				r->store_off = rd32(p);
				r->store_len = rd32(p + 4);
				r->image = p + 8;
				if (t->region_len && (r->store_off > t->region_len || r->store_len > t->region_len - r->store_off))
					why = "store outside the region";
			}
			break;
		case WTRACE_EVENT:
			if (plen < 8)
				why = "EVENT payload shorter than 8 bytes";
			else if (r->flags)
				why = "EVENT flags not zero";
			else {
				r->ev.kind = rd32(p);
				r->ev.index = rd32(p + 4);
				r->ev.counter = r->counter;
				if (r->ev.kind < 1 || r->ev.kind > VMCLOCK_WUT_KIND_MAX)
					why = "unknown event kind";
				else if (plen >= WTRACE_EVENT_FULL) {
					r->have_values = 1;
					dec_event(p, &r->ev);
					r->ev.kind = rd32(p);
					r->ev.index = rd32(p + 4);
				}
			}
			break;
		case WTRACE_END:
			if (plen < 8)
				why = "END payload shorter than 8 bytes";
			else if (r->flags)
				why = "END flags not zero";
			else {
				r->reason = rd32(p);
				if (r->reason > WTRACE_END_STOPPED)
					why = "unknown END reason";
				r->text = (const char *)p + 8;
				r->text_len = plen - 8;
				if (at + WTRACE_REC_HDR + plen != len)
					why = "records after END";
			}
			break;
		default:
			why = "unknown record type";
		}
		if (why) {
			trace_free(t);
			return bad(err, errlen, "record %zu at byte %zu: %s", i, at, why);
		}
		t->n++;
		at += WTRACE_REC_HDR + plen;
	}
	return 0;
}
