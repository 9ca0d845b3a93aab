#!/usr/bin/env bats
# mutate.bats - the cheap parts of harness/mutate (make mutate, issue 13):
# the table is listed, a stale table is refused, and a mutant the unit
# tests kill is reported killed. The full mutation run takes an hour or
# more and is never part of make test.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export MUTATE=$ROOT/harness/mutate
	export TABLE=$ROOT/harness/mutants.def
}

setup() {
	git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
		skip "not a git checkout: harness/mutate copies the tracked files"
}

# The IDs of the table: first field of every line that is not a comment.
table_ids() {
	grep -v '^#' "$TABLE" | grep -v '^[[:space:]]*$' | cut -f1
}

@test "mutate: --list prints every mutant of the table, with its file, line and operator" {
	run "$MUTATE" --list
	[ "$status" -eq 0 ]
	n=0
	while IFS= read -r id; do
		n=$((n + 1))
		grep -Eq "^$id [a-z/._]+\.[ch]:[0-9]+ [a-z0-9-]+( equivalent: .+)?\$" <<<"$output" || {
			echo "mutant $id missing from --list (or its line is malformed)"
			return 1
		}
	done < <(table_ids)
	[ "$n" -ge 65 ]
	[ "$(grep -Ec '^[A-Za-z0-9._-]* [a-z/._]*\.[ch]:[0-9]* ' <<<"$output")" -eq "$n" ]
}

@test "mutate: a table whose ORIGINAL no longer occurs exactly once is refused (exit 2), before anything is built" {
	# Not at all: a changed source line.
	sed '0,/^M01\t/s/\tif ((r->filled \& presence\[i\].bit)/\tif ((r->filled \& presence[i].bits)/' "$TABLE" >"$BATS_TEST_TMPDIR/stale.def"
	run cmp -s "$TABLE" "$BATS_TEST_TMPDIR/stale.def"
	[ "$status" -ne 0 ]
	run "$MUTATE" --table "$BATS_TEST_TMPDIR/stale.def" --only M01 --out "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 2 ]
	[[ $output == *"M01: ORIGINAL occurs 0 times in reference/oracle.c, not exactly once"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
	# Twice: a string too short to say where.
	printf 'X1\treference/oracle.c\tdrop-finding\treturn NULL;\treturn "x";\n' >"$BATS_TEST_TMPDIR/twice.def"
	run "$MUTATE" --table "$BATS_TEST_TMPDIR/twice.def" --list
	[ "$status" -eq 2 ]
	[[ $output == *"X1: ORIGINAL occurs "*" times in reference/oracle.c"* ]]
	# And a malformed line (4 fields) is refused the same way.
	printf 'X2\treference/oracle.c\tflip-cmp\tif (got < want)\n' >"$BATS_TEST_TMPDIR/short.def"
	run "$MUTATE" --table "$BATS_TEST_TMPDIR/short.def" --list
	[ "$status" -eq 2 ]
	[[ $output == *"4 TAB-separated fields"* ]]
}

@test "mutate: --only runs one mutant; one the unit tests kill is reported killed, with the score" {
	# M50 drops the carry of the fraction into the seconds (timemath_inline.h):
	# the unit tests see it within a second.
	grep -q "^M50	reference/timemath_inline.h	" "$TABLE"
	run "$MUTATE" -j 1 --only M50 --out "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"[1/1] M50 reference/timemath_inline.h:"*" killed-by unit/test_"* ]]
	grep -Eq '^M50 reference/timemath_inline\.h:[0-9]+ [a-z-]+ killed-by unit/test_[a-z]+ \([0-9.]+ s\)$' "$BATS_TEST_TMPDIR/out/report.txt"
	grep -qx 'mutation score: 1/1 = 100.0% (0 equivalent, listed)' "$BATS_TEST_TMPDIR/out/report.txt"
	[ -s "$BATS_TEST_TMPDIR/out/details/M50.txt" ]
	# the mutant lived in a scratch copy: the tree itself was never touched
	git -C "$ROOT" diff --quiet -- reference/timemath_inline.h
}

@test "mutate: usage errors exit 2" {
	run "$MUTATE" --only NO-SUCH-MUTANT --list
	[ "$status" -eq 2 ]
	[[ $output == *"no mutant NO-SUCH-MUTANT"* ]]
	run "$MUTATE" -j x
	[ "$status" -eq 2 ]
	run "$MUTATE" --max-reader-s x
	[ "$status" -eq 2 ]
	run "$MUTATE" --bogus
	[ "$status" -eq 2 ]
}

@test "mutate: --reader names a bundled reader, or the run is refused (exit 2) before anything is built" {
	run "$MUTATE" -j 1 --only M50 --reader no_such_reader --out "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ $output == *"no bundled reader no_such_reader"* ]]
	[[ $output != *"set-up:"* ]]
}
