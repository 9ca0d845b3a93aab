/* vmgen.c - R-VMGEN: vm_generation_counter only with VM_GEN_COUNTER_PRESENT
 * and size >= 112 (the field ends at 112). */
#include <stdio.h>
#include "gen.h"

static void vmgen(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const struct { uint32_t size; size_t len; } sz[] = {
		{ 104, 104 }, { 104, 112 }, { 111, 112 }, { 112, 112 }, { 104, 4096 }, { 111, 4096 }, { 112, 4096 }, { 4096, 4096 },
	};
	for (unsigned i = 0; i < sizeof sz / sizeof sz[0]; i++)
		for (int flag = 0; flag < 2; flag++)
			for (int k = 0; k < 4; k++) {
				struct vmclock_fields f;
				gen_default(&f);
				f.size = sz[i].size;
				f.vm_generation_counter = vmclock_rng_edgy64(r);
				if (!flag)
					f.flags &= ~VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
				char name[48];
				snprintf(name, sizeof name, "size %u, mapping %zu, flag %s", sz[i].size, sz[i].len, flag ? "set" : "clear");
				gen_push(l, R_VMGEN, name, 1, &f, sz[i].len, VMCLOCK_EXPECT_TIME, 1000003, 1000);
			}
}

/* Dynamic: snapshot restores (new marker and vm_generation_counter) before
 * every event and every pair of events: the counter must come from the same
 * state as the rest. */
static void restores(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const uint8_t orders[] = { ORD_FIELDS, ORD_REVERSE };
	vmgen(r, l);
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	gen_sweep1(l, R_VMGEN, r, &f, UPD_RESTORE, orders, 2);
	gen_sweep2(l, R_VMGEN, r, &f, UPD_RESTORE);
}

FAMILY(fam_vmgen, "R-VMGEN", { R_VMGEN, restores, 1 });
