/* escape.h - strings as the report formats need them (JSON, JUnit XML).
 *
 * A report names things the suite does not control (a reader's path and
 * name, its evidence), so any byte may arrive; the output must still parse. */
#ifndef VMCLOCK_ESCAPE_H
#define VMCLOCK_ESCAPE_H

#include <stdio.h>

/* s as a JSON string, quotes included (NULL as ""): '"' and '\\' escaped,
 * control and non-ASCII bytes as \u00XX (a name need not be UTF-8). */
void esc_json(FILE *f, const char *s);

/* s as XML text or attribute value: the five specials as entities; control
 * bytes (not allowed in XML 1.0) and non-ASCII bytes as '?'. */
void esc_xml(FILE *f, const char *s);

/* The start of a clause's JSON object in a report's "clauses" array:
 * [",\n" or "\n"]{"id":..,"level":..,"title":..,"verdict":..,"how":.. */
void esc_json_clause(FILE *f, int first, int clause, int verdict, const char *how);

#endif
