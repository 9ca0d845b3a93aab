/* seeds_vector.c - seeds of vmclock_vector_fuzzer: small vector files in
 * the schema of docs/vectors.md (one valid page from the writer, a rejected
 * header, a refused time) and near misses of the JSON subset. */
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "seeds.h"
#include "writer.h"

static void put_text(struct seed_out *o, const char *name, const char *text)
{
	seed_write(o, name, (const uint8_t *)text, strlen(text));
}

void seeds_vector(struct seed_out *o, uint64_t seed)
{
	(void)seed;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	uint8_t page[VMCLOCK_ABI_SIZE];
	vmclock_encode(&f, page);
	char hex[2 * VMCLOCK_ABI_SIZE + 1];
	for (size_t i = 0; i < sizeof page; i++)
		snprintf(hex + 2 * i, 3, "%02x", page[i]);
	static char doc[4096];
	snprintf(doc, sizeof doc,
	         "{\"schema\": \"vmclock-cts-vectors\", \"schemaVersion\": 1, \"clause\": \"R-TIME-EXACT\", \"tests\": [\n"
	         " {\"tcId\": 1, \"clause\": \"R-TIME-EXACT\", \"comment\": \"default\", \"flags\": [\"baseline\"],"
	         " \"result\": \"valid\", \"len\": 4096, \"counter\": \"0x%llx\", \"page\": \"%s\","
	         " \"expect\": {\"accept\": true, \"time\": {\"sec\": \"0x%llx\", \"nsec\": 204444444,"
	         " \"sec_nearest\": \"0x%llx\", \"nsec_nearest\": 204444445, \"time_type\": 0},"
	         " \"esterror_ns_min\": \"0x3e8\", \"maxerror_ns_min\": \"0xc350\", \"disruption_marker\": \"0x123456789abcdef\","
	         " \"vm_generation_counter\": \"0x1\", \"tai_offset_sec\": -37}},\n"
	         " {\"tcId\": 2, \"clause\": \"R-HDR-MAGIC\", \"result\": \"invalid\", \"len\": 32, \"counter\": \"0x0\","
	         " \"page\": \"00\", \"expect\": {\"accept\": false}},\n"
	         " {\"tcId\": 3, \"clause\": \"R-HDR-COUNTER\", \"result\": \"invalid\", \"len\": 112, \"counter\": \"0x1\","
	         " \"page\": \"%s\", \"expect\": {\"accept\": true, \"time\": null, \"vm_generation_counter\": null}}\n]}\n",
	         (unsigned long long)(f.counter_value + 1000000000u), hex, (unsigned long long)(f.time_sec + 1),
	         (unsigned long long)(f.time_sec + 1), hex);
	put_text(o, "file-three-vectors", doc);
	put_text(o, "empty-tests", "{\"schema\":\"vmclock-cts-vectors\",\"schemaVersion\":1,\"tests\":[]}");
	put_text(o, "wrong-version", "{\"schema\":\"vmclock-cts-vectors\",\"schemaVersion\":2,\"tests\":[]}");
	put_text(o, "json-escapes", "[\"a\\\"b\\\\c\\/d\\ne\\tf\", -9223372036854775808, 9223372036854775807, true, false, null, {}]");
	put_text(o, "json-deep", "[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]");
	put_text(o, "json-unterminated", "{\"schema\": \"vmclock-cts-vec");
}
