/* report.c - verdict -> report: text lines, TAP, JSON, JUnit XML. All read the one
 * clause table and g_run.res. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "runner.h"

int conformant(void)
{
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++)
		if (g_run.res[c].ran && g_run.res[c].verdict == VMCLOCK_FAIL &&
		    vmclock_clauses[c].level == VMCLOCK_MUST)
			return 0;
	return 1;
}

/* The random schedules' bound qualifies a verdict that found nothing to
 * blame: how likely a bug of that shape got past them. Beside a FAIL (a bug
 * was found), a NOT_SUPPORTED (the reader never reports what the clause is
 * about) or an INFO it says nothing, so it is not printed. */
static const char *bound_of(const struct clause_result *r)
{
	return r->verdict == VMCLOCK_PASS || r->verdict == VMCLOCK_WARN ? r->bound : "";
}

/* The reader's path as a shell word: a replay line is pasted as is, and a
 * path with a space, '&' or a quote would otherwise run something else.
 * Plain paths stay plain; others are single-quoted (' as '\''). */
static void shell_word(const char *s, char *buf, size_t len)
{
	if (!len)
		return;
	if (*s && !s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+,:@%=-")]) {
		snprintf(buf, len, "%s", s);
		return;
	}
	size_t k = 0;
	buf[k++] = '\'';
	for (; *s && k + 5 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + k, "'\\''", 4);
			k += 4;
		} else {
			buf[k++] = *s;
		}
	}
	if (k + 1 < len)
		buf[k++] = '\'';
	buf[k < len ? k : len - 1] = 0;
}

static void replay_cmd(enum vmclock_clause c, char *buf, size_t len)
{
	char reader[4 * 256 + 3];
	shell_word(g_run.o.reader, reader, sizeof reader);
	snprintf(buf, len, "vmclock-cts check %s --only %s --seed 0x%" PRIx64 " --case %ld", reader,
	         vmclock_clauses[g_run.res[c].fail_clause].id, g_run.o.seed, g_run.res[c].fail_case);
}

void report_line(enum vmclock_clause c)
{
	const struct clause_result *r = &g_run.res[c];
	if (g_run.o.tap)
		return;
	fprintf(g_out, "%-18s %-6s %-13s %s\n", vmclock_clauses[c].id, vmclock_level_name(vmclock_clauses[c].level),
	       vmclock_verdict_name(r->verdict), r->how);
	if (bound_of(r)[0])
		fprintf(g_out, "    %s\n", bound_of(r));
	if (r->evidence[0])
		fprintf(g_out, "    %s\n", r->evidence);
	if (r->nfailed > 1)
		fprintf(g_out, "    (%u cases failed: %u of its own %u, %u of other clauses)\n", r->nfailed, r->nfailed_own,
		        r->ncases, r->nfailed - r->nfailed_own);
	if (r->fail_case >= 0 && (r->verdict == VMCLOCK_FAIL || r->verdict == VMCLOCK_WARN)) {
		char cmd[600];
		replay_cmd(c, cmd, sizeof cmd);
		fprintf(g_out, "    replay: %s\n", cmd);
	}
	fflush(g_out);
}

static unsigned count(enum vmclock_verdict v)
{
	unsigned n = 0;
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++)
		n += g_run.res[c].ran && g_run.res[c].verdict == v;
	return n;
}

void report_summary(void)
{
	if (g_run.o.tap)
		return;
	fprintf(g_out, "summary: %u PASS, %u FAIL, %u WARN, %u NOT_SUPPORTED, %u INFO -- %s\n", count(VMCLOCK_PASS),
	       count(VMCLOCK_FAIL), count(VMCLOCK_WARN), count(VMCLOCK_NOT_SUPPORTED), count(VMCLOCK_INFO_V),
	       conformant() ? "CONFORMANT (no MUST clause failed)" : "NOT CONFORMANT (a MUST clause failed)");
	if (g_run.profile.learned) {
		char pol[400];
		profile_describe(pol, sizeof pol);
		fprintf(g_out, "policy (the page classes it serves; refusals are judged by R-TIME-LIVE only): %s\n", pol);
	}
}

void report_tap(void)
{
	unsigned n = 0, k = 0;
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++)
		n += g_run.res[c].ran;
	fprintf(g_out, "TAP version 13\n1..%u\n", n);
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++) {
		const struct clause_result *r = &g_run.res[c];
		if (!r->ran)
			continue;
		int bad = r->verdict == VMCLOCK_FAIL && vmclock_clauses[c].level == VMCLOCK_MUST;
		fprintf(g_out, "%s %u - %s %s%s%s\n", bad ? "not ok" : "ok", ++k, vmclock_clauses[c].id,
		       vmclock_verdict_name(r->verdict), r->verdict == VMCLOCK_NOT_SUPPORTED ? " # SKIP " : "",
		       r->verdict == VMCLOCK_NOT_SUPPORTED ? r->how : "");
		fprintf(g_out, "  # %s\n", r->how);
		if (r->evidence[0])
			fprintf(g_out, "  # %s\n", r->evidence);
	}
}

/* Writes the JSON report to f and closes it. */
int report_json(FILE *f)
{
	fprintf(f, "{\"contract_version\":%d,\"suite_version\":", VMCLOCK_IUT_CONTRACT_VERSION);
	esc_json(f, VMCLOCK_CTS_VERSION);
	fprintf(f, ",\"seed\":\"0x%" PRIx64 "\",\"reader\":{\"path\":", g_run.o.seed);
	esc_json(f, g_run.o.reader);
	fprintf(f, ",\"sha256\":");
	esc_json(f, g_run.sha256);
	fprintf(f, ",\"name\":");
	esc_json(f, g_run.info.has_info ? g_run.info.name : "");
	fprintf(f, ",\"version\":");
	esc_json(f, g_run.info.has_info ? g_run.info.version : "");
	char pol[400] = "";
	if (g_run.profile.learned)
		profile_describe(pol, sizeof pol);
	fprintf(f, ",\"supported\":%u,\"policy\":", g_run.seen_filled | g_run.declared);
	esc_json(f, pol);
	fprintf(f, "},\"containment\":");
	esc_json(f, g_run.info.contained);
	fprintf(f, ",\"clauses\":[");
	int first = 1;
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++) {
		const struct clause_result *r = &g_run.res[c];
		if (!r->ran)
			continue;
		esc_json_clause(f, first, c, r->verdict, r->how);
		first = 0;
		fprintf(f, ",\"random_bound\":");
		esc_json(f, bound_of(r));
		fprintf(f, ",\"cases\":%u,\"failed_cases\":%u,\"failed_own_cases\":%u,\"refused\":%u,\"not_run\":%u,\"evidence\":",
		        r->ncases, r->nfailed, r->nfailed_own, r->nrefused, r->nnotrun);
		esc_json(f, r->evidence);
		fprintf(f, ",\"replay\":");
		if (r->fail_case >= 0) {
			char cmd[600];
			replay_cmd((enum vmclock_clause)c, cmd, sizeof cmd);
			esc_json(f, cmd);
		} else {
			fprintf(f, "null");
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n],\"conformant\":%s}\n", conformant() ? "true" : "false");
	int bad = ferror(f);   /* a write that failed before the last flush */
	return fclose(f) == 0 && !bad ? 0 : -1;
}

/* Writes the JUnit XML report to f and closes it: one document, one
 * <testsuite> for the reader, one <testcase> per clause judged, in the
 * shape CI systems read (GitLab's junit report, the GitHub test-reporter
 * actions; harness/tests/junit.xsd). A MUST clause that FAILs is a
 * <failure> with its evidence and replay line, NOT_SUPPORTED is <skipped>,
 * and WARN and INFO pass with their verdict in <system-out>: the same
 * split as the exit status. */
int report_junit(FILE *f)
{
	unsigned tests = 0, failures = 0, skipped = 0;
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++) {
		const struct clause_result *r = &g_run.res[c];
		if (!r->ran)
			continue;
		tests++;
		failures += r->verdict == VMCLOCK_FAIL && vmclock_clauses[c].level == VMCLOCK_MUST;
		skipped += r->verdict == VMCLOCK_NOT_SUPPORTED;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"vmclock-cts\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n", tests,
	        failures, skipped);
	fprintf(f, "  <testsuite name=\"vmclock-cts ");
	esc_xml(f, g_run.info.has_info && g_run.info.name[0] ? g_run.info.name : g_run.o.reader);
	fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n", tests, failures, skipped);
	fprintf(f, "    <properties>\n      <property name=\"reader\" value=\"");
	esc_xml(f, g_run.o.reader);
	fprintf(f, "\"/>\n      <property name=\"sha256\" value=\"");
	esc_xml(f, g_run.sha256);
	fprintf(f, "\"/>\n      <property name=\"seed\" value=\"0x%" PRIx64 "\"/>\n", g_run.o.seed);
	fprintf(f, "      <property name=\"suite_version\" value=\"%s\"/>\n", VMCLOCK_CTS_VERSION);
	fprintf(f, "      <property name=\"conformant\" value=\"%s\"/>\n    </properties>\n",
	        conformant() ? "true" : "false");
	for (int c = 0; c < VMCLOCK_CLAUSE_COUNT; c++) {
		const struct clause_result *r = &g_run.res[c];
		if (!r->ran)
			continue;
		const struct vmclock_clause_desc *d = &vmclock_clauses[c];
		/* classname: the clause family (R-HDR, R-SEQ, ...), which CI
		 * systems show as the group */
		const char *dash = strchr(d->id + 2, '-');
		int fam = dash ? (int)(dash - d->id) : (int)strlen(d->id);
		fprintf(f, "    <testcase classname=\"vmclock-cts.%.*s\" name=\"%s\">\n", fam, d->id, d->id);
		const char *verdict = vmclock_verdict_name(r->verdict);
		if (r->verdict == VMCLOCK_FAIL && d->level == VMCLOCK_MUST) {
			fprintf(f, "      <failure type=\"MUST\" message=\"");
			esc_xml(f, r->evidence);
			fprintf(f, "\">");
			esc_xml(f, d->title);
			fprintf(f, "\n");
			esc_xml(f, r->evidence);
			if (r->fail_case >= 0) {
				char cmd[600];
				replay_cmd((enum vmclock_clause)c, cmd, sizeof cmd);
				fprintf(f, "\nreplay: ");
				esc_xml(f, cmd);
			}
			fprintf(f, "</failure>\n");
		} else if (r->verdict == VMCLOCK_NOT_SUPPORTED) {
			fprintf(f, "      <skipped message=\"NOT_SUPPORTED: ");
			esc_xml(f, r->how);
			fprintf(f, "\"/>\n");
		}
		fprintf(f, "      <system-out>%s %s: ", vmclock_level_name(d->level), verdict);
		esc_xml(f, r->how);
		if (r->evidence[0] && !(r->verdict == VMCLOCK_FAIL && d->level == VMCLOCK_MUST)) {
			fprintf(f, "\n");
			esc_xml(f, r->evidence);
		}
		fprintf(f, "</system-out>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	int bad = ferror(f);   /* a write that failed before the last flush */
	return fclose(f) == 0 && !bad ? 0 : -1;
}


static const char *status_name(int s)
{
	static const char *const n[] = { "OK", "NO_TIME", "INVALID", "BUSY" };
	return s >= 0 && s <= 3 ? n[s] : "UNKNOWN";
}

/* --case N: everything about one case, so a failure can be read off. */
void report_case_detail(const struct sc_case *c, const struct sb_result *r)
{
	fprintf(g_out, "case %u of %s (%s%s), mapping %zu bytes\n", c->index, vmclock_clauses[c->clause].id,
	       c->random ? "random " : "vector ", c->name, c->img.len);
	size_t show = c->img.len < VMCLOCK_ABI_SIZE ? c->img.len : VMCLOCK_ABI_SIZE;
	struct vmclock_fields f;
	vmclock_decode(c->img.bytes, c->img.len, &f);
	for (size_t i = 0; i < vmclock_field_count; i++) {
		const struct vmclock_field_desc *d = &vmclock_field_table[i];
		if ((size_t)d->offset + d->size <= show)
			fprintf(g_out, "    page %-38s = 0x%" PRIx64 "\n", d->name, vmclock_field_get(&f, i));
	}
	fprintf(g_out, c->dyn.ncalls ? "    counter: virtual clock 0x%" PRIx64 " + event * %" PRIu64 "; reads: %u\n"
	                              : "    counter script: 0x%" PRIx64 " + read * %" PRIu64 "; reads: %u\n", c->counter_start,
	       c->counter_step, r->ncounters);
	if (c->dyn.ncalls) {
		fprintf(g_out, "    schedule: %s (events numbered from 0 across calls; %u trapped)\n", c->name, r->events);
		for (unsigned s = 0; s < r->nstates; s++)
			fprintf(g_out, "    state %u: seq 0x%" PRIx64 " counter_value 0x%" PRIx64 " period 0x%" PRIx64 " time 0x%" PRIx64 ".%016" PRIx64 " marker 0x%" PRIx64 " vmgen 0x%" PRIx64 "\n",
			        s, r->states[s].seq_count, r->states[s].counter_value, r->states[s].counter_period_frac_sec,
			        r->states[s].time_sec, r->states[s].time_frac_sec, r->states[s].disruption_marker,
			        r->states[s].vm_generation_counter);
		unsigned nc = r->ncounters < SB_MAX_COUNTERS ? r->ncounters : SB_MAX_COUNTERS;
		for (unsigned k = 0; k < nc; k++)
			if (r->current[k] < 0)
				fprintf(g_out, "    counter read %u: 0x%" PRIx64 " while an update was in progress\n", k, r->counters[k]);
			else
				fprintf(g_out, "    counter read %u: 0x%" PRIx64 " while state %d was current\n", k, r->counters[k],
				        r->current[k]);
	}
	if (r->outcome != SB_RETURNED) {
		fprintf(g_out, "    reader: %s\n", r->evidence);
		return;
	}
	const struct vmclock_iut_reading *x = &r->reading;
	fprintf(g_out, "    returned %s in %" PRIu64 " ns, filled 0x%x\n", status_name(r->status), r->elapsed_ns, x->filled);
	if (c->dyn.ncalls)
		for (unsigned k = 0; k < r->ncalls; k++)
			fprintf(g_out, "    call %u: fields last read while seq_count was odd: %u%s\n", k, r->call_odd_loads[k],
			        r->call_odd_loads[k] == 255 ? " (the engine let it run free while odd: unknown)" : "");
	fprintf(g_out, "    sec %" PRIu64 " nsec %u counter 0x%" PRIx64 " time_type %u\n", x->sec, x->nsec, x->counter,
	       x->time_type);
	fprintf(g_out, "    esterror %" PRIu64 " maxerror %" PRIu64 " marker 0x%" PRIx64 " vmgen 0x%" PRIx64 " tai %d\n",
	       x->esterror_ns, x->maxerror_ns, x->disruption_marker, x->vm_generation_counter, x->tai_offset_sec);
	fprintf(g_out, "    status %u leap %u flags 0x%" PRIx64 "\n", x->clock_status, x->leap_indicator, x->flags);
}
