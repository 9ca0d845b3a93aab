#!/usr/bin/env bats
# man.bats - docs/vmclock-cts.1 describes exactly the front door's options
# (those `vmclock-cts --help` names), renders without warnings, and is
# installed by make install.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export MAN=$ROOT/docs/vmclock-cts.1
}

# The --option tokens of the help text, and of the man page source (where a
# dash is written \-), one per line, sorted, unique.
help_opts() {
	"$ROOT/harness/vmclock-cts" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u
}
man_opts() {
	sed 's/\\-/-/g' "$MAN" | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

@test "every option of --help is in the man page" {
	run comm -23 <(help_opts) <(man_opts)
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "in --help, not in docs/vmclock-cts.1: $output"; return 1; }
	# and the comparison compared something
	[ "$(help_opts | wc -l)" -ge 12 ]
}

@test "every option of the man page is in --help" {
	run comm -13 <(help_opts) <(man_opts)
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "in docs/vmclock-cts.1, not in --help: $output"; return 1; }
}

@test "the man page has every section and subcommand, and the environment and exit statuses" {
	local s
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES; do
		grep -qx "\.SH \"\?$s\"\?" "$MAN" || { echo "no section $s"; return 1; }
	done
	for s in check replay list-clauses VMCLOCK_CTS_SUITE VMCLOCK_CTS_BUILD VMCLOCK_CTS_NO_WALLS; do
		grep -q -- "$s" "$MAN" || { echo "$s not described"; return 1; }
	done
	for s in '^\.B 0$' '^\.B 1$' '^\.B 2$' '^\.BI 128+ N$'; do
		grep -q -- "$s" "$MAN" || { echo "exit status $s not described"; return 1; }
	done
}

@test "groff renders the man page without warnings" {
	command -v groff >/dev/null || skip "groff not installed (make deps)"
	run groff -man -Tutf8 -ww -z "$MAN"
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "$output"; return 1; }
}

@test "man -l renders the man page without warnings" {
	command -v man >/dev/null || skip "man not installed (make deps)"
	command -v groff >/dev/null || skip "groff not installed (make deps)"
	# man prints its formatter's warnings on stderr
	local err=$BATS_TEST_TMPDIR/err
	MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$MAN" >"$BATS_TEST_TMPDIR/out" 2>"$err"
	[ ! -s "$err" ] || { cat "$err"; return 1; }
	grep -q 'vmclock-cts check' "$BATS_TEST_TMPDIR/out"
}

@test "make install puts the man page in share/man/man1" {
	local d=$BATS_TEST_TMPDIR/dest build=${VMCLOCK_CTS_BUILD:-build}
	[ -e "$ROOT/$build/vmclock-suite" ] || [ -e "$build/vmclock-suite" ] || skip "$build not built yet (make BUILD=$build all)"
	run make -C "$ROOT" -o all install PREFIX=/usr DESTDIR="$d" BUILD="$build"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	cmp "$MAN" "$d/usr/share/man/man1/vmclock-cts.1"
}
