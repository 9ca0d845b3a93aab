/* escape.c - see escape.h. */
#include "escape.h"
#include "clauses.h"

void esc_json(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void esc_xml(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			fputc((ch < 0x20 && ch != '\t' && ch != '\n') || ch >= 0x7f ? '?' : ch, f);
		}
	}
}

void esc_json_clause(FILE *f, int first, int clause, int verdict, const char *how)
{
	fprintf(f, "%s\n{\"id\":", first ? "" : ",");
	esc_json(f, vmclock_clauses[clause].id);
	fprintf(f, ",\"level\":");
	esc_json(f, vmclock_level_name(vmclock_clauses[clause].level));
	fprintf(f, ",\"title\":");
	esc_json(f, vmclock_clauses[clause].title);
	fprintf(f, ",\"verdict\":");
	esc_json(f, vmclock_verdict_name((enum vmclock_verdict)verdict));
	fprintf(f, ",\"how\":");
	esc_json(f, how);
}
