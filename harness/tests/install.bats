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
	if nm "$DEST/usr/lib/libvmclock-ref.a" 2>/dev/null | grep -q '__asan_\|__ubsan_'; then
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
