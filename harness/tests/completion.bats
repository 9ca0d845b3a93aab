#!/usr/bin/env bats
# completion.bats - harness/completion/vmclock-cts.bash: subcommands,
# options, file names and clause ids, as bash would complete them (the
# script sourced, COMP_WORDS/COMP_CWORD set as bash sets them at <TAB>).
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
}

setup() {
	# shellcheck disable=SC1091 # followed only with -x
	source "$ROOT/harness/completion/vmclock-cts.bash"
	# the front door of this tree as "vmclock-cts", as if installed on PATH
	PATH=$ROOT/harness:$PATH
	export VMCLOCK_CTS_BUILD=${VMCLOCK_CTS_BUILD:-build}
	cd "$BATS_TEST_TMPDIR" || return 1
}

# complete WORD... : the line typed so far, the cursor at the end of the
# last word (give "" as the last word for a <TAB> after a space). Sets
# REPLY to the sorted candidates, one per line.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_vmclock_cts
	REPLY=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}

@test "the script registers itself for vmclock-cts" {
	run complete -p vmclock-cts
	[ "$status" -eq 0 ]
	[[ $output == *"-F _vmclock_cts"* ]]
}

@test "vmclock-cts ch<TAB> -> check" {
	complete_line vmclock-cts ch
	[ "$REPLY" = check ]
}

@test "vmclock-cts <TAB> -> every subcommand" {
	complete_line vmclock-cts ""
	[ "$REPLY" = "$(printf '%s\n' --help --version build-reader check list-clauses replay | sort)" ]
}

@test "vmclock-cts check x.so --on<TAB> -> --only" {
	complete_line vmclock-cts check x.so --on
	[ "$REPLY" = --only ]
}

@test "every option of check is offered, and each is one --help names" {
	complete_line vmclock-cts check x.so --
	local o
	for o in $REPLY; do
		vmclock-cts --help | grep -q -- "$o" || { echo "$o not in --help"; return 1; }
	done
	for o in --json --junit --tap --seed --only --case --timeout-ms --budget-s --stress-ms --verbose --quiet; do
		grep -qx -- "$o" <<<"$REPLY" || { echo "$o not offered: $REPLY"; return 1; }
	done
}

@test "--only R-SEQ-T<TAB> -> R-SEQ-TORN (from vmclock-cts list-clauses)" {
	local build=$VMCLOCK_CTS_BUILD
	[ -x "$ROOT/$build/vmclock-suite" ] || [ -x "$build/vmclock-suite" ] || skip "$build not built (make BUILD=$build)"
	complete_line vmclock-cts check x.so --only R-SEQ-T
	[ "$REPLY" = R-SEQ-TORN ] || { echo "got: $REPLY"; return 1; }
	# and in the --only=ID form
	complete_line vmclock-cts check x.so --only = R-SEQ-T
	[ "$REPLY" = R-SEQ-TORN ] || { echo "got: $REPLY"; return 1; }
	complete_line vmclock-cts check x.so --only R-HDR-
	[ "$(wc -l <<<"$REPLY")" -eq 5 ] || { echo "got: $REPLY"; return 1; }
}

@test "READER completes to shared objects and directories, --json to any file" {
	mkdir sub
	touch a.so b.txt libx.so.1
	complete_line vmclock-cts check ""
	[ "$REPLY" = "$(printf '%s\n' a.so libx.so.1 sub | sort)" ] || { echo "got: $REPLY"; return 1; }
	complete_line vmclock-cts check a.so --json ""
	[ "$REPLY" = "$(printf '%s\n' a.so b.txt libx.so.1 sub | sort)" ] || { echo "got: $REPLY"; return 1; }
	complete_line vmclock-cts check a.so --junit b
	[ "$REPLY" = b.txt ]
}

@test "no candidates for a number, list-clauses offers its own options" {
	complete_line vmclock-cts check a.so --seed ""
	[ -z "$REPLY" ]
	complete_line vmclock-cts list-clauses --
	[ "$REPLY" = "$(printf '%s\n' --help --json --markdown | sort)" ]
}

@test "make install puts the completion in share/bash-completion/completions" {
	local d=$BATS_TEST_TMPDIR/dest build=$VMCLOCK_CTS_BUILD
	[ -e "$ROOT/$build/vmclock-suite" ] || [ -e "$build/vmclock-suite" ] || skip "$build not built yet (make BUILD=$build all)"
	run make -C "$ROOT" -o all install PREFIX=/usr DESTDIR="$d" BUILD="$build"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	cmp "$ROOT/harness/completion/vmclock-cts.bash" "$d/usr/share/bash-completion/completions/vmclock-cts"
}
