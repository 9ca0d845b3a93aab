#!/usr/bin/env bats
# harness.bats - the vmclock-cts front door: every subcommand and error path
# against a fake runner (VMCLOCK_CTS_SUITE), then integration tests against
# the real runner and bundled readers in $VMCLOCK_CTS_BUILD (default build).
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export CTS=$ROOT/harness/vmclock-cts
	export BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in
	/*) export BUILD_DIR=$BUILD ;;
	*) export BUILD_DIR=$ROOT/$BUILD ;;
	esac
	export T=$BATS_FILE_TMPDIR

	# Fake runner: prints its arguments, exits with $FAKE_RC (or dies by
	# signal $FAKE_SIGNAL); --list-clauses prints a two-clause table.
	cat >"$T/fake-suite" <<-'EOF'
	#!/bin/sh
	if [ "$1" = --list-clauses ]; then
		if [ "${2:-}" = --json ]; then
			echo '[{"id":"R-HDR-MAGIC"},{"id":"R-SEQ-ODD"}]'
		else
			echo "R-HDR-MAGIC      MUST   rejects a page whose magic is not 0x4b4c4356"
			echo "R-SEQ-ODD        MUST   never returns fields read while seq_count was odd"
		fi
		exit 0
	fi
	echo "FAKE-ARGS: $*"
	[ -z "${FAKE_SIGNAL:-}" ] || kill -s "$FAKE_SIGNAL" $$
	exit "${FAKE_RC:-0}"
	EOF
	chmod +x "$T/fake-suite"

	# Crafted ELF headers (the front door only looks at e_ident and e_type).
	elf() { # FILE CLASS DATA TYPE-BYTES(octal escapes)
		{
			printf '\177ELF%b%b\001\000\000\000\000\000\000\000\000\000' "$2" "$3"
			printf '%b' "$4"
			head -c 64 /dev/zero
		} >"$1"
	}
	elf "$T/dyn-le.so" '\002' '\001' '\003\000'
	elf "$T/dyn-be.so" '\002' '\002' '\000\003'
	elf "$T/exec-le.so" '\002' '\001' '\002\000'
	elf "$T/exec-be.so" '\002' '\002' '\000\002'
	elf "$T/rel.o" '\002' '\001' '\001\000'
	printf '\177ELF\002\001' >"$T/short.so"
	echo 'not an ELF file' >"$T/text.so"
	: >"$T/empty.so"
	mkdir -p "$T/dir.so" "$T/json-dir"
}

setup() {
	export VMCLOCK_CTS_SUITE=$T/fake-suite
	unset VMCLOCK_CTS_BUILD FAKE_RC FAKE_SIGNAL
	cd "$T" || return 1
}

# The one-line error format of every set-up/usage error.
assert_error() { # STATUS-EXPECTED PATTERN
	[ "$status" -eq 2 ] || { echo "status $status, want 2: $output"; return 1; }
	[ "${#lines[@]}" -eq 1 ] || { echo "want one line: $output"; return 1; }
	[[ ${lines[0]} == "vmclock-cts: error: "*" ("*")" ]] || { echo "bad format: $output"; return 1; }
	[[ ${lines[0]} == *"$1"* ]] || { echo "want '$1' in: $output"; return 1; }
}

# ---- help, version, subcommand errors -----------------------------------------------

@test "--help, -h and help print usage and exit 0" {
	for h in --help -h help; do
		run "$CTS" "$h"
		[ "$status" -eq 0 ]
		[[ $output == *"usage: vmclock-cts check READER.so"* ]]
		[[ $output == *"list-clauses"* ]]
	done
}

@test "check --help prints usage" {
	run "$CTS" check --help
	[ "$status" -eq 0 ]
	[[ $output == *"usage:"* ]]
}

@test "--version prints VERSION and the contract version" {
	run "$CTS" --version
	[ "$status" -eq 0 ]
	[ "$output" = "vmclock-cts $(cat "$ROOT/VERSION") (reader contract 1)" ]
}

@test "no subcommand is an error" {
	run "$CTS"
	assert_error "no subcommand"
}

@test "unknown subcommand is an error" {
	run "$CTS" frobnicate
	assert_error "unknown subcommand 'frobnicate'"
}

@test "unknown top-level option is an error" {
	run "$CTS" --frobnicate
	assert_error "unknown option '--frobnicate'"
}

@test "unknown check option is an error" {
	run "$CTS" check "$T/dyn-le.so" --frobnicate
	assert_error "unknown option '--frobnicate'"
}

@test "unknown list-clauses option is an error" {
	run "$CTS" list-clauses --tap
	assert_error "unknown option '--tap'"
}

# ---- check: passing arguments to the runner -------------------------------------------

@test "check passes READER as an absolute path and exits 0" {
	run "$CTS" check dyn-le.so
	[ "$status" -eq 0 ]
	[ "$output" = "FAKE-ARGS: --reader $T/dyn-le.so" ]
}

@test "check passes every option through" {
	run "$CTS" check --seed 0x1F dyn-le.so --tap --verbose --quiet --case 7 --timeout-ms 250 \
		--json "$T/out.json" --only R-HDR-MAGIC --only R-SEQ-ODD
	[ "$status" -eq 0 ]
	[[ $output == "FAKE-ARGS: --reader $T/dyn-le.so "* ]]
	for w in "--seed 0x1F" --tap --verbose --quiet "--case 7" "--timeout-ms 250" \
		"--json $T/out.json" "--only R-HDR-MAGIC" "--only R-SEQ-ODD"; do
		[[ $output == *" $w"* ]] || { echo "missing $w"; return 1; }
	done
}

@test "check accepts --opt=value forms" {
	run "$CTS" check dyn-le.so --seed=42 --only=R-SEQ-ODD --case=3 --timeout-ms=9 --json=out.json
	[ "$status" -eq 0 ]
	[[ $output == *"--seed 42"*"--case 3"*"--timeout-ms 9"*"--json out.json"*"--only R-SEQ-ODD"* ]]
}

@test "decimal numbers reach the runner without leading zeros (never octal)" {
	run "$CTS" check dyn-le.so --seed 0010 --case 000 --timeout-ms 0250
	[ "$status" -eq 0 ]
	[[ $output == *"--seed 10 --case 0 --timeout-ms 250"* ]]
	run "$CTS" check dyn-le.so --seed 0x0010
	[[ $output == *"--seed 0x0010"* ]]
}

@test "--junit FILE is passed through and checked like --json" {
	run "$CTS" check dyn-le.so --junit "$T/out.xml"
	[ "$status" -eq 0 ]
	[[ $output == *"--junit $T/out.xml"* ]]
	run "$CTS" check dyn-le.so --junit "$T/no/such/dir/out.xml"
	assert_error "does not exist"
	run "$CTS" check dyn-le.so --junit
	assert_error "option --junit needs an argument"
}

@test "replay is an alias of check" {
	run "$CTS" replay "$T/dyn-le.so" --only R-HDR-MAGIC --seed 12 --case 0
	[ "$status" -eq 0 ]
	[ "$output" = "FAKE-ARGS: --reader $T/dyn-le.so --seed 12 --case 0 --only R-HDR-MAGIC" ]
}

@test "a big-endian ELF shared object is accepted" {
	run "$CTS" check dyn-be.so
	[ "$status" -eq 0 ]
}

@test "a shared object built by cc is accepted" {
	command -v cc >/dev/null || skip "no cc"
	echo 'int vmclock_iut_read(void) { return 0; }' >"$T/r.c"
	cc -shared -fPIC -o "$T/real.so" "$T/r.c"
	run "$CTS" check "$T/real.so"
	[ "$status" -eq 0 ]
}

@test "runner exit 1 (not conformant) passes through" {
	FAKE_RC=1 run "$CTS" check dyn-le.so
	[ "$status" -eq 1 ]
	[[ $output == *"FAKE-ARGS:"* ]]
}

@test "runner exit 2 (set-up error) passes through" {
	FAKE_RC=2 run "$CTS" check dyn-le.so
	[ "$status" -eq 2 ]
}

@test "a runner killed by a signal gives exit 2 and a message" {
	FAKE_SIGNAL=SEGV run "$CTS" check dyn-le.so
	[ "$status" -eq 2 ]
	[[ ${lines[-1]} == "vmclock-cts: error: "*"SIGSEGV"*" ("*")" ]]
}

@test "a runner exiting with an unexpected status gives exit 2" {
	FAKE_RC=5 run "$CTS" check dyn-le.so
	[ "$status" -eq 2 ]
	[[ ${lines[-1]} == "vmclock-cts: error: "*"status 5"* ]]
}

# ---- check: option errors ------------------------------------------------------

@test "missing option argument is an error" {
	for o in --json --seed --only --case --timeout-ms; do
		run "$CTS" check dyn-le.so "$o"
		assert_error "option $o needs an argument"
	done
}

@test "--seed must be a decimal or 0x hex number" {
	for s in abc -1 12x 0x 0xG1 1.5 18446744073709551616 0x10000000000000000 ""; do
		run "$CTS" check dyn-le.so --seed "$s"
		assert_error "--seed"
	done
	for s in 0 18446744073709551615 0xffffffffffffffff 0XAbC 007; do
		run "$CTS" check dyn-le.so --seed "$s"
		[ "$status" -eq 0 ] || { echo "seed $s: $output"; return 1; }
	done
}

@test "--case must be a number" {
	for c in x -3 0x10 ""; do
		run "$CTS" check dyn-le.so --case "$c"
		assert_error "--case"
	done
}

@test "--timeout-ms must be a positive number" {
	for c in soon -5 0 1e3 ""; do
		run "$CTS" check dyn-le.so --timeout-ms "$c"
		assert_error "--timeout-ms"
	done
}

@test "--only with an unknown clause is an error" {
	run "$CTS" check dyn-le.so --only R-NO-SUCH-CLAUSE
	assert_error "unknown clause 'R-NO-SUCH-CLAUSE'"
}

@test "--only matches whole clause ids only" {
	run "$CTS" check dyn-le.so --only R-HDR
	assert_error "unknown clause 'R-HDR'"
	run "$CTS" check dyn-le.so --only MUST
	assert_error "unknown clause"
}

@test "--json into a missing directory is an error" {
	run "$CTS" check dyn-le.so --json "$T/no/such/dir/out.json"
	assert_error "does not exist"
}

@test "--json naming a directory is an error" {
	run "$CTS" check dyn-le.so --json "$T/json-dir"
	assert_error "is a directory"
}

@test "two READERs are an error" {
	run "$CTS" check dyn-le.so dyn-be.so
	assert_error "more than one READER"
}

# ---- check: READER errors ------------------------------------------------------------

@test "check without READER is an error" {
	run "$CTS" check
	assert_error "needs a READER.so"
	run "$CTS" check --tap
	assert_error "needs a READER.so"
}

@test "missing READER is an error" {
	run "$CTS" check "$T/nope.so"
	assert_error "does not exist"
}

@test "READER that is a directory is an error" {
	run "$CTS" check "$T/dir.so"
	assert_error "not a regular file"
}

@test "unreadable READER is an error" {
	[ "$(id -u)" -ne 0 ] || skip "running as root: permissions do not stop reading"
	cp "$T/dyn-le.so" "$T/unreadable.so"
	chmod 000 "$T/unreadable.so"
	run "$CTS" check "$T/unreadable.so"
	assert_error "not readable"
}

@test "READER that is not ELF is an error" {
	for f in text.so empty.so; do
		run "$CTS" check "$T/$f"
		assert_error "not an ELF file"
	done
}

@test "truncated ELF READER is an error" {
	run "$CTS" check "$T/short.so"
	assert_error "truncated"
}

@test "ELF READER that is not a shared object is an error" {
	for f in exec-le.so exec-be.so rel.o; do
		run "$CTS" check "$T/$f"
		assert_error "not a shared object"
	done
}

@test "a non-PIE executable built by cc is not a shared object" {
	command -v cc >/dev/null || skip "no cc"
	echo 'int main(void) { return 0; }' >"$T/m.c"
	cc -no-pie -o "$T/nopie" "$T/m.c" || skip "cc -no-pie not supported"
	run "$CTS" check "$T/nopie"
	assert_error "not a shared object"
}

@test "READER errors come before the runner is needed" {
	VMCLOCK_CTS_SUITE=$T/no-such-runner run "$CTS" check "$T/text.so"
	assert_error "not an ELF file"
}

# ---- list-clauses ---------------------------------------------------------------

@test "list-clauses runs the runner with --list-clauses" {
	run "$CTS" list-clauses
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == R-HDR-MAGIC* ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "list-clauses --json passes --json" {
	run "$CTS" list-clauses --json
	[ "$status" -eq 0 ]
	[[ $output == '[{"id":"R-HDR-MAGIC"}'* ]]
}

# ---- locating the runner ------------------------------------------------------------

@test "VMCLOCK_CTS_SUITE that is not executable is an error" {
	VMCLOCK_CTS_SUITE=$T/no-such-runner run "$CTS" check dyn-le.so
	assert_error "VMCLOCK_CTS_SUITE"
}

@test "VMCLOCK_CTS_BUILD without a runner: run make first" {
	unset VMCLOCK_CTS_SUITE
	VMCLOCK_CTS_BUILD=build/no-such-build run "$CTS" check dyn-le.so
	assert_error "run make first"
	VMCLOCK_CTS_BUILD=build/no-such-build run "$CTS" list-clauses
	assert_error "run make first"
}

@test "VMCLOCK_CTS_BUILD absolute directory is used" {
	unset VMCLOCK_CTS_SUITE
	mkdir -p "$T/abs-build"
	cp "$T/fake-suite" "$T/abs-build/vmclock-suite"
	VMCLOCK_CTS_BUILD=$T/abs-build run "$CTS" check dyn-le.so
	[ "$status" -eq 0 ]
	[[ $output == "FAKE-ARGS: --reader"* ]]
}

@test "source tree: build/vmclock-suite is used, missing means run make first" {
	unset VMCLOCK_CTS_SUITE
	local tree=$T/tree
	mkdir -p "$tree/harness"
	cp "$CTS" "$tree/harness/vmclock-cts"
	cp "$ROOT/VERSION" "$tree/VERSION"
	: >"$tree/Makefile"
	run "$tree/harness/vmclock-cts" check dyn-le.so
	assert_error "run make first"
	mkdir -p "$tree/build"
	cp "$T/fake-suite" "$tree/build/vmclock-suite"
	run "$tree/harness/vmclock-cts" check dyn-le.so
	[ "$status" -eq 0 ]
	[[ $output == "FAKE-ARGS: --reader $T/dyn-le.so" ]]
	# relative VMCLOCK_CTS_BUILD is relative to the tree root, not to $PWD
	mkdir -p "$tree/build/other"
	cp "$T/fake-suite" "$tree/build/other/vmclock-suite"
	VMCLOCK_CTS_BUILD=build/other run "$tree/harness/vmclock-cts" check dyn-le.so
	[ "$status" -eq 0 ]
}

@test "installed layout: libexec runner and share VERSION are used" {
	unset VMCLOCK_CTS_SUITE
	local p=$T/prefix
	mkdir -p "$p/bin" "$p/libexec/vmclock-cts" "$p/share/vmclock-cts"
	cp "$CTS" "$p/bin/vmclock-cts"
	echo 9.8.7 >"$p/share/vmclock-cts/VERSION"
	run "$p/bin/vmclock-cts" --version
	[ "$status" -eq 0 ]
	[ "$output" = "vmclock-cts 9.8.7 (reader contract 1)" ]
	run "$p/bin/vmclock-cts" check dyn-le.so
	assert_error "reinstall"
	cp "$T/fake-suite" "$p/libexec/vmclock-cts/vmclock-suite"
	run "$p/bin/vmclock-cts" check dyn-le.so
	[ "$status" -eq 0 ]
	# through a symlink, as in /usr/local/bin -> /opt/...
	ln -sf "$p/bin/vmclock-cts" "$T/link-cts"
	run "$T/link-cts" --version
	[ "$output" = "vmclock-cts 9.8.7 (reader contract 1)" ]
}

# ---- integration: the real runner and bundled readers ------------------------------

need_real() { # [READER-NAME...]
	unset VMCLOCK_CTS_SUITE
	export VMCLOCK_CTS_BUILD=$BUILD
	[ -x "$BUILD_DIR/vmclock-suite" ] ||
		skip "runner $BUILD_DIR/vmclock-suite not built yet (make BUILD=$BUILD all)"
	local r
	for r in "$@"; do
		[ -f "$BUILD_DIR/readers/$r.so" ] ||
			skip "reader $BUILD_DIR/readers/$r.so not built yet (make BUILD=$BUILD all)"
	done
}

@test "integration: list-clauses lists the reader clauses of the spec" {
	need_real
	run "$CTS" list-clauses
	[ "$status" -eq 0 ]
	for c in R-HDR-MAGIC R-SEQ-ODD R-TIME-EXACT R-ROB-NOCRASH; do
		printf '%s\n' "$output" | awk '{ print $1 }' | grep -Fxq "$c" || { echo "missing $c"; return 1; }
	done
}

@test "integration: list-clauses --json prints a JSON list" {
	need_real
	run "$CTS" list-clauses --json
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ $output == "["* ]]
	[[ $output == *'"id":"R-HDR-MAGIC"'* ]]
}

@test "integration: the reference reader is conformant" {
	need_real reference
	run "$CTS" check "$BUILD_DIR/readers/reference.so"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	printf '%s\n' "$output" | grep -Eq '^R-HDR-MAGIC +MUST +PASS'
	if printf '%s\n' "$output" | grep -Eq '^R-[A-Z-]+ +MUST +FAIL'; then return 1; fi
}

@test "integration: a reader without the magic check is not conformant" {
	need_real bad_no_magic
	run "$CTS" check "$BUILD_DIR/readers/bad_no_magic.so"
	[ "$status" -eq 1 ] || { echo "$output"; return 1; }
	printf '%s\n' "$output" | grep -E 'R-HDR-MAGIC' | grep -q FAIL
	printf '%s\n' "$output" | grep -Eq '^ *replay: vmclock-cts check '
}

@test "integration: the replay line reproduces the failure" {
	need_real bad_no_magic
	run "$CTS" check "$BUILD_DIR/readers/bad_no_magic.so" --only R-HDR-MAGIC
	[ "$status" -eq 1 ]
	local line
	line=$(printf '%s\n' "$output" | grep -m1 -E '^ *replay: vmclock-cts check ')
	[ -n "$line" ]
	local -a argv
	line=${line#*replay: vmclock-cts }
	read -r -a argv <<<"$line"
	run "$CTS" replay "${argv[@]:1}"
	[ "$status" -eq 1 ] || { echo "$output"; return 1; }
	printf '%s\n' "$output" | grep -E 'R-HDR-MAGIC' | grep -q FAIL
}

@test "integration: --json writes a conformant verdict" {
	need_real reference
	run "$CTS" check "$BUILD_DIR/readers/reference.so" --json "$T/verdict.json"
	[ "$status" -eq 0 ]
	[ -s "$T/verdict.json" ]
	grep -q '"conformant":true' "$T/verdict.json"
}

@test "integration: --json of a bad reader says not conformant" {
	need_real bad_no_magic
	run "$CTS" check "$BUILD_DIR/readers/bad_no_magic.so" --json "$T/bad.json"
	[ "$status" -eq 1 ]
	grep -q '"conformant":false' "$T/bad.json"
}

@test "integration: --only judges the named clause" {
	need_real reference
	run "$CTS" check "$BUILD_DIR/readers/reference.so" --only R-HDR-MAGIC
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -Eq '^R-HDR-MAGIC +MUST +PASS'
}

@test "integration: --tap prints TAP lines" {
	need_real reference
	run "$CTS" check "$BUILD_DIR/readers/reference.so" --tap
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -Eq '^ok [0-9]+'
	if printf '%s\n' "$output" | grep -Eq '^not ok [0-9]+'; then return 1; fi
}

@test "integration: a shared object without vmclock_iut_read is a set-up error" {
	need_real
	command -v cc >/dev/null || skip "no cc"
	echo 'int not_a_reader(void) { return 0; }' >"$T/noread.c"
	cc -shared -fPIC -o "$T/noread.so" "$T/noread.c"
	run "$CTS" check "$T/noread.so"
	[ "$status" -eq 2 ]
	[[ $output == *"vmclock-cts: error: "* ]]
}

@test "list-clauses --markdown: the README's clause table is the one in the code" {
	[ -x "$BUILD_DIR/vmclock-suite" ] || skip "runner not built"
	unset VMCLOCK_CTS_SUITE
	VMCLOCK_CTS_BUILD=$BUILD run "$CTS" list-clauses --markdown
	[ "$status" -eq 0 ]
	table=$(sed -n '/<!-- clause-table:begin -->/,/<!-- clause-table:end -->/p' "$ROOT/README.md" | sed '1d;$d')
	[ "$table" = "$output" ] || { diff <(echo "$table") <(echo "$output"); return 1; }
}

@test "check --stress-ms: not a number is a usage error" {
	run "$CTS" check "$T/dyn-le.so" --stress-ms abc
	[ "$status" -eq 2 ]
	[[ $output == *"--stress-ms 'abc' is not a positive number"* ]]
}

@test "check --stress-ms is passed to the runner" {
	run "$CTS" check "$T/dyn-le.so" --stress-ms 250
	[ "$status" -eq 0 ]
	[[ $output == *"--stress-ms 250"* ]]
}

@test "check --stress-ms: a correct reader stays conformant, a torn one fails R-SEQ-TORN" {
	[ -x "$BUILD_DIR/vmclock-suite" ] && [ -f "$BUILD_DIR/readers/bad_no_recheck.so" ] || skip "runner or readers not built"
	unset VMCLOCK_CTS_SUITE
	VMCLOCK_CTS_BUILD=$BUILD run "$CTS" check "$BUILD_DIR/readers/reference.so" --only R-HDR-MAGIC --stress-ms 400 --seed 5
	[ "$status" -eq 0 ]
	[[ $output == *"stress (2 cores"*" 0 torn"* ]]
	VMCLOCK_CTS_BUILD=$BUILD run "$CTS" check "$BUILD_DIR/readers/bad_no_recheck.so" --only R-HDR-MAGIC --stress-ms 2000 --seed 5
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"R-SEQ-TORN"*"FAIL"* ]]
}
