/* wreport.c - see wreport.h. */
#include "wreport.h"

#include <inttypes.h>
#include <string.h>
#include "escape.h"
#include "vmclock_wut.h"

int wreport_shown(const struct wreport *r, int c)
{
	return vmclock_clause_is_writer(c) && (!r->have_only || r->only[c]);
}

int wreport_conformant(const struct wreport *r)
{
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++)
		if (wreport_shown(r, c) && r->res.c[c].verdict == VMCLOCK_FAIL && vmclock_clauses[c].level == VMCLOCK_MUST)
			return 0;
	return 1;
}

void wreport_text(FILE *f, const struct wreport *r)
{
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		if (!wreport_shown(r, c))
			continue;
		const struct wj_clause *k = &r->res.c[c];
		fprintf(f, "%-18s %-6s %-13s %s\n", vmclock_clauses[c].id, vmclock_level_name(vmclock_clauses[c].level),
		        vmclock_verdict_name(k->verdict), r->how[c]);
		if (k->evidence[0] && (k->verdict == VMCLOCK_FAIL || k->verdict == VMCLOCK_WARN)) {
			fprintf(f, "    %s\n", k->evidence);
			if (k->findings > 1)
				fprintf(f, "    (%u findings)\n", k->findings);
			if (r->replay[c][0])
				fprintf(f, "    replay: %s\n", r->replay[c]);
		}
	}
	fflush(f);
}

static unsigned count(const struct wreport *r, enum vmclock_verdict v)
{
	unsigned n = 0;
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++)
		n += wreport_shown(r, c) && r->res.c[c].verdict == v;
	return n;
}

void wreport_summary(FILE *f, const struct wreport *r)
{
	fprintf(f, "summary: %u PASS, %u FAIL, %u WARN, %u NOT_SUPPORTED -- %s\n", count(r, VMCLOCK_PASS),
	        count(r, VMCLOCK_FAIL), count(r, VMCLOCK_WARN), count(r, VMCLOCK_NOT_SUPPORTED),
	        wreport_conformant(r) ? "CONFORMANT (no MUST clause failed)" : "NOT CONFORMANT (a MUST clause failed)");
}

void wreport_tap(FILE *f, const struct wreport *r)
{
	unsigned n = 0, k = 0;
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++)
		n += wreport_shown(r, c);
	fprintf(f, "TAP version 13\n1..%u\n", n);
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		if (!wreport_shown(r, c))
			continue;
		const struct wj_clause *x = &r->res.c[c];
		int bad = x->verdict == VMCLOCK_FAIL && vmclock_clauses[c].level == VMCLOCK_MUST;
		int ns = x->verdict == VMCLOCK_NOT_SUPPORTED;
		fprintf(f, "%s %u - %s %s%s%s\n", bad ? "not ok" : "ok", ++k, vmclock_clauses[c].id,
		        vmclock_verdict_name(x->verdict), ns ? " # SKIP " : "", ns ? r->how[c] : "");
		fprintf(f, "  # %s\n", r->how[c]);
		if (x->evidence[0])
			fprintf(f, "  # %s\n", x->evidence);
		if (r->replay[c][0] && (bad || x->verdict == VMCLOCK_WARN))
			fprintf(f, "  # replay: %s\n", r->replay[c]);
	}
}

int wreport_json(FILE *f, const struct wreport *r)
{
	fprintf(f, "{\"writer_contract_version\":%d,\"suite_version\":", VMCLOCK_WUT_CONTRACT_VERSION);
	esc_json(f, VMCLOCK_CTS_VERSION);
	fprintf(f, ",\"seed\":\"0x%" PRIx64 "\",\"%s\":{\"path\":", r->seed, r->is_trace ? "trace" : "writer");
	esc_json(f, r->subject);
	fprintf(f, ",\"sha256\":");
	esc_json(f, r->sha256);
	fprintf(f, ",\"name\":");
	esc_json(f, r->name);
	fprintf(f, ",\"version\":");
	esc_json(f, r->version);
	fprintf(f, ",\"publishes\":%u},\"containment\":", r->res.seen | r->res.declared);
	esc_json(f, r->contained);
	fprintf(f, ",\"records\":{\"images\":%u,\"stores\":%u,\"updates\":%u,\"events\":%u},\"clauses\":[", r->res.images,
	        r->res.stores, r->res.updates, r->res.events);
	int first = 1;
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		if (!wreport_shown(r, c))
			continue;
		const struct wj_clause *k = &r->res.c[c];
		esc_json_clause(f, first, c, k->verdict, r->how[c]);
		first = 0;
		fprintf(f, ",\"checked\":%u,\"findings\":%u,\"record\":%ld,\"event\":%ld,\"evidence\":", k->checked,
		        k->findings, k->rec, k->event);
		esc_json(f, k->evidence);
		fprintf(f, ",\"replay\":");
		if (r->replay[c][0] && k->findings)
			esc_json(f, r->replay[c]);
		else
			fprintf(f, "null");
		fprintf(f, "}");
	}
	fprintf(f, "\n],\"conformant\":%s}\n", wreport_conformant(r) ? "true" : "false");
	int bad = ferror(f);
	return fclose(f) == 0 && !bad ? 0 : -1;
}

/* The same split as the exit status: a failed MUST is a <failure>,
 * NOT_SUPPORTED <skipped>, WARN passes with its verdict in <system-out>. */
int wreport_junit(FILE *f, const struct wreport *r)
{
	unsigned tests = 0, failures = 0, skipped = 0;
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		if (!wreport_shown(r, c))
			continue;
		tests++;
		failures += r->res.c[c].verdict == VMCLOCK_FAIL && vmclock_clauses[c].level == VMCLOCK_MUST;
		skipped += r->res.c[c].verdict == VMCLOCK_NOT_SUPPORTED;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"vmclock-cts\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n", tests,
	        failures, skipped);
	fprintf(f, "  <testsuite name=\"vmclock-cts ");
	esc_xml(f, r->name[0] ? r->name : r->subject);
	fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n", tests, failures, skipped);
	fprintf(f, "    <properties>\n      <property name=\"%s\" value=\"", r->is_trace ? "trace" : "writer");
	esc_xml(f, r->subject);
	fprintf(f, "\"/>\n      <property name=\"sha256\" value=\"");
	esc_xml(f, r->sha256);
	fprintf(f, "\"/>\n      <property name=\"seed\" value=\"0x%" PRIx64 "\"/>\n", r->seed);
	fprintf(f, "      <property name=\"suite_version\" value=\"%s\"/>\n", VMCLOCK_CTS_VERSION);
	fprintf(f, "      <property name=\"conformant\" value=\"%s\"/>\n    </properties>\n",
	        wreport_conformant(r) ? "true" : "false");
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		if (!wreport_shown(r, c))
			continue;
		const struct vmclock_clause_desc *d = &vmclock_clauses[c];
		const struct wj_clause *k = &r->res.c[c];
		const char *dash = strchr(d->id + 2, '-');
		int fam = dash ? (int)(dash - d->id) : (int)strlen(d->id);
		fprintf(f, "    <testcase classname=\"vmclock-cts.%.*s\" name=\"%s\">\n", fam, d->id, d->id);
		int failed = k->verdict == VMCLOCK_FAIL && d->level == VMCLOCK_MUST;
		if (failed) {
			fprintf(f, "      <failure type=\"MUST\" message=\"");
			esc_xml(f, k->evidence);
			fprintf(f, "\">");
			esc_xml(f, d->title);
			fprintf(f, "\n");
			esc_xml(f, k->evidence);
			if (r->replay[c][0]) {
				fprintf(f, "\nreplay: ");
				esc_xml(f, r->replay[c]);
			}
			fprintf(f, "</failure>\n");
		} else if (k->verdict == VMCLOCK_NOT_SUPPORTED) {
			fprintf(f, "      <skipped message=\"NOT_SUPPORTED: ");
			esc_xml(f, r->how[c]);
			fprintf(f, "\"/>\n");
		}
		fprintf(f, "      <system-out>%s %s: ", vmclock_level_name(d->level), vmclock_verdict_name(k->verdict));
		esc_xml(f, r->how[c]);
		if (k->evidence[0] && !failed) {
			fprintf(f, "\n");
			esc_xml(f, k->evidence);
		}
		fprintf(f, "</system-out>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	int bad = ferror(f);
	return fclose(f) == 0 && !bad ? 0 : -1;
}
