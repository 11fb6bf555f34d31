# shellcheck shell=sh disable=SC2034 # the variables set here are the callers'
# lib.sh: what the bench scripts share (see README.md). Sourced, not run:
#
#	HERE=$(cd "$(dirname "$0")" && pwd)
#	. "$HERE/lib.sh"
#	bench_init NAME "${1:-/work/main/build}" uc3 uc3-new ...
#
# bench_init checks the tools, copies them to a scratch directory (a
# rebuild during the run must not pull them away), sets the common
# environment and picks the timer. Then:
#
#	bench_repo DIR [--bare]        the cache: gen.sh's repositories
#	measure NAME RUNS PREPARE CMD  the timing helper: NAME's median in ms
#	bench_ms NAME                  that median; bench_range NAME: min-max
#	bench_ratio A B                A / B as "1.5x"
#	bench_record NAME VALUE        a figure for all.sh's table
#
# Variables set: BENCH (the name, for messages), BIN (the tools built),
# UC3 (the copy of uc3), SCRATCH (removed at exit), CACHE, N, TIMER
# (hyperfine or loop), STAMP; UC3_NOW and UC3_NO_GC exported.
#
# Environment read:
#   UC3_BENCH_DIR    the cache of generated repositories (/tmp/uc3-bench)
#   UC3_BENCH_N      tickets per repository (100000)
#   UC3_BENCH_FRESH  1: generate the repositories again
#   UC3_BENCH_NO_HYPERFINE  1: time with the shell loop even if hyperfine
#                    is installed
#   UC3_BENCH_RESULTS  set by all.sh: the file the medians are added to

# bench_die MESSAGE: a one-line error, exit 2.
bench_die() {
	echo "$BENCH: $*" >&2
	exit 2
}

# bench_init NAME BUILD_DIR TOOL...
bench_init() {
	BENCH=$1
	BUILD=$2
	shift 2
	BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || bench_die "no $BUILD/bin (run make first)"
	for t in uc3 "$@"; do
		[ -x "$BIN/$t" ] || bench_die "no $BIN/$t (run make first)"
	done
	N=${UC3_BENCH_N:-100000}
	case $N in '' | *[!0-9]*) bench_die "UC3_BENCH_N must be a number: $N" ;; esac
	CACHE=${UC3_BENCH_DIR:-/tmp/uc3-bench}
	mkdir -p "$CACHE"
	CACHE=$(cd "$CACHE" && pwd)

	SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/uc3-bench-$BENCH.XXXXXX")
	# shellcheck disable=SC2064 # the directory is known now
	trap "rm -rf '$SCRATCH'" EXIT
	trap 'exit 2' INT TERM
	mkdir "$SCRATCH/bin"
	cp -p "$BIN"/uc3* "$SCRATCH/bin/"
	[ ! -d "$BIN/../share" ] || cp -pR "$BIN/../share" "$SCRATCH/share"
	for t in uc3 "$@"; do
		[ -x "$SCRATCH/bin/$t" ] || bench_die "cannot copy $BIN/$t"
	done
	UC3=$SCRATCH/bin/uc3

	# A stable clock, after every generated ticket (a Wednesday: ids and
	# deadlines do not depend on the day the bench runs); no background
	# gc between runs.
	UC3_NOW=2026-12-30T10:00:00+07:00
	UC3_NO_GC=1
	export UC3_NOW UC3_NO_GC
	unset UC3_DIR GIT_DIR GIT_WORK_TREE

	if [ "${UC3_BENCH_NO_HYPERFINE:-0}" != 1 ] && command -v hyperfine >/dev/null 2>&1; then
		TIMER=hyperfine
	else
		TIMER=loop
	fi
	# A repository is reused while it was made by this gen.sh for this N
	# (the stamp run.sh has always written).
	STAMP="n=$N gen=$(cksum <"$HERE/gen.sh" | cut -d' ' -f1)"
}

# bench_header TITLE: what was measured, where.
bench_header() {
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
	echo "$1 ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
	echo "  machine:  $(nproc) cpus, ${cpu:-unknown cpu}, $(uname -sr)"
	echo "  load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (1, 5, 15 min)"
	echo "  git:      $(git --version | sed 's/^git version //')"
	echo "  uc3:      $("$UC3" --version 2>/dev/null | head -n 1) from $BIN (a copy)"
	if [ "$TIMER" = hyperfine ]; then
		echo "  timer:    $(hyperfine --version)"
	else
		echo "  timer:    shell loop (date +%s%N)"
	fi
}

# bench_repo DIR [--bare]: gen.sh's repository of N tickets at DIR, reused
# while its stamp is this one.
bench_repo() {
	if [ "${UC3_BENCH_FRESH:-0}" != 1 ] && [ -f "$1.stamp" ] &&
	    [ "$(cat "$1.stamp")" = "$STAMP" ] && [ -d "$1" ]; then
		echo "reusing $1 ($(cat "$1.stamp"))"
		return 0
	fi
	rm -rf "$1" "$1.stamp"
	UC3_BIN=$SCRATCH/bin sh "$HERE/gen.sh" "$N" "$1" ${2:+"$2"} || bench_die "gen.sh failed"
	echo "$STAMP" >"$1.stamp"
}

# q STRING: STRING quoted for sh.
q() {
	printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"
}

# measure NAME RUNS PREPARE COMMAND: runs COMMAND (sh) RUNS times, PREPARE
# (untimed, may be empty) before each; the median in ms goes to
# $SCRATCH/NAME.ms, min-max to NAME.range. MEASURE_WARMUP runs first (1);
# a failing COMMAND is an error unless MEASURE_IGNORE=1 (such as uc3
# overdue, which exits 1 when it finds breaches).
measure() {
	name=$1 runs=$2 prep=$3 cmd=$4
	warm=${MEASURE_WARMUP:-1}
	if [ "${MEASURE_IGNORE:-0}" = 1 ]; then
		run_cmd="($cmd) || :"
	else
		run_cmd=$cmd
	fi
	if [ "$TIMER" = hyperfine ]; then
		set -- --style basic --warmup "$warm" --runs "$runs" \
		    --export-json "$SCRATCH/$name.json" --command-name "$name"
		[ -z "$prep" ] || set -- "$@" --prepare "$prep"
		[ "${MEASURE_IGNORE:-0}" != 1 ] || set -- "$@" --ignore-failure
		hyperfine "$@" "$cmd" >"$SCRATCH/$name.log" 2>&1 || {
			cat "$SCRATCH/$name.log" >&2
			bench_die "failed: $cmd"
		}
		perl -MJSON::PP -e '
			local $/; open my $f, "<", $ARGV[0] or die;
			my $r = decode_json(<$f>)->{results}[0];
			printf "%.1f\n", $r->{median} * 1000;
			printf STDERR "%.1f-%.1f\n", $r->{min} * 1000, $r->{max} * 1000;
		' "$SCRATCH/$name.json" >"$SCRATCH/$name.ms" 2>"$SCRATCH/$name.range"
		cp "$SCRATCH/$name.json" "$CACHE/last-$name.json"
	else
		i=0
		while [ "$i" -lt "$warm" ]; do
			[ -z "$prep" ] || sh -c "$prep" || bench_die "failed: $prep"
			sh -c "$run_cmd" || bench_die "failed: $cmd"
			i=$((i + 1))
		done
		: >"$SCRATCH/$name.times"
		i=0
		while [ "$i" -lt "$runs" ]; do
			[ -z "$prep" ] || sh -c "$prep" || bench_die "failed: $prep"
			s=$(date +%s%N)
			sh -c "$run_cmd" || bench_die "failed: $cmd"
			e=$(date +%s%N)
			echo $(((e - s) / 1000)) >>"$SCRATCH/$name.times"
			i=$((i + 1))
		done
		bench_stats "$name"
	fi
	echo "  $name: median $(bench_ms "$name") ms ($(bench_range "$name") ms, $runs runs)"
	bench_record "$name" "$(bench_ms "$name")" "$(bench_range "$name")"
}

# bench_record NAME VALUE [RANGE]: when all.sh runs this script
# (UC3_BENCH_RESULTS names a file), a line "NAME VALUE RANGE" for its table.
bench_record() {
	[ -z "${UC3_BENCH_RESULTS:-}" ] || echo "$1 $2 ${3:--}" >>"$UC3_BENCH_RESULTS"
}

# bench_stats NAME: median, min and max of $SCRATCH/NAME.times (one time a
# line, in microseconds) into NAME.ms and NAME.range.
bench_stats() {
	sort -n "$SCRATCH/$1.times" | awk '
		{ v[NR] = $1 }
		END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f\n", m / 1000
			printf "%.1f-%.1f\n", v[1] / 1000, v[NR] / 1000 > "/dev/stderr"
		}' >"$SCRATCH/$1.ms" 2>"$SCRATCH/$1.range"
}

bench_ms() { cat "$SCRATCH/$1.ms"; }
bench_range() { cat "$SCRATCH/$1.range"; }
bench_now_ms() { echo $(($(date +%s%N) / 1000000)); }

# bench_lt A B: A < B (decimals).
bench_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# bench_ratio A B: A / B, "1.5x".
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }

# bench_verdict CONDITION...: V=ok, or V=MISSED and BENCH_FAIL=1.
BENCH_FAIL=0
bench_verdict() {
	if "$@"; then V=ok; else V=MISSED; BENCH_FAIL=1; fi
}

# bench_row OPERATION MEDIAN BUDGET VERDICT: a line of a script's table.
bench_row() { printf '%-40s %10s  %-22s %s\n' "$1" "$2" "$3" "$4"; }

# bench_table_row OPERATION UC3_MS ALTERNATIVE ALT_MS RATIO BUDGET VERDICT:
# a line of the table of all.sh (uc3 against the alternative).
bench_table_row() {
	printf '%-38s %9s  %-35s %9s  %7s  %-13s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
}
