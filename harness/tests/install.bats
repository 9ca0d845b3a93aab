#!/usr/bin/env bats
# install.bats - `make install PREFIX=/usr DESTDIR=...` from an existing build
# ($VMCLOCK_CTS_BUILD, default build) gives a usable installation: the
# front door, the runner, the header, the library and its pkg-config file.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in
	/*) BUILD_DIR=$BUILD ;;
	*) BUILD_DIR=$ROOT/$BUILD ;;
	esac
	export BUILD_DIR
	export DEST=$BATS_FILE_TMPDIR/dest
	export INSTALL_LOG=$BATS_FILE_TMPDIR/install.log
	export SKIP_WHY=""
	local f
	for f in vmclock-suite libvmclock-ref.a libvmclock-ref.so readers/reference.so; do
		if [ ! -e "$BUILD_DIR/$f" ]; then
			SKIP_WHY="$BUILD_DIR/$f not built yet (make BUILD=$BUILD all)"
			return 0
		fi
	done
	command -v make >/dev/null || { SKIP_WHY="make not installed (make deps)"; return 0; }
	# -o all: install what is built, never rebuild it here (a rebuild without
	# the build's own flags would mix sanitized and plain objects).
	make -C "$ROOT" -o all install PREFIX=/usr DESTDIR="$DEST" BUILD="$BUILD" >"$INSTALL_LOG" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/install.rc"
}

setup() {
	[ -z "$SKIP_WHY" ] || skip "$SKIP_WHY"
	unset VMCLOCK_CTS_SUITE VMCLOCK_CTS_BUILD
}

installed_ok() {
	local rc
	rc=$(cat "$BATS_FILE_TMPDIR/install.rc")
	[ "$rc" -eq 0 ] || { echo "make install failed ($rc):"; cat "$INSTALL_LOG"; return 1; }
}

# pkg-config on the installed copy only; pcs: with DESTDIR as the sysroot.
pc() {
	PKG_CONFIG_LIBDIR=$DEST/usr/lib/pkgconfig PKG_CONFIG_PATH=$DEST/usr/lib/pkgconfig pkg-config "$@"
}
pcs() {
	PKG_CONFIG_SYSROOT_DIR=$DEST pc "$@"
}

# Flags to link against an instrumented library (installing from build/san).
san_flags() {
	san_flags_of "$DEST/usr/lib/libvmclock-ref.a"
}
san_flags_of() { # LIBRARY.a
	if nm "$1" 2>/dev/null | grep -q '__asan_\|__ubsan_'; then
		echo "-fsanitize=address,undefined"
	fi
}

@test "make install PREFIX=/usr DESTDIR succeeds" {
	installed_ok
}

@test "make install puts every file in place" {
	installed_ok
	[ -x "$DEST/usr/bin/vmclock-cts" ]
	[ -x "$DEST/usr/libexec/vmclock-cts/vmclock-suite" ]
	[ -f "$DEST/usr/include/vmclock-cts/vmclock_iut.h" ]
	[ -f "$DEST/usr/include/vmclock-cts/reader.h" ]
	[ -f "$DEST/usr/lib/libvmclock-ref.a" ]
	[ -f "$DEST/usr/lib/pkgconfig/vmclock-ref.pc" ]
	[ -f "$DEST/usr/share/vmclock-cts/VERSION" ]
}

@test "nothing is installed outside DESTDIR/PREFIX" {
	installed_ok
	run find "$DEST" -mindepth 1 -maxdepth 1
	[ "$output" = "$DEST/usr" ]
}

@test "the installed pkg-config file describes PREFIX=/usr" {
	installed_ok
	command -v pkg-config >/dev/null || skip "pkg-config not installed (make deps)"
	run pc --variable=prefix vmclock-ref
	[ "$status" -eq 0 ]
	[ "$output" = /usr ] || { echo "prefix in the installed .pc is '$output', want /usr (.pc built for another PREFIX?)"; return 1; }
	run pc --modversion vmclock-ref
	[ "$output" = "$(cat "$ROOT/VERSION")" ]
}

@test "pkg-config --cflags --libs with a sysroot points into DESTDIR" {
	installed_ok
	command -v pkg-config >/dev/null || skip "pkg-config not installed (make deps)"
	run pcs --cflags --libs vmclock-ref
	[ "$status" -eq 0 ]
	[[ $output == *"-I$DEST/usr/include/vmclock-cts"* ]]
	[[ $output == *"-L$DEST/usr/lib"* ]]
	[[ $output == *"-lvmclock-ref"* ]]
}

@test "a program using vmclock_ref_read builds and runs against the installed copy" {
	installed_ok
	command -v pkg-config >/dev/null || skip "pkg-config not installed (make deps)"
	command -v cc >/dev/null || skip "no cc"
	local src=$BATS_TEST_TMPDIR/use.c
	cat >"$src" <<-'EOF'
	#include <stdio.h>
	#include <reader.h>
	static uint64_t tsc(void *ctx) { (void)ctx; return 1000; }
	int main(void) {
		static unsigned char page[4096];      /* all zero: bad magic */
		struct vmclock_iut_counter c = { tsc, NULL };
		struct vmclock_iut_reading r;
		int st = vmclock_ref_read(page, sizeof page, &c, &r);
		printf("status %d\n", st);
		return st == VMCLOCK_IUT_INVALID ? 0 : 1;
	}
	EOF
	local flags
	flags=$(pcs --cflags --libs vmclock-ref)
	# shellcheck disable=SC2046,SC2086 # word lists on purpose
	run cc -std=c11 -Wall -Werror $(san_flags) -o "$BATS_TEST_TMPDIR/use" "$src" $flags
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	LD_LIBRARY_PATH=$DEST/usr/lib run "$BATS_TEST_TMPDIR/use"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$output" = "status 2" ]
	# and statically, from libvmclock-ref.a alone
	# shellcheck disable=SC2046,SC2086
	run cc -std=c11 -Wall -Werror $(san_flags) $(pcs --cflags vmclock-ref) \
		-o "$BATS_TEST_TMPDIR/use-static" "$src" "$DEST/usr/lib/libvmclock-ref.a"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run "$BATS_TEST_TMPDIR/use-static"
	[ "$status" -eq 0 ]
}

@test "the installed vmclock-cts --version works" {
	installed_ok
	run "$DEST/usr/bin/vmclock-cts" --version
	[ "$status" -eq 0 ]
	[ "$output" = "vmclock-cts $(cat "$ROOT/VERSION") (reader contract 1)" ]
}

@test "the installed vmclock-cts judges the installed reference reader" {
	installed_ok
	run "$DEST/usr/bin/vmclock-cts" list-clauses
	[ "$status" -eq 0 ]
	[[ $output == *R-HDR-MAGIC* ]]
	run "$DEST/usr/bin/vmclock-cts" check "$DEST/usr/share/vmclock-cts/readers/reference.so"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

# ---- a user's first hour: the README's path in a fresh prefix -----------------
# Install to PREFIX=$p (no DESTDIR), build the README's adapter example with
# the README's own command, judge it with the installed front door, then
# uninstall: nothing of ours may be left. One test, because each step needs
# the one before.

# The README's compile line, taken from README.md itself so that the test
# breaks when the two part ways.
# shellcheck disable=SC2016 # the literal $(...) of the README
readme_compile_line() {
	grep -o 'cc -shared -fPIC -o myreader.so adapter.c \$(pkg-config --cflags --libs vmclock-ref)' "$ROOT/README.md"
}

@test "README path in a fresh prefix: install, build the adapter, check it, uninstall" {
	command -v pkg-config >/dev/null || skip "pkg-config not installed (make deps)"
	command -v cc >/dev/null || skip "no cc"
	local p work line t0 t1
	p=$(mktemp -d)
	# A real prefix (/usr/local, /opt/x) is world-readable; mktemp -d is
	# 0700, and run as root the reader is loaded as uid 65534.
	chmod 755 "$p"
	work=$BATS_TEST_TMPDIR/work
	mkdir -p "$work"
	chmod 755 "$BATS_TEST_TMPDIR" "$work"
	run make -C "$ROOT" -o all install PREFIX="$p" BUILD="$BUILD"
	[ "$status" -eq 0 ] || { echo "$output"; rm -rf "$p"; return 1; }

	line=$(readme_compile_line) || { echo "README.md no longer shows the compile command"; rm -rf "$p"; return 1; }
	cp "$ROOT/examples/readers/adapter_example.c" "$work/adapter.c"
	# the README's command as a user types it, with the fresh prefix's .pc;
	# a sanitized build's library needs the sanitizer runtime in the reader
	(
		cd "$work" || exit 1
		export PKG_CONFIG_PATH=$p/lib/pkgconfig
		eval "$line $(san_flags_of "$p/lib/libvmclock-ref.a")"
	) >"$work/cc.log" 2>&1 || { cat "$work/cc.log"; rm -rf "$p"; return 1; }

	cd "$work" || return 1
	# Installed from build/san, the runner (which holds the reference code,
	# linked in statically) and libvmclock-ref.so are both instrumented, and
	# ASan reports their shared globals as an ODR violation when the reader
	# pulls the library in. Only the test build has two instrumented copies.
	if [ -n "$(san_flags_of "$p/lib/libvmclock-ref.a")" ]; then
		export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0
	fi
	run "$p/bin/vmclock-cts" check ./myreader.so --only R-HDR-MAGIC
	[ "$status" -eq 0 ] || { echo "$output"; rm -rf "$p"; return 1; }
	[[ $output == *"R-HDR-MAGIC"*PASS* ]] || { echo "$output"; rm -rf "$p"; return 1; }

	t0=$(date +%s)
	run "$p/bin/vmclock-cts" check ./myreader.so --budget-s 120
	t1=$(date +%s)
	echo "# full check of the adapter in a fresh prefix: $((t1 - t0)) s" >&3
	[ "$status" -eq 0 ] || { echo "$output"; rm -rf "$p"; return 1; }
	# the README promises exactly this WARN, and exit 0 with it
	[[ $output == *"R-STAT-UNRELIABLE"*WARN* ]] || { echo "$output"; rm -rf "$p"; return 1; }
	# a PCT bound is printed only when it says something (below 1/2)
	local weak
	weak=$(printf "%s\n" "$output" | awk -F"missed with p <= " "NF == 2 && \$2 + 0 >= 0.5")
	[ -z "$weak" ] || { echo "uninformative bound printed: $weak"; rm -rf "$p"; return 1; }
	[[ $output == *"missed with p <= 0."* ]] || { echo "no PCT bound line at all (format changed?)"; rm -rf "$p"; return 1; }

	run make -C "$ROOT" uninstall PREFIX="$p"
	[ "$status" -eq 0 ] || { echo "$output"; rm -rf "$p"; return 1; }
	run find "$p" ! -type d
	rm -rf "$p"
	[ -z "$output" ] || { echo "left after make uninstall:"; echo "$output"; return 1; }
}

@test "make uninstall removes every file make install wrote" {
	local d=$BATS_TEST_TMPDIR/roundtrip
	run make -C "$ROOT" -o all install PREFIX=/opt/vmclock-cts DESTDIR="$d" BUILD="$BUILD"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run make -C "$ROOT" uninstall PREFIX=/opt/vmclock-cts DESTDIR="$d"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run find "$d" ! -type d
	[ -z "$output" ] || { echo "left after make uninstall:"; echo "$output"; return 1; }
}

@test "the pkg-config file carries an rpath to libdir" {
	installed_ok
	command -v pkg-config >/dev/null || skip "pkg-config not installed (make deps)"
	run pc --libs vmclock-ref
	[[ $output == *"-Wl,-rpath,/usr/lib"* ]] || { echo "$output"; return 1; }
}

@test "ldconfig runs for the real root as root only, never under DESTDIR" {
	# a stand-in ldconfig ahead in PATH (the Makefile appends /sbin and
	# /usr/sbin) records each call
	local fake=$BATS_TEST_TMPDIR/fakebin p=$BATS_TEST_TMPDIR/prefix
	mkdir -p "$fake"
	printf '#!/bin/sh\necho "ldconfig $*" >>%s/ldconfig.calls\n' "$BATS_TEST_TMPDIR" >"$fake/ldconfig"
	chmod +x "$fake/ldconfig"
	PATH=$fake:$PATH run make -C "$ROOT" -o all install PREFIX=/usr DESTDIR="$BATS_TEST_TMPDIR/d" BUILD="$BUILD"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	PATH=$fake:$PATH run make -C "$ROOT" uninstall PREFIX=/usr DESTDIR="$BATS_TEST_TMPDIR/d"
	[ ! -e "$BATS_TEST_TMPDIR/ldconfig.calls" ] || { echo "ldconfig ran under DESTDIR"; return 1; }
	PATH=$fake:$PATH run make -C "$ROOT" -o all install PREFIX="$p" BUILD="$BUILD"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	PATH=$fake:$PATH run make -C "$ROOT" uninstall PREFIX="$p"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	if [ "$(id -u)" -eq 0 ]; then
		run cat "$BATS_TEST_TMPDIR/ldconfig.calls"
		[ "${#lines[@]}" -eq 2 ] || { echo "want ldconfig after install and uninstall, got: $output"; return 1; }
	else
		[ ! -e "$BATS_TEST_TMPDIR/ldconfig.calls" ] || { echo "ldconfig ran as a user"; return 1; }
	fi
}

@test "as root, a reader whose library sits in a 0700 directory gets a hint, not just 'not found'" {
	[ "$(id -u)" -eq 0 ] || skip "only root's runs drop to uid 65534"
	command -v pkg-config >/dev/null || skip "pkg-config not installed (make deps)"
	local p
	p=$(mktemp -d)          # 0700, as mktemp makes it
	run make -C "$ROOT" -o all install PREFIX="$p" BUILD="$BUILD"
	[ "$status" -eq 0 ] || { echo "$output"; rm -rf "$p"; return 1; }
	chmod 755 "$BATS_TEST_TMPDIR"
	# shellcheck disable=SC2046 # word list on purpose
	cc -shared -fPIC -o "$BATS_TEST_TMPDIR/r.so" "$ROOT/examples/readers/adapter_example.c" \
		$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --cflags --libs vmclock-ref) $(san_flags_of "$p/lib/libvmclock-ref.a")
	run "$p/bin/vmclock-cts" check "$BATS_TEST_TMPDIR/r.so" --only R-HDR-MAGIC
	rm -rf "$p"
	[ "$status" -eq 2 ] || { echo "status $status: $output"; return 1; }
	[[ $output == *"loaded as uid 65534"*"readable by others"* ]] || { echo "$output"; return 1; }
}
