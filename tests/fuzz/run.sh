#!/bin/sh
# Build the fuzz targets and run each for N seconds.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (from anywhere in the tree)
#
# SECONDS defaults to 60; TARGETs default to all of them (ydoc ticket
# policy tmpl clock verify mail). With clang and libFuzzer, each target is built with
# -fsanitize=fuzzer,address,undefined and fuzzed for SECONDS, starting from
# tests/fuzz/corpus/<target>; inputs it finds go to $BUILD/corpus/<target>
# (the seed corpus in the tree is only read), crashes to
# $BUILD/artifacts/<target>/. Without libFuzzer (or with UC3_FUZZ_REPLAY=1)
# the targets are built with $CC and ASan/UBSan and only replay the seed
# corpus and $BUILD/corpus. Exit status 1 when a target crashed.
#
# With UC3_FUZZ_BIN=DIR, nothing is built: DIR/fuzz_<target> (built by
# `make fuzz` with the Makefile's rules) are run with libFuzzer.
#
# Environment: BUILD (default ${TMPDIR:-/tmp}/uc3-fuzz), CLANG (default
# clang), CC (replay build, default cc), PKG_CONFIG, FUZZ_ARGS (more
# libFuzzer options, e.g. "-jobs=2 -workers=2").
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-ydoc ticket policy tmpl clock verify mail}
BUILD=${BUILD:-${TMPDIR:-/tmp}/uc3-fuzz}
CLANG=${CLANG:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
FUZZ_ARGS=${FUZZ_ARGS:-}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac

pkg_cflags=$($PKG_CONFIG --cflags libgit2 yaml-0.1 libpcre2-8 gmime-3.0)
pkg_libs=$($PKG_CONFIG --libs libgit2 yaml-0.1 libpcre2-8 gmime-3.0)

# libFuzzer when the compiler has it, else a replay build.
mode=replay
prebuilt=${UC3_FUZZ_BIN:-}
case $prebuilt in '' | /*) ;; *) prebuilt=$top/$prebuilt ;; esac
if [ -n "$prebuilt" ]; then
	mode=libfuzzer
elif [ "${UC3_FUZZ_REPLAY:-0}" != 1 ] && command -v "$CLANG" >/dev/null 2>&1; then
	mkdir -p "$BUILD"
	printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }' \
		>"$BUILD/probe.c"
	if "$CLANG" -fsanitize=fuzzer,address,undefined "$BUILD/probe.c" \
		-o "$BUILD/probe" 2>/dev/null; then
		mode=libfuzzer
	fi
fi

common="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -I$top/lib \
	-DUC3_VERSION=\"fuzz\" $pkg_cflags -O1 -g -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined"
if [ $mode = libfuzzer ]; then
	cc=$CLANG
	libflags="$common -fsanitize=fuzzer-no-link,address,undefined"
	binflags="$common -DUC3_LIBFUZZER -fsanitize=fuzzer,address,undefined"
else
	cc=${CC:-cc}
	libflags="$common -fsanitize=address,undefined"
	binflags="$libflags"
fi
out=$BUILD/$mode
if [ -n "$prebuilt" ]; then
	echo "run.sh: running the targets in $prebuilt; work files in $BUILD"
else
	echo "run.sh: $mode build with $cc in $BUILD"
	# The library, compiled the same way (only what changed).
	mkdir -p "$out/lib" "$out/bin"
	objs=
	for src in "$top"/lib/*.c; do
		obj=$out/lib/$(basename "$src" .c).o
		if [ ! -f "$obj" ] || [ -n "$(find "$src" "$top"/lib/*.h -newer "$obj" 2>/dev/null)" ]; then
			$cc $libflags -c "$src" -o "$obj"
		fi
		objs="$objs $obj"
	done
	rm -f "$out/libuc3.a"
	ar rcs "$out/libuc3.a" $objs
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=
for t in $targets; do
	if [ -n "$prebuilt" ]; then
		bin=$prebuilt/fuzz_$t
	else
		bin=$out/bin/fuzz_$t
		$cc $binflags "$here/fuzz_$t.c" -o "$bin" "$out/libuc3.a" $pkg_libs
	fi
	mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts/$t"
	log=$BUILD/fuzz_$t.log
	echo "== fuzz_$t ($mode, ${secs}s; log $log)"
	if [ $mode = libfuzzer ]; then
		# A dictionary: tests/fuzz/<target>.dict, plus yaml.dict for YAML inputs.
		dict=
		case $t in ydoc | ticket | policy) dict=$BUILD/$t.dict
			cat "$here/yaml.dict" >"$dict"
			[ ! -f "$here/$t.dict" ] || cat "$here/$t.dict" >>"$dict" ;;
		*) [ ! -f "$here/$t.dict" ] || dict=$here/$t.dict ;;
		esac
		if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t/" \
			${dict:+-dict="$dict"} $FUZZ_ARGS "$BUILD/corpus/$t" "$here/corpus/$t" >"$log" 2>&1; then
			st=ok
		else
			st=CRASH
			failed="$failed $t"
		fi
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "   $st: ${execs:-?} executions, corpus $(ls "$BUILD/corpus/$t" | wc -l) inputs"
		[ $st = ok ] || echo "   (a crash while loading the seeds stops before any fuzzing)"
		if [ $st = CRASH ]; then
			grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -5 | sed 's/^/   /'
		fi
	else
		files=$(find "$here/corpus/$t" "$BUILD/corpus/$t" -type f 2>/dev/null)
		if [ -z "$files" ] || "$bin" $files >"$log" 2>&1; then
			echo "   ok: replayed $(echo "$files" | grep -c . || true) inputs"
		else
			echo "   CRASH"
			tail -20 "$log" | sed 's/^/   /'
			failed="$failed $t"
		fi
	fi
done
if [ -n "$failed" ]; then
	echo "run.sh: crashed:$failed"
	exit 1
fi
echo "run.sh: no crash"
