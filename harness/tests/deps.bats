#!/usr/bin/env bats
# deps.bats - harness/install-deps (make deps) and its --build set, which
# make install runs first when DESTDIR is empty. dpkg-query, apt-get and id
# are stand-ins ahead in PATH: nothing is installed, every call is recorded.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export DEPS=$ROOT/harness/install-deps
}

# fake MISSING UID: dpkg-query that reports every package installed but
# those in MISSING (a space-separated list, "*" for all), apt-get that
# records its arguments, id -u that says UID.
fake() {
	local bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	export CALLS=$BATS_TEST_TMPDIR/calls
	: >"$CALLS"
	cat >"$bin/dpkg-query" <<EOF
#!/bin/sh
# -W -f=FORMAT PKG...: "PKG ii " for the installed ones
shift 2
for p in "\$@"; do
	case " $1 " in
	*" \$p "* | " * ") ;;
	*) printf '%s ii \n' "\$p" ;;
	esac
done
EOF
	cat >"$bin/apt-get" <<'EOF'
#!/bin/sh
echo "apt-get $*" >>"$CALLS"
EOF
	printf '#!/bin/sh\necho %s\n' "$2" >"$bin/id"
	chmod +x "$bin"/*
	PATH=$bin:$PATH
}

@test "install-deps: nothing missing -> all present, no apt-get, both sets" {
	fake "" 0
	run "$DEPS"
	[ "$status" -eq 0 ]
	[ "$output" = "deps: all present" ]
	run "$DEPS" --build
	[ "$status" -eq 0 ]
	[ "$output" = "deps: all present" ]
	[ ! -s "$CALLS" ]
}

@test "install-deps --build asks for the build's packages only, the full set for everything" {
	fake "*" 1000
	run "$DEPS" --build
	[ "$status" -eq 1 ]
	local line
	line=$(printf '%s\n' "$output" | grep 'sudo apt-get')
	for p in gcc libc6-dev make libcmocka-dev libgmp-dev libseccomp-dev pkg-config man-db; do
		[[ " $line " == *" $p "* ]] || { echo "$p not asked for: $line"; return 1; }
	done
	for p in clang afl++ bats shellcheck libxml2-utils; do
		[[ " $line " != *" $p "* ]] || { echo "$p asked for by --build: $line"; return 1; }
	done
	run "$DEPS"
	[ "$status" -eq 1 ]
	line=$(printf '%s\n' "$output" | grep 'sudo apt-get')
	for p in gcc clang afl++ bats shellcheck libxml2-utils bsdutils pkg-config; do
		[[ " $line " == *" $p "* ]] || { echo "$p not asked for: $line"; return 1; }
	done
	[ ! -s "$CALLS" ]
}

@test "install-deps --build as root installs what is missing with apt-get" {
	fake "gcc pkg-config" 0
	run "$DEPS" --build
	# the stand-in apt-get installs nothing: the check after it says so
	[ "$status" -eq 1 ]
	[[ $output == *"deps: missing: gcc pkg-config"* ]] || { echo "$output"; return 1; }
	[[ $output == *"still missing after apt-get install: gcc pkg-config"* ]] || { echo "$output"; return 1; }
	grep -qx 'apt-get update' "$CALLS"
	grep -qx 'apt-get install -y --no-install-recommends gcc pkg-config' "$CALLS"
}

@test "install-deps: not Debian-like -> the list and exit 1; --build goes on (exit 0)" {
	# a PATH without dpkg-query: only the few tools the script uses
	local bin=$BATS_TEST_TMPDIR/nodpkg t
	mkdir -p "$bin"
	for t in sh awk id printf; do
		if [ -x "/usr/bin/$t" ]; then ln -sf "/usr/bin/$t" "$bin/$t"; fi
		if [ -x "/bin/$t" ]; then ln -sf "/bin/$t" "$bin/$t"; fi
	done
	PATH=$bin run /bin/sh "$DEPS"
	[ "$status" -eq 1 ]
	[[ $output == *"not a Debian-like system"* ]] || { echo "$output"; return 1; }
	PATH=$bin run /bin/sh "$DEPS" --build
	[ "$status" -eq 0 ]
	[[ $output == *"the build needs a C11 compiler"* ]] || { echo "$output"; return 1; }
}

@test "install-deps: an unknown option is a usage error" {
	run "$DEPS" --nope
	[ "$status" -eq 2 ]
	[[ $output == *"unknown option '--nope'"* ]]
}

@test "make install runs install-deps --build first, but not under DESTDIR" {
	command -v make >/dev/null || skip "make not installed"
	# -n: the commands make would run, none run (the recursive make of the
	# build is run, itself with -n)
	run make -n -C "$ROOT" install PREFIX=/opt/x
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ $output == *"harness/install-deps --build"* ]] || { echo "$output"; return 1; }
	# the packages first, then the build, then the files
	local deps build inst
	deps=$(printf '%s\n' "$output" | grep -n 'install-deps --build' | head -n 1 | cut -d: -f1)
	build=$(printf '%s\n' "$output" | grep -n 'make.* all' | head -n 1 | cut -d: -f1)
	inst=$(printf '%s\n' "$output" | grep -n 'install -m 755 harness/vmclock-cts' | head -n 1 | cut -d: -f1)
	[ -n "$deps" ] && [ -n "$build" ] && [ -n "$inst" ] || { echo "$output"; return 1; }
	[ "$deps" -lt "$build" ] && [ "$build" -lt "$inst" ] || { echo "$output"; return 1; }
	run make -n -C "$ROOT" install PREFIX=/usr DESTDIR=/tmp/pkg
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ $output != *"install-deps"* ]] || { echo "$output"; return 1; }
}
