#!/usr/bin/env bats
# junit.bats - the --junit file is one XML document in the structure CI
# systems read (harness/tests/junit.xsd, checked with xmllint), and says
# what the run said: a MUST FAIL is a <failure> with the evidence and the
# replay line, NOT_SUPPORTED a <skipped>, the counts match.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export CTS=$ROOT/harness/vmclock-cts XSD=$BATS_TEST_DIRNAME/junit.xsd
	export VMCLOCK_CTS_BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $VMCLOCK_CTS_BUILD in
	/*) export RD=$VMCLOCK_CTS_BUILD/readers ;;
	*) export RD=$ROOT/$VMCLOCK_CTS_BUILD/readers ;;
	esac
}

setup() {
	[ -f "$RD/bad_mul64.so" ] || skip "$RD not built (make BUILD=$VMCLOCK_CTS_BUILD)"
	command -v xmllint >/dev/null || skip "xmllint not installed (make deps: libxml2-utils)"
}

valid() { # FILE
	run xmllint --noout --schema "$XSD" "$1"
	[ "$status" -eq 0 ] || { echo "$output"; cat "$1"; return 1; }
}
xpath() { # FILE EXPR
	xmllint --xpath "$2" "$1"
}

@test "the schema itself rejects what CI systems cannot read" {
	local f=$BATS_TEST_TMPDIR/bad.xml
	# two roots: what cmocka wrote when it wrote our JUnit file
	printf '<testsuites><testsuite name="a" tests="0"/></testsuites>\n<testsuites/>\n' >"$f"
	run xmllint --noout --schema "$XSD" "$f"
	[ "$status" -ne 0 ]
	# a testcase without classname
	printf '<testsuites><testsuite name="a" tests="1"><testcase name="x"/></testsuite></testsuites>\n' >"$f"
	run xmllint --noout --schema "$XSD" "$f"
	[ "$status" -ne 0 ]
}

@test "a conformant run's --junit validates and has no failure" {
	local x=$BATS_TEST_TMPDIR/ok.xml
	run "$CTS" check "$RD/reference.so" --only R-HDR-MAGIC --only R-SEQ-ODD --only R-ERR-TIGHT --junit "$x"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	valid "$x"
	[ "$(xpath "$x" 'name(/*)')" = testsuites ]
	[ "$(xpath "$x" 'count(//testcase)')" = 3 ]
	[ "$(xpath "$x" 'count(//failure)')" = 0 ]
	[ "$(xpath "$x" 'string(/testsuites/@failures)')" = 0 ]
	[ "$(xpath "$x" 'string(//property[@name="conformant"]/@value)')" = true ]
}

@test "a failing run's --junit has the failure, its evidence and replay line, and validates" {
	local x=$BATS_TEST_TMPDIR/fail.xml
	run "$CTS" check "$RD/bad_mul64.so" --only R-HDR-MAGIC --only R-TIME-EXACT --seed 7 --junit "$x"
	[ "$status" -eq 1 ] || { echo "$output"; return 1; }
	valid "$x"
	[ "$(xpath "$x" 'string(/testsuites/@failures)')" = 1 ]
	[ "$(xpath "$x" 'string(/testsuites/testsuite/@failures)')" = 1 ]
	[ "$(xpath "$x" 'string(//failure/../@name)')" = R-TIME-EXACT ]
	local text
	text=$(xpath "$x" 'string(//failure)')
	[[ $text == *"replay: vmclock-cts check $RD/bad_mul64.so --only R-TIME-EXACT --seed 0x7 --case "* ]] || { echo "$text"; return 1; }
	[[ $(xpath "$x" 'string(//failure/@message)') == "case "*" of R-TIME-EXACT"* ]]
	[ "$(xpath "$x" 'string(//property[@name="conformant"]/@value)')" = false ]
}

@test "NOT_SUPPORTED is <skipped>, WARN passes with its verdict in system-out" {
	local x=$BATS_TEST_TMPDIR/skip.xml
	[ -f "$RD/adapter_example.so" ] || skip "adapter_example.so not built"
	run "$CTS" check "$RD/adapter_example.so" --only R-ERR-FLAGS --only R-STAT-UNRELIABLE --junit "$x"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	valid "$x"
	[ "$(xpath "$x" 'string(//skipped/../@name)')" = R-ERR-FLAGS ]
	[ "$(xpath "$x" 'string(/testsuites/@skipped)')" = 1 ]
	[ "$(xpath "$x" 'count(//failure)')" = 0 ]
	[[ $(xpath "$x" 'string(//testcase[@name="R-STAT-UNRELIABLE"]/system-out)') == "MUST WARN: "* ]]
}

# A reader's file name is the user's: any byte but / and NUL. The XML
# specials in it must be escaped wherever it lands (the testsuite's name,
# the reader property, a failure's replay line), and the replay line must
# still be one shell word for it, as pasted.
weird_name() { # DIR
	printf '%s/a&b<c>d"e'"'"'f g.so' "$1"
}

@test "a reader named with & < > \" ' : the --junit file escapes it, validates, and names it exactly" {
	[ -f "$RD/adapter_example.so" ] || skip "adapter_example.so not built"
	local d=$BATS_TEST_TMPDIR/w x r
	mkdir -p "$d"
	chmod 755 "$BATS_TEST_TMPDIR" "$d"
	x=$d/report.xml
	r=$(weird_name "$d")
	# no vmclock_iut_info: the testsuite is named after the file
	cp "$RD/adapter_example.so" "$r"
	run "$CTS" check "$r" --only R-HDR-MAGIC --only R-STAT-UNRELIABLE --junit "$x"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	valid "$x"
	# the parser gives back the very name: escaped, not mangled
	[ "$(xpath "$x" 'string(/testsuites/testsuite/@name)')" = "vmclock-cts $r" ]
	[ "$(xpath "$x" 'string(//property[@name="reader"]/@value)')" = "$r" ]
	# and the raw file has each special as its entity, never bare in a value
	grep -qF 'a&amp;b&lt;c&gt;d&quot;e&apos;f g.so' "$x" || { cat "$x"; return 1; }
	! grep -q 'a&b' "$x" || { cat "$x"; return 1; }
}

@test "a failing reader named with & < > \" ' : its replay line validates in XML and runs as pasted" {
	local d=$BATS_TEST_TMPDIR/w x r line
	mkdir -p "$d"
	chmod 755 "$BATS_TEST_TMPDIR" "$d"
	x=$d/report.xml
	r=$(weird_name "$d")
	cp "$RD/bad_mul64.so" "$r"
	run "$CTS" check "$r" --only R-TIME-EXACT --seed 7 --junit "$x"
	[ "$status" -eq 1 ] || { echo "$output"; return 1; }
	local text=$output   # valid runs xmllint with run
	valid "$x"
	line=$(xpath "$x" 'string(//failure)' | sed -n 's/^replay: //p')
	[ -n "$line" ] || { cat "$x"; return 1; }
	# the text report prints the same line
	[[ $text == *"replay: $line"* ]] || { echo "$text"; echo "want: replay: $line"; return 1; }
	# pasted into a shell, it replays the failing case of this very file
	[[ $line == "vmclock-cts check "* ]] || { echo "$line"; return 1; }
	run eval "\"\$CTS\" ${line#vmclock-cts }"
	[ "$status" -eq 1 ] || { echo "$line"; echo "$output"; return 1; }
	[[ $output == *"replay of case 0"* ]] || { echo "$output"; return 1; }
	[[ $output == *"reader: $r"* ]] || { echo "$output"; return 1; }
}
