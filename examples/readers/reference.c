/* VMCLOCK-EXPECT: PASS */
/* reference.c - the suite's reference reader (reference/reader.c) exported
 * through the reader contract (suite/vmclock_iut.h). It is what `make check`
 * judges by default and the model of correctness: it must pass every MUST
 * and SHOULD clause. It models no bug; it exists so that a failure of this
 * reader points at the suite, not at a reader. */
#include "reader.h"
#include "vmclock_iut.h"

#ifndef VMCLOCK_CTS_VERSION
#define VMCLOCK_CTS_VERSION "unknown"
#endif

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	return vmclock_ref_read(page, len, counter, out);
}

/* Declares every field vmclock_ref_read can fill, so no clause is
 * NOT_SUPPORTED for the reference reader. */
const struct vmclock_iut_info *vmclock_iut_info(void)
{
	static const struct vmclock_iut_info info = {
		.contract_version = VMCLOCK_IUT_CONTRACT_VERSION,
		.name = "vmclock-cts reference",
		.version = VMCLOCK_CTS_VERSION,
		.provides = VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR |
		            VMCLOCK_IUT_HAS_MAXERROR | VMCLOCK_IUT_HAS_DISRUPTION |
		            VMCLOCK_IUT_HAS_VMGEN | VMCLOCK_IUT_HAS_TAI_OFFSET |
		            VMCLOCK_IUT_HAS_STATUS,
		.caps = 0,
	};
	return &info;
}
