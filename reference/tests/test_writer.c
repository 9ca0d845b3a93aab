/* test_writer.c - unit tests of the randomized writer (reference/writer.c):
 * the pages it produces obey the writer clauses (W-*) it promises, and the
 * malformed catalogue is well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "abi.h"
#include "clauses.h"
#include "rng.h"
#include "writer.h"

/* W-HDR-VALID, W-ENUM-RANGE, and the promises of writer.h. */
static void w_default_page_as_documented(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	assert_int_equal(f.magic, VMCLOCK_MAGIC);
	assert_int_equal(f.version, 1);
	assert_int_equal(f.size, VMCLOCK_PAGE_SIZE);
	assert_int_equal(f.counter_id, VMCLOCK_COUNTER_NATIVE);
	assert_int_equal(f.time_type, VMCLOCK_TIME_UTC);
	assert_int_equal(f.clock_status, VMCLOCK_STATUS_SYNCHRONIZED);
	assert_int_equal(f.seq_count & 1, 0);
	assert_int_equal(f.counter_period_frac_sec, 0x89705F4136B4A597ull);
	assert_int_equal(f.counter_period_shift, 29);
	const uint64_t want = VMCLOCK_FLAG_TAI_OFFSET_VALID | VMCLOCK_FLAG_PERIOD_ESTERROR_VALID |
	                      VMCLOCK_FLAG_PERIOD_MAXERROR_VALID | VMCLOCK_FLAG_TIME_ESTERROR_VALID |
	                      VMCLOCK_FLAG_TIME_MAXERROR_VALID | VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
	assert_int_equal(f.flags & want, want);
	assert_int_equal(f.flags & ~VMCLOCK_FLAGS_DEFINED, 0);
	/* W-TAI-SIGN: UTC - TAI, negative. */
	assert_int_equal((int16_t)f.tai_offset_sec, -37);
	/* W-ERR-CONSISTENT */
	assert_true(f.time_maxerror_nanosec >= f.time_esterror_nanosec);
	assert_true(f.counter_period_maxerror_rate_frac_sec >= f.counter_period_esterror_rate_frac_sec);
	/* About 2026. */
	assert_true(f.time_sec >= 1767225600ull && f.time_sec < 1798761600ull);
	struct vmclock_fields g;
	vmclock_writer_default(&g);
	assert_memory_equal(&f, &g, sizeof(f));
}

/* writer_random: valid ranges, and the same seed gives the same pages. */
static void w_random_ranges_and_determinism(void **state)
{
	(void)state;
	struct vmclock_rng a = { 7 }, b = { 7 };
	unsigned shifts_ge_128 = 0, zero_period = 0;
	for (int i = 0; i < 10000; i++) {
		struct vmclock_fields f, g;
		vmclock_writer_random(&a, &f);
		vmclock_writer_random(&b, &g);
		assert_memory_equal(&f, &g, sizeof(f));
		assert_int_equal(f.magic, VMCLOCK_MAGIC);
		assert_int_equal(f.version, 1);
		assert_in_range(f.size, VMCLOCK_ABI_SIZE, VMCLOCK_PAGE_SIZE);
		assert_int_equal(f.counter_id, VMCLOCK_COUNTER_NATIVE);
		assert_in_range(f.time_type, 0, VMCLOCK_TIME_MONOTONIC);
		assert_int_equal(f.seq_count & 1, 0);
		assert_true(f.seq_count <= 0xffffffffu);
		assert_in_range(f.clock_status, 0, VMCLOCK_STATUS_FREERUNNING);
		assert_in_range(f.leap_indicator, 0, VMCLOCK_LEAP_MAX);
		assert_in_range(f.leap_second_smearing_hint, 0, VMCLOCK_SMEARING_MAX);
		assert_int_equal(f.flags & ~VMCLOCK_FLAGS_DEFINED, 0);
		assert_int_equal(f.pad, 0);
		assert_true(f.tai_offset_sec <= 0xffff);
		assert_true(f.counter_period_shift <= 255);
		shifts_ge_128 += f.counter_period_shift >= 128;
		zero_period += f.counter_period_frac_sec == 0;
	}
	/* Edge bias: the edges do show up. */
	assert_true(shifts_ge_128 > 100);
	assert_true(zero_period > 10);
}

static void w_image_from_layout_and_fill(void **state)
{
	(void)state;
	struct vmclock_fields f, d;
	struct vmclock_image img;
	vmclock_writer_default(&f);
	vmclock_image_from(&img, &f, 104, 0xee);
	assert_int_equal(img.len, 104);
	vmclock_decode(img.bytes, VMCLOCK_ABI_SIZE, &d);
	assert_memory_equal(&f, &d, sizeof(f));
	for (size_t i = VMCLOCK_ABI_SIZE; i < VMCLOCK_PAGE_SIZE; i++)
		assert_int_equal(img.bytes[i], 0xee);
	/* Little-endian on the wire: magic "VCLK". */
	assert_memory_equal(img.bytes, "VCLK", 4);
}

/* The catalogue: unique names, known clauses, mapping lengths a multiple
 * of 8 within one page, and the entries the brief requires are there. */
static void w_malformed_catalogue_well_formed(void **state)
{
	(void)state;
	assert_true(vmclock_malformed_count >= 60);
	for (size_t i = 0; i < vmclock_malformed_count; i++) {
		const struct vmclock_malformed *m = &vmclock_malformed_table[i];
		assert_non_null(m->name);
		assert_non_null(m->apply);
		if (vmclock_clause_find(m->clause) < 0)
			fail_msg("%s: unknown clause %s", m->name, m->clause);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(m->name, vmclock_malformed_table[j].name);
		struct vmclock_fields f, def;
		size_t len = VMCLOCK_PAGE_SIZE;
		vmclock_writer_default(&f);
		def = f;
		m->apply(&f, &len);
		assert_true(len >= VMCLOCK_MIN_SIZE && len <= VMCLOCK_PAGE_SIZE && len % 8 == 0);
		/* Each entry is a defect (or boundary) of a default page: it
		 * changes something. */
		if (len == VMCLOCK_PAGE_SIZE && !memcmp(&f, &def, sizeof(f)))
			assert_true(strcmp(m->name, "size-4096") == 0 ||
			            strcmp(m->name, "status-2-synchronized") == 0 ||
			            strcmp(m->name, "leap-0-none") == 0);
	}
	static const char *const required[] = {
		"magic-0", "magic-byteswapped", "magic-bit0-flipped", "version-0", "version-2",
		"version-0xffff", "size-0", "size-31", "size-32", "size-103", "size-104", "size-111",
		"size-112", "size-4096", "size-4097-len-4096", "map-32", "map-104", "map-112",
		"counter-invalid", "counter-foreign", "counter-2", "counter-0xfe", "time-type-3",
		"time-type-4", "time-type-5", "time-type-0xff", "status-5", "status-0xff", "leap-6",
		"leap-0xff", "smearing-hint-3", "smearing-hint-0xff", "flags-reserved-10-63", "pad-1",
		"shift-0", "shift-63", "shift-64", "shift-127", "shift-128", "shift-255", "seq-0",
		"seq-0xfffffffe", "seq-odd-1",
	};
	for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		size_t i = 0;
		while (i < vmclock_malformed_count && strcmp(vmclock_malformed_table[i].name, required[r]))
			i++;
		if (i == vmclock_malformed_count)
			fail_msg("catalogue lacks %s", required[r]);
	}
}

/* W-SEQ-PROTOCOL: the steps turn `from` into `to`, seq odd between BEGIN
 * and END, +1 each, wrapping at 2^32; only protected fields are written. */
static void w_seq_protocol_update_steps(void **state)
{
	(void)state;
	struct vmclock_rng rng = { 99 };
	for (int i = 0; i < 2000; i++) {
		struct vmclock_fields from, to, d;
		vmclock_writer_random(&rng, &from);
		if (i == 0)
			from.seq_count = 0xfffffffeu;
		vmclock_writer_next(&rng, &from, i % 3 == 0, i % 5 == 0, &to);
		struct vmclock_image img;
		vmclock_image_from(&img, &from, VMCLOCK_PAGE_SIZE, 0);
		struct vmclock_step steps[2 + 32];
		size_t n = vmclock_update_steps(&from, &to, steps);
		assert_true(n >= 2 && n <= 2 + vmclock_field_count);
		assert_int_equal(steps[0].kind, VMCLOCK_STEP_BEGIN);
		assert_int_equal(steps[n - 1].kind, VMCLOCK_STEP_END);
		for (size_t s = 0; s < n; s++) {
			vmclock_step_apply(img.bytes, &steps[s]);
			vmclock_decode(img.bytes, VMCLOCK_ABI_SIZE, &d);
			if (s < n - 1)
				assert_int_equal(d.seq_count, (uint32_t)(from.seq_count + 1));
			if (s > 0 && s < n - 1) {
				assert_int_equal(steps[s].kind, VMCLOCK_STEP_WRITE);
				assert_true(vmclock_field_table[steps[s].field].protected_by_seq);
			}
		}
		assert_memory_equal(&d, &to, sizeof(d));
		if (i == 0)
			assert_int_equal(d.seq_count, 0);
	}
}

/* W-DISR-UNIQUE, W-VMGEN, W-VMGEN-DISR: markers change when asked, and
 * only then. */
static void w_next_markers(void **state)
{
	(void)state;
	struct vmclock_rng rng = { 5 };
	struct vmclock_fields cur, next;
	vmclock_writer_default(&cur);
	for (int i = 0; i < 1000; i++) {
		int disrupt = i % 3 == 0, restore = i % 7 == 0;
		vmclock_writer_next(&rng, &cur, disrupt, restore, &next);
		assert_int_equal(next.disruption_marker != cur.disruption_marker, disrupt || restore);
		assert_int_equal(next.vm_generation_counter != cur.vm_generation_counter, restore);
		if (restore)
			assert_true(next.vm_generation_counter > cur.vm_generation_counter);
		/* W-HDR-CONST */
		assert_int_equal(next.magic, cur.magic);
		assert_int_equal(next.size, cur.size);
		assert_int_equal(next.version, cur.version);
		assert_int_equal(next.counter_id, cur.counter_id);
		assert_int_equal(next.time_type, cur.time_type);
		cur = next;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(w_default_page_as_documented),
		cmocka_unit_test(w_random_ranges_and_determinism),
		cmocka_unit_test(w_image_from_layout_and_fill),
		cmocka_unit_test(w_malformed_catalogue_well_formed),
		cmocka_unit_test(w_seq_protocol_update_steps),
		cmocka_unit_test(w_next_markers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
