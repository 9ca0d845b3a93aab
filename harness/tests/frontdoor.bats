#!/usr/bin/env bats
# frontdoor.bats - what a run does with its command line and its report
# files, in the runner (vmclock-suite) and the front door (vmclock-cts):
# options given twice, report files checked before the run and written
# whole or not at all, --case out of range, and signals from outside.
# Tests of the real runner use $VMCLOCK_CTS_BUILD (default build); the
# others a fake runner.
#
# SPDX-License-Identifier: MIT

bats_require_minimum_version 1.5.0

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export CTS=$ROOT/harness/vmclock-cts
	export BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in
	/*) export BUILD_DIR=$BUILD ;;
	*) export BUILD_DIR=$ROOT/$BUILD ;;
	esac
	export SUITE=$BUILD_DIR/vmclock-suite
	export REF=$BUILD_DIR/readers/reference.so
	export T=$BATS_FILE_TMPDIR

	# Fake runner: knows two clauses, prints its arguments; with FAKE_SIGNAL
	# it dies by that signal, with FAKE_WAIT=FILE it waits (having made FILE)
	# until SIGTERM, which it reports on stderr before exiting 143.
	cat >"$T/fake-suite" <<-'EOF'
	#!/bin/sh
	if [ "$1" = --list-clauses ]; then
		printf '%s\n' "R-HDR-MAGIC MUST ..." "R-SEQ-ODD MUST ..."
		exit 0
	fi
	echo "FAKE-ARGS: $*"
	[ -z "${FAKE_SIGNAL:-}" ] || kill -s "$FAKE_SIGNAL" $$
	if [ -n "${FAKE_WAIT:-}" ]; then
		trap 'kill "$pid"; echo "fake runner: got SIGTERM" >&2; exit 143' TERM
		sleep 30 &
		pid=$!
		: >"$FAKE_WAIT"
		wait "$pid"
	fi
	exit 0
	EOF
	chmod +x "$T/fake-suite"
	# The front door only looks at the ELF header of the reader.
	{
		printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000'
		head -c 64 /dev/zero
	} >"$T/fake.so"
}

setup() {
	export VMCLOCK_CTS_SUITE=$T/fake-suite
	unset VMCLOCK_CTS_BUILD FAKE_SIGNAL FAKE_WAIT
	D=$BATS_TEST_TMPDIR/out   # where report files go: nothing else in it
	mkdir -p "$D"
	cd "$BATS_TEST_TMPDIR" || return 1
	BG=
}

# A test that failed before its background run ended: end it (the runner's
# own handler, or the front door passing it on, ends the rest).
teardown() {
	if [ -n "$BG" ] && kill -s TERM "$BG" 2>/dev/null; then
		wait "$BG" || true
	fi
}

# The names in directory DIR, sorted, each followed by a space.
contents() { # DIR
	find "$1" -mindepth 1 -maxdepth 1 -printf '%P\n' | sort | tr '\n' ' '
}

need_real() {
	unset VMCLOCK_CTS_SUITE
	export VMCLOCK_CTS_BUILD=$BUILD
	if [ ! -x "$SUITE" ] || [ ! -f "$REF" ]; then
		skip "runner or reference reader not built (make BUILD=$BUILD all)"
	fi
}

# A refusal before the run: exit 2, one line on stderr starting with
# "vmclock-cts: error: " and containing PATTERN, nothing on stdout.
# Needs `run --separate-stderr`.
# shellcheck disable=SC2154 # stderr and stderr_lines are set by bats's run
assert_refused() { # PATTERN
	[ "$status" -eq 2 ] || { echo "status $status, want 2: $output $stderr"; return 1; }
	[ -z "$output" ] || { echo "want nothing on stdout: $output"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "want one line on stderr: $stderr"; return 1; }
	[[ ${stderr_lines[0]} == "vmclock-cts: error: "*"$1"* ]] || { echo "want '$1' in: $stderr"; return 1; }
}

# Runs CMD... in the background, as from a terminal (SIGINT not ignored),
# stdout and stderr into $BATS_TEST_TMPDIR/{stdout,stderr}, without bats's
# fd 3 (bats waits for every holder of it); sets BG.
start() {
	(
		trap - INT
		exec "$@" >"$BATS_TEST_TMPDIR/stdout" 2>"$BATS_TEST_TMPDIR/stderr" 3>&-
	) &
	BG=$!
}

# Until the runner made the temporary of report FILE (FILE.XXXXXX): it is
# past its checks and its signal handler is set.
wait_tmp() { # FILE
	local i
	for ((i = 0; i < 100; i++)); do
		compgen -G "$1.??????" >/dev/null && return 0
		sleep 0.1
	done
	echo "no temporary of $1 appeared"
	return 1
}

# Ends the background command with SIGNAL sent to TARGET (default: it);
# sets status.
interrupt() { # SIGNAL [TARGET]
	sleep 0.5
	kill -s "$1" -- "${2:-$BG}"
	status=0
	wait "$BG" || status=$?
	BG=
}

# ---- options given twice ---------------------------------------------------------

@test "runner: an option given twice is refused, --only may repeat" {
	need_real
	local twice
	for twice in "--seed 1 --seed 2" "--json a --json b" "--junit a --junit b" "--tap --tap" \
		"--verbose --verbose" "--quiet --quiet" "--case 1 --case 1" "--timeout-ms 100 --timeout-ms 200" \
		"--stress-ms 100 --stress-ms 100" "--reader $REF"; do
		# shellcheck disable=SC2086 # the pairs are split on purpose
		run --separate-stderr "$SUITE" --reader "$REF" $twice
		assert_refused "${twice%% *} given twice"
	done
	[ ! -e a ] && [ ! -e b ]
	run --separate-stderr "$SUITE" --list-clauses --json --json
	assert_refused "--json given twice"
	run "$SUITE" --reader "$REF" --only R-HDR-MAGIC --only R-HDR-VERSION --seed 1
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

@test "front door: an option given twice is refused, --only may repeat" {
	cp "$T/fake.so" .
	local twice w
	for twice in "--seed 1 --seed 2" "--seed=1 --seed 2" "--json a --json=b" "--junit a --junit b" \
		"--tap --tap" "--verbose --verbose" "--quiet --quiet" "--case 1 --case 1" "--timeout-ms 10 --timeout-ms 20" \
		"--stress-ms 10 --stress-ms 10"; do
		# shellcheck disable=SC2086 # the pairs are split on purpose
		run --separate-stderr "$CTS" check fake.so $twice
		w=${twice%% *}
		assert_refused "${w%%=*} given twice"
	done
	run --separate-stderr "$CTS" list-clauses --markdown --markdown
	assert_refused "--markdown given twice"
	run "$CTS" check fake.so --only R-HDR-MAGIC --only R-SEQ-ODD
	[ "$status" -eq 0 ]
	[[ $output == *"--only R-HDR-MAGIC --only R-SEQ-ODD"* ]]
}

# ---- report files checked before the run ---------------------------------------------

@test "runner: a report file that cannot be made is refused before the run" {
	need_real
	: >"$D/file"
	run --separate-stderr "$SUITE" --reader "$REF" --json "$D/file/out.json"
	assert_refused "cannot write --json $D/file/out.json: Not a directory"
	run --separate-stderr "$SUITE" --reader "$REF" --junit "$D/no/such/out.xml"
	assert_refused "cannot write --junit $D/no/such/out.xml"
	run --separate-stderr "$SUITE" --reader "$REF" --json /etc/passwd/x
	assert_refused "Not a directory"
	if [ "$(id -u)" -ne 0 ]; then   # root writes anywhere
		mkdir "$D/ro" && chmod 0555 "$D/ro"
		run --separate-stderr "$SUITE" --reader "$REF" --json "$D/ro/out.json"
		assert_refused "cannot write --json $D/ro/out.json"
	fi
	[ "$(contents "$D")" = "file " ]
}

@test "runner: a report file that is a directory or not a regular file is refused" {
	need_real
	mkdir "$D/dir"
	run --separate-stderr "$SUITE" --reader "$REF" --json "$D/dir"
	assert_refused "--json $D/dir is a directory"
	run --separate-stderr "$SUITE" --reader "$REF" --junit "$D/dir/"
	assert_refused "is a directory"
	run --separate-stderr "$SUITE" --reader "$REF" --json /dev/null
	assert_refused "--json /dev/null is not a regular file"
	[ -c /dev/null ]
}

@test "front door: a report file under a regular file or a directory is refused" {
	: >"$D/file"
	mkdir "$D/dir"
	run --separate-stderr "$CTS" check "$T/fake.so" --json "$D/file/out.json"
	assert_refused "$D/file in --json $D/file/out.json is not a directory"
	run --separate-stderr "$CTS" check "$T/fake.so" --junit "$D/dir"
	assert_refused "--junit $D/dir is a directory"
	run --separate-stderr "$CTS" check "$T/fake.so" --json /dev/null
	assert_refused "not a regular file"
}

@test "a report file naming the reader is refused and the reader stays intact" {
	need_real
	cp "$REF" "$D/victim.so"
	ln -s victim.so "$D/link.so"
	ln "$D/victim.so" "$D/hard.so"
	local sum
	sum=$(sha256sum <"$D/victim.so")
	local out
	for out in "$D/victim.so" "$D/../out/victim.so" "$D/link.so" "$D/hard.so"; do
		run --separate-stderr "$SUITE" --reader "$D/victim.so" --json "$out"
		assert_refused "--json $out is the reader itself"
		run --separate-stderr "$SUITE" --reader "$D/victim.so" --junit "$out"
		assert_refused "--junit $out is the reader itself"
		run --separate-stderr "$CTS" check "$D/victim.so" --json "$out"
		assert_refused "--json $out is the reader itself"
	done
	[ "$(sha256sum <"$D/victim.so")" = "$sum" ]
	[ "$(contents "$D")" = "hard.so link.so victim.so " ]
}

@test "the same file for --json and --junit is refused" {
	need_real
	local other
	for other in "$D/x" "$D/../out/x"; do
		run --separate-stderr "$SUITE" --reader "$REF" --json "$D/x" --junit "$other"
		assert_refused "--json $D/x and --junit $other name the same file"
		run --separate-stderr "$CTS" check "$REF" --json "$D/x" --junit "$other"
		assert_refused "--json $D/x and --junit $other name the same file"
	done
	echo old >"$D/x"
	ln "$D/x" "$D/y"
	run --separate-stderr "$SUITE" --reader "$REF" --junit "$D/x" --json "$D/y"
	assert_refused "name the same file"
	[ "$(cat "$D/x")" = old ]
}

# ---- --case out of range -----------------------------------------------------------------

@test "--case out of range: one error line, nothing on stdout" {
	need_real
	local clause
	for clause in R-HDR-MAGIC R-SEQ-TORN; do   # a static and a dynamic clause
		run --separate-stderr "$SUITE" --reader "$REF" --only "$clause" --seed 1 --case 999999
		assert_refused "$clause has "
		[[ $stderr == *"no case 999999" ]]
		run --separate-stderr "$CTS" check "$REF" --only "$clause" --seed 1 --case 999999
		assert_refused "no case 999999"
	done
	run --separate-stderr "$SUITE" --reader "$REF" --only R-HDR-MAGIC --case 18446744073709551615
	assert_refused "--case 18446744073709551615 is out of range"
	# a case in range still prints the whole report
	run "$SUITE" --reader "$REF" --only R-HDR-MAGIC --seed 1 --case 0
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "vmclock-cts "* ]]
	[[ $output == *"case 0 of R-HDR-MAGIC"*"summary: "* ]]
}

# ---- no stale report files -------------------------------------------------------------

@test "front door: a set-up error removes the report files of an earlier run" {
	echo old >"$D/out.json"
	echo old >"$D/out.xml"
	run --separate-stderr "$CTS" check "$D/no-such-reader.so" --json "$D/out.json" --junit "$D/out.xml"
	[ "$status" -eq 2 ]
	[[ $stderr == *"does not exist"* ]]
	[ -z "$(contents "$D")" ]
	# a usage error, found before the report files are checked, leaves them
	echo old >"$D/out.json"
	run "$CTS" check "$T/fake.so" --json "$D/out.json" --frobnicate
	[ "$status" -eq 2 ]
	[ -f "$D/out.json" ]
}

@test "runner: a set-up error removes the report files of an earlier run" {
	need_real
	command -v cc >/dev/null || skip "no cc"
	echo 'int not_a_reader(void) { return 0; }' >noread.c
	cc -shared -fPIC -o noread.so noread.c
	local args
	for args in "--reader noread.so" "--reader no-such.so" "--reader $REF --only R-HDR-MAGIC --case 999999"; do
		echo old >"$D/out.json"
		echo old >"$D/out.xml"
		# shellcheck disable=SC2086 # split on purpose
		run --separate-stderr "$SUITE" $args --json "$D/out.json" --junit "$D/out.xml"
		[ "$status" -eq 2 ] || { echo "$args: status $status: $stderr"; return 1; }
		[ -z "$output" ]
		[ -z "$(contents "$D")" ] || { echo "$args: left $(contents "$D")"; return 1; }
	done
}

# ---- a run leaves exactly its report files ----------------------------------------------

@test "a run writes its report files whole, as ordinary files, and nothing else" {
	need_real
	echo old >"$D/out.json"
	umask 022
	run "$CTS" check "$REF" --only R-HDR-MAGIC --json "$D/out.json" --junit "$D/out.xml"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$(contents "$D")" = "out.json out.xml " ]
	grep -q '"conformant":true' "$D/out.json"
	grep -q '<testsuites ' "$D/out.xml"
	grep -q 'testcase classname="vmclock-cts.R-HDR" name="R-HDR-MAGIC"' "$D/out.xml"
	[ "$(stat -c %a "$D/out.json")" = 644 ]
	[ "$(stat -c %a "$D/out.xml")" = 644 ]
	# through a symlink to a report: written where it points, the link stays
	mkdir "$D/real"
	echo old >"$D/real/target.json"
	ln -s real/target.json "$D/link.json"
	run "$SUITE" --reader "$REF" --only R-HDR-MAGIC --json "$D/link.json"
	[ "$status" -eq 0 ]
	[ -L "$D/link.json" ]
	grep -q '"conformant":true' "$D/real/target.json"
	[ "$(contents "$D/real")" = "target.json " ]
}

# ---- signals from outside ----------------------------------------------------------------

@test "runner: SIGTERM, SIGINT, SIGHUP end the run with 128+N, one line, no report files" {
	need_real
	local sig n
	for sig in TERM:15 INT:2 HUP:1; do
		n=${sig#*:}
		sig=${sig%:*}
		echo old >"$D/out.json"
		start "$SUITE" --reader "$REF" --json "$D/out.json" --junit "$D/out.xml" --stress-ms 60000
		wait_tmp "$D/out.json"
		interrupt "$sig"
		[ "$status" -eq $((128 + n)) ] || { echo "SIG$sig: status $status"; cat "$BATS_TEST_TMPDIR/stderr"; return 1; }
		[ "$(cat "$BATS_TEST_TMPDIR/stderr")" = \
			"vmclock-cts: interrupted by signal $n (SIG$sig) from outside; no verdict" ] ||
			{ cat "$BATS_TEST_TMPDIR/stderr"; return 1; }
		[ -z "$(contents "$D")" ] || { echo "SIG$sig left: $(contents "$D")"; return 1; }
	done
}

@test "front door: SIGTERM sent to it alone reaches the runner: 143, no report files" {
	need_real
	echo old >"$D/out.json"
	start "$CTS" check "$REF" --json "$D/out.json" --stress-ms 60000
	wait_tmp "$D/out.json"
	interrupt TERM
	[ "$status" -eq 143 ] || { cat "$BATS_TEST_TMPDIR/stderr"; return 1; }
	[ "$(cat "$BATS_TEST_TMPDIR/stderr")" = \
		"vmclock-cts: interrupted by signal 15 (SIGTERM) from outside; no verdict" ]
	[ -z "$(contents "$D")" ]
}

@test "front door: Ctrl-C (SIGINT to the process group) gives 130, no report files" {
	need_real
	command -v setsid >/dev/null || skip "no setsid"
	start setsid "$CTS" check "$REF" --json "$D/out.json" --stress-ms 60000
	wait_tmp "$D/out.json"
	interrupt INT -"$BG"   # setsid made it a process group leader, as a shell does
	[ "$status" -eq 130 ] || { cat "$BATS_TEST_TMPDIR/stderr"; return 1; }
	grep -Fxq "vmclock-cts: interrupted by signal 2 (SIGINT) from outside; no verdict" "$BATS_TEST_TMPDIR/stderr"
	if grep -q "bug in vmclock-cts" "$BATS_TEST_TMPDIR/stderr"; then return 1; fi
	[ -z "$(contents "$D")" ]
}

@test "front door: SIGTERM is passed on to the runner and its status passed back" {
	export FAKE_WAIT=$BATS_TEST_TMPDIR/fake-started
	start "$CTS" check "$T/fake.so"
	local i
	for ((i = 0; i < 100; i++)); do
		[ ! -e "$FAKE_WAIT" ] || break
		sleep 0.1
	done
	interrupt TERM
	[ "$status" -eq 143 ]
	[ "$(cat "$BATS_TEST_TMPDIR/stderr")" = "fake runner: got SIGTERM" ]
}

@test "front door: a runner ended by SIGHUP, SIGINT or SIGTERM is not blamed on the suite" {
	local sig
	for sig in HUP:129 INT:130 TERM:143; do
		FAKE_SIGNAL=${sig%:*} run --separate-stderr "$CTS" check "$T/fake.so"
		[ "$status" -eq "${sig#*:}" ] || { echo "$sig: status $status: $stderr"; return 1; }
		[ -z "$stderr" ] || { echo "$sig: $stderr"; return 1; }
	done
	FAKE_SIGNAL=SEGV run --separate-stderr "$CTS" check "$T/fake.so"
	[ "$status" -eq 2 ]
	[[ $stderr == *"killed by SIGSEGV"*"bug in vmclock-cts"* ]]
}

# patch_bytes FILE OFFSET BYTES: overwrite bytes (octal escapes) in place.
patch_bytes() {
	local f=$1 off=$2
	printf '%b' "$3" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

@test "runner: a reader for another machine, of another class or not ELF is named as such (exit 2)" {
	[ "$(uname -m)" = x86_64 ] || skip "the message names this machine, x86_64"
	cp "$REF" "$BATS_TEST_TMPDIR/arm.so"
	patch_bytes "$BATS_TEST_TMPDIR/arm.so" 18 '\267\000'    # e_machine = 183, EM_AARCH64
	run "$SUITE" --reader "$BATS_TEST_TMPDIR/arm.so"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is built for aarch64 (ELF machine 183); this suite runs x86_64 readers"* ]]
	cp "$REF" "$BATS_TEST_TMPDIR/c32.so"
	patch_bytes "$BATS_TEST_TMPDIR/c32.so" 4 '\001'          # EI_CLASS = ELFCLASS32
	run "$SUITE" --reader "$BATS_TEST_TMPDIR/c32.so"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is a 32-bit ELF object"* ]]
	echo 'int x;' >"$BATS_TEST_TMPDIR/text.so"
	run "$SUITE" --reader "$BATS_TEST_TMPDIR/text.so"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not an ELF shared object"* ]]
}
