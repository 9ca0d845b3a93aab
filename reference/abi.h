/* abi.h - the VMClock shared page, as laid out by Linux's
 * include/uapi/linux/vmclock-abi.h (struct vmclock_abi), written from the
 * spec (shared VMCLOCK-SPEC.md, section 1).
 *
 * Two views of one page:
 *   - struct vmclock_abi: the wire layout, little-endian, for pointer casts;
 *   - struct vmclock_fields: the same values decoded to host order, which the
 *     writer, the oracle and the tests work on.
 * vmclock_encode()/vmclock_decode() convert; vmclock_load*() read one field of
 * a live (volatile) page in host order, so the code is right on big-endian
 * hosts too. */
#ifndef VMCLOCK_ABI_H
#define VMCLOCK_ABI_H

#include <stddef.h>
#include <stdint.h>

#define VMCLOCK_MAGIC            0x4b4c4356u  /* "VCLK" in memory */
#define VMCLOCK_VERSION          1
#define VMCLOCK_ABI_SIZE         112          /* sizeof(struct vmclock_abi) */
#define VMCLOCK_MIN_SIZE         32           /* Linux: at least through flags */
#define VMCLOCK_PAGE_SIZE        4096

/* counter_id */
#define VMCLOCK_COUNTER_ARM_VCNT 0
#define VMCLOCK_COUNTER_X86_TSC  1
#define VMCLOCK_COUNTER_INVALID  0xff
#if defined(__x86_64__) || defined(__i386__)
#define VMCLOCK_COUNTER_NATIVE   VMCLOCK_COUNTER_X86_TSC
#define VMCLOCK_COUNTER_FOREIGN  VMCLOCK_COUNTER_ARM_VCNT
#else
#define VMCLOCK_COUNTER_NATIVE   VMCLOCK_COUNTER_ARM_VCNT
#define VMCLOCK_COUNTER_FOREIGN  VMCLOCK_COUNTER_X86_TSC
#endif

/* time_type: 3 and 4 mean "not supported" (no usable time). */
#define VMCLOCK_TIME_UTC                  0
#define VMCLOCK_TIME_TAI                  1
#define VMCLOCK_TIME_MONOTONIC            2
#define VMCLOCK_TIME_INVALID_SMEARED      3
#define VMCLOCK_TIME_INVALID_MAYBE_SMEARED 4

/* flags */
#define VMCLOCK_FLAG_TAI_OFFSET_VALID      (1ull << 0)
#define VMCLOCK_FLAG_DISRUPTION_SOON       (1ull << 1)
#define VMCLOCK_FLAG_DISRUPTION_IMMINENT   (1ull << 2)
#define VMCLOCK_FLAG_PERIOD_ESTERROR_VALID (1ull << 3)
#define VMCLOCK_FLAG_PERIOD_MAXERROR_VALID (1ull << 4)
#define VMCLOCK_FLAG_TIME_ESTERROR_VALID   (1ull << 5)
#define VMCLOCK_FLAG_TIME_MAXERROR_VALID   (1ull << 6)
#define VMCLOCK_FLAG_TIME_MONOTONIC        (1ull << 7)
#define VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT (1ull << 8)
#define VMCLOCK_FLAG_NOTIFICATION_PRESENT  (1ull << 9)
#define VMCLOCK_FLAGS_DEFINED              ((1ull << 10) - 1)

/* clock_status */
#define VMCLOCK_STATUS_UNKNOWN      0
#define VMCLOCK_STATUS_INITIALIZING 1
#define VMCLOCK_STATUS_SYNCHRONIZED 2
#define VMCLOCK_STATUS_FREERUNNING  3
#define VMCLOCK_STATUS_UNRELIABLE   4
#define VMCLOCK_STATUS_MAX          4

/* leap_second_smearing_hint (a hint only: the time is never smeared) */
#define VMCLOCK_SMEARING_STRICT     0
#define VMCLOCK_SMEARING_NOON_LINEAR 1
#define VMCLOCK_SMEARING_UTC_SLS    2
#define VMCLOCK_SMEARING_MAX        2

/* leap_indicator */
#define VMCLOCK_LEAP_NONE     0
#define VMCLOCK_LEAP_PRE_POS  1
#define VMCLOCK_LEAP_PRE_NEG  2
#define VMCLOCK_LEAP_POS      3
#define VMCLOCK_LEAP_POST_POS 4
#define VMCLOCK_LEAP_POST_NEG 5
#define VMCLOCK_LEAP_MAX      5

/* The wire layout. Every multi-byte field is little-endian. */
struct vmclock_abi {
	uint32_t magic;
	uint32_t size;
	uint16_t version;
	uint8_t  counter_id;
	uint8_t  time_type;
	uint32_t seq_count;
	uint64_t disruption_marker;
	uint64_t flags;
	uint8_t  pad[2];
	uint8_t  clock_status;
	uint8_t  leap_second_smearing_hint;
	int16_t  tai_offset_sec;
	uint8_t  leap_indicator;
	uint8_t  counter_period_shift;
	uint64_t counter_value;
	uint64_t counter_period_frac_sec;
	uint64_t counter_period_esterror_rate_frac_sec;
	uint64_t counter_period_maxerror_rate_frac_sec;
	uint64_t time_sec;
	uint64_t time_frac_sec;
	uint64_t time_esterror_nanosec;
	uint64_t time_maxerror_nanosec;
	uint64_t vm_generation_counter;
};

/* Offsets and sizes, from the one table in fields.def. */
enum {
#define VMCLOCK_FIELD(name, off, sz, prot) VMCLOCK_OFF_##name = (off), VMCLOCK_SZ_##name = (sz),
#include "fields.def"
#undef VMCLOCK_FIELD
};
/* One end-of-field constant per field: a field is present iff its end <= size. */
#define VMCLOCK_END(name) (VMCLOCK_OFF_##name + VMCLOCK_SZ_##name)

#define VMCLOCK_FIELD(name, off, sz, prot) \
	_Static_assert(offsetof(struct vmclock_abi, name) == (off), #name " offset"); \
	_Static_assert(sizeof(((struct vmclock_abi *)0)->name) == (sz), #name " size");
#include "fields.def"
#undef VMCLOCK_FIELD
_Static_assert(sizeof(struct vmclock_abi) == VMCLOCK_ABI_SIZE, "sizeof(struct vmclock_abi)");

/* The same fields decoded to host order. */
struct vmclock_fields {
#define VMCLOCK_FIELD(name, off, sz, prot) uint64_t name;
#include "fields.def"
#undef VMCLOCK_FIELD
};

/* Field descriptor table, for code that walks the layout (writer, fuzzer,
 * torn-read analysis). */
struct vmclock_field_desc {
	const char *name;
	uint16_t offset, size;
	uint8_t protected_by_seq;
};
extern const struct vmclock_field_desc vmclock_field_table[];
extern const size_t vmclock_field_count;

/* Bytes <-> fields. encode writes VMCLOCK_ABI_SIZE bytes; decode reads
 * min(len, 112) bytes and leaves absent fields zero. */
void vmclock_encode(const struct vmclock_fields *f, uint8_t out[VMCLOCK_ABI_SIZE]);
void vmclock_decode(const uint8_t *bytes, size_t len, struct vmclock_fields *f);
uint64_t vmclock_field_get(const struct vmclock_fields *f, size_t index);
void vmclock_field_set(struct vmclock_fields *f, size_t index, uint64_t v);

/* Little-endian single-field loads from a live page (volatile: each is one
 * load of the field's natural width, which is aligned). */
static inline uint64_t vmclock_le64(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}
static inline uint32_t vmclock_le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}
static inline uint16_t vmclock_le16(uint16_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap16(v);
#else
	return v;
#endif
}
static inline uint64_t vmclock_load64(const volatile void *page, size_t off)
{
	return vmclock_le64(*(const volatile uint64_t *)((const volatile uint8_t *)page + off));
}
static inline uint32_t vmclock_load32(const volatile void *page, size_t off)
{
	return vmclock_le32(*(const volatile uint32_t *)((const volatile uint8_t *)page + off));
}
static inline uint16_t vmclock_load16(const volatile void *page, size_t off)
{
	return vmclock_le16(*(const volatile uint16_t *)((const volatile uint8_t *)page + off));
}
static inline uint8_t vmclock_load8(const volatile void *page, size_t off)
{
	return *((const volatile uint8_t *)page + off);
}

#endif
