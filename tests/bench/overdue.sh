#!/bin/sh
# overdue.sh [BUILD_DIR]: how long `uc3 overdue` takes on 100,000 tickets
# of which 1% (1,000) are open (DESIGN section 9; see README.md).
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build; builds
# nothing; they are copied to a scratch directory first, so that a rebuild
# during the run does not pull them away). Uses the repositories run.sh
# makes with gen.sh under ${UC3_BENCH_DIR:-/tmp/uc3-bench} (generates them
# when missing or made by another gen.sh), then times:
#
#   1. `uc3 overdue` with a warm index ($GIT_DIR/uc3/open-index at the
#      tip's tickets tree), bare and work tree: the budget, under 100 ms;
#   2. the first run after one new commit (the index brought up to date
#      from the tree diff): hyperfine --prepare makes one `uc3 new` first;
#   3. a cold run, the index deleted before each run (a full rebuild);
#   4. the plain-git equivalents for scale: `git grep -l -E '^status:
#      (open|answered|delivered)' HEAD -- tickets` and `uc3 list --status
#      open`, which reads every ticket.
#
# `uc3 overdue` exits 1 when it finds breaches (every generated open
# ticket is late at UC3_NOW), so hyperfine is told to ignore failures
# (-i); a first, untimed run checks that it exits 0 or 1.
#
# Environment:
#   UC3_BENCH_DIR    the cache (/tmp/uc3-bench)
#   UC3_BENCH_N      tickets per repository (100000)
#   UC3_BENCH_OVERDUE_RUNS  timed runs of the warm and after-new overdue (20)
#   UC3_BENCH_LIST_RUNS     timed runs of the cold overdue, list, grep (5)
#   UC3_BENCH_FRESH  1: generate the repositories again
#   UC3_BENCH_NO_HYPERFINE  1: time with the shell loop
#
# Every after-new run adds an open ticket to the bare repository (about
# 20 a run), noise next to 1,000.
# Exit status: 0 all budgets met, 1 a budget missed, 2 an error.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-/work/main/build}
BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || {
	echo "overdue.sh: no $BUILD/bin (run make first)" >&2
	exit 2
}
for t in uc3 uc3-init uc3-new uc3-list uc3-overdue; do
	[ -x "$BIN/$t" ] || { echo "overdue.sh: no $BIN/$t (run make first)" >&2; exit 2; }
done

N=${UC3_BENCH_N:-100000}
RUNS=${UC3_BENCH_OVERDUE_RUNS:-20}
SLOW_RUNS=${UC3_BENCH_LIST_RUNS:-5}
CACHE=${UC3_BENCH_DIR:-/tmp/uc3-bench}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/uc3-bench-overdue.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
mkdir "$SCRATCH/bin"
cp -p "$BIN"/uc3* "$SCRATCH/bin/"
[ ! -d "$BIN/../share" ] || cp -pR "$BIN/../share" "$SCRATCH/share"
for t in uc3 uc3-init uc3-new uc3-list uc3-overdue; do
	[ -x "$SCRATCH/bin/$t" ] || { echo "overdue.sh: cannot copy $BIN/$t" >&2; exit 2; }
done
UC3=$SCRATCH/bin/uc3

# The clock and settings of run.sh: after every generated ticket, no
# background gc between runs.
UC3_NOW=2026-12-30T10:00:00+07:00
UC3_NO_GC=1
export UC3_NOW UC3_NO_GC
unset UC3_DIR GIT_DIR GIT_WORK_TREE

if [ "${UC3_BENCH_NO_HYPERFINE:-0}" != 1 ] && command -v hyperfine >/dev/null 2>&1; then
	TIMER=hyperfine
else
	TIMER=loop
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "uc3 overdue benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "  machine:  $(nproc) cpus, ${cpu:-unknown cpu}, $(uname -sr)"
echo "  git:      $(git --version | sed 's/^git version //')"
echo "  uc3:      $("$UC3" --version 2>/dev/null | head -n 1) from $BIN (a copy)"
echo "  timer:    $(if [ $TIMER = hyperfine ]; then hyperfine --version; else echo "shell loop (date +%s%N)"; fi)"
echo "  tickets:  $N, cache $CACHE, UC3_NOW=$UC3_NOW"
echo

# --- The repositories (shared with run.sh: same names, same stamp) --------

STAMP="n=$N gen=$(cksum <"$HERE/gen.sh" | cut -d' ' -f1)"

repo() {	# repo DIR [--bare]
	if [ "${UC3_BENCH_FRESH:-0}" != 1 ] && [ -f "$1.stamp" ] &&
	    [ "$(cat "$1.stamp")" = "$STAMP" ] && [ -d "$1" ]; then
		echo "reusing $1 ($(cat "$1.stamp"))"
		return 0
	fi
	rm -rf "$1" "$1.stamp"
	UC3_BIN=$SCRATCH/bin sh "$HERE/gen.sh" "$N" "$1" ${2:-}
	echo "$STAMP" >"$1.stamp"
}

BARE=$CACHE/tickets-$N.git
WORK=$CACHE/tickets-$N
repo "$BARE" --bare
repo "$WORK"
BARE_GIT=$(git -C "$BARE" rev-parse --absolute-git-dir)
WORK_GIT=$(git -C "$WORK" rev-parse --absolute-git-dir)
echo

# --- The commands --------------------------------------------------------

q() {	# quote for sh
	printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"
}

OD_BARE="$(q "$UC3") -C $(q "$BARE") overdue"
OD_WORK="$(q "$UC3") -C $(q "$WORK") overdue"
OVERDUE_BARE="$OD_BARE >/dev/null 2>&1"
OVERDUE_WORK="$OD_WORK >/dev/null 2>&1"
NEW_BARE="$(q "$UC3") -C $(q "$BARE") new -s 'Pembayaran UKT belum terverifikasi' -k keluhan -c email --from 'Siti Aminah <siti@example.com>' -m 'Saya sudah membayar UKT tetapi status di SIAKAD belum berubah.' >/dev/null"
DROP_INDEX="rm -f $(q "$BARE_GIT/uc3/open-index")"
GREP_BARE="git -C $(q "$BARE") grep -l -E '^status: (open|answered|delivered)' HEAD -- tickets >/dev/null"
LIST_BARE="$(q "$UC3") -C $(q "$BARE") list --status open >/dev/null"

# --- Timing --------------------------------------------------------------

# check NAME COMMAND: one untimed run; overdue exits 0 (nothing late) or 1
# (breaches); 2 with only unreadable ticket files (a hand-broken ticket in
# the cache) is reported and timed all the same; anything else is an error.
check() {
	rc=0
	sh -c "$2 >$(q "$SCRATCH/$1.out") 2>$(q "$SCRATCH/$1.err")" || rc=$?
	case $rc in
	0 | 1) ;;
	2)
		if grep -q 'could not be read' "$SCRATCH/$1.err"; then
			echo "  $1: exit 2, the repository has unreadable tickets (timed anyway):" >&2
			sed 's/^/    /' "$SCRATCH/$1.err" | head -n 5 >&2
		else
			cat "$SCRATCH/$1.err" >&2
			echo "overdue.sh: failed: $2" >&2
			exit 2
		fi
		;;
	*)
		cat "$SCRATCH/$1.err" >&2
		echo "overdue.sh: failed (exit $rc): $2" >&2
		exit 2
		;;
	esac
}

# measure NAME RUNS PREPARE COMMAND: the median in ms, in $SCRATCH/NAME.ms
# (min and max in NAME.range). Failing exit statuses are not errors here
# (check first).
measure() {
	name=$1 runs=$2 prep=$3 cmd=$4
	if [ $TIMER = hyperfine ]; then
		set -- --style basic --warmup 1 --runs "$runs" --ignore-failure \
		    --export-json "$SCRATCH/$name.json" --command-name "$name"
		[ -z "$prep" ] || set -- "$@" --prepare "$prep"
		hyperfine "$@" "$cmd" >"$SCRATCH/$name.log" 2>&1 || {
			cat "$SCRATCH/$name.log" >&2
			exit 2
		}
		perl -MJSON::PP -e '
			local $/; open my $f, "<", $ARGV[0] or die;
			my $r = decode_json(<$f>)->{results}[0];
			printf "%.1f\n", $r->{median} * 1000;
			printf STDERR "%.1f-%.1f\n", $r->{min} * 1000, $r->{max} * 1000;
		' "$SCRATCH/$name.json" >"$SCRATCH/$name.ms" 2>"$SCRATCH/$name.range"
		cp "$SCRATCH/$name.json" "$CACHE/last-$name.json"
	else
		[ -z "$prep" ] || sh -c "$prep"
		sh -c "$cmd" || :
		: >"$SCRATCH/$name.times"
		i=0
		while [ $i -lt "$runs" ]; do
			[ -z "$prep" ] || sh -c "$prep"
			s=$(date +%s%N)
			sh -c "$cmd" || :
			e=$(date +%s%N)
			echo $(( (e - s) / 1000 )) >>"$SCRATCH/$name.times"
			i=$((i + 1))
		done
		sort -n "$SCRATCH/$name.times" | awk '
			{ v[NR] = $1 }
			END {
				m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
				printf "%.1f\n", m / 1000
				printf "%.1f-%.1f\n", v[1] / 1000, v[NR] / 1000 > "/dev/stderr"
			}' >"$SCRATCH/$name.ms" 2>"$SCRATCH/$name.range"
	fi
	echo "  $name: median $(cat "$SCRATCH/$name.ms") ms ($(cat "$SCRATCH/$name.range") ms, $runs runs)"
}

# The first runs bring both indexes to the tip (a rebuild if there was none)
# and check the exit statuses.
check overdue-bare "$OD_BARE"
check overdue-work "$OD_WORK"
late=$(grep -c '^UC3-' "$SCRATCH/overdue-bare.out" || :)
notclosed=$(git -C "$BARE" grep -l -E '^status: (open|answered|delivered)' HEAD -- tickets | wc -l)
tickets=$(git -C "$BARE" ls-tree -r --name-only HEAD -- tickets | wc -l)
echo "bare repository: $tickets tickets, $notclosed not closed (git grep), $late late (uc3 overdue)"
echo

echo "timing ($TIMER); every after-new run adds a ticket to the bare repo"
measure overdue-warm-bare "$RUNS" "" "$OVERDUE_BARE"
measure overdue-warm-work "$RUNS" "" "$OVERDUE_WORK"
measure overdue-after-new "$RUNS" "$NEW_BARE" "$OVERDUE_BARE"
measure overdue-cold "$SLOW_RUNS" "$DROP_INDEX" "$OVERDUE_BARE"
# Leave a warm index behind.
sh -c "$OVERDUE_BARE" || :
measure overdue-git-grep "$SLOW_RUNS" "" "$GREP_BARE"
measure overdue-uc3-list "$SLOW_RUNS" "" "$LIST_BARE"
echo

# --- The verdicts --------------------------------------------------------

ms() { cat "$SCRATCH/$1.ms"; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }

FAIL=0
verdict() {	# verdict CONDITION...: sets V to ok or MISSED
	if "$@"; then V=ok; else V=MISSED; FAIL=1; fi
}

warm=$(ms overdue-warm-bare)
row() { printf '%-40s %10s  %-22s %s\n' "$1" "$2" "$3" "$4"; }
echo "results ($tickets tickets, $notclosed not closed, medians)"
row "operation" "median ms" "budget" "verdict"
row "----------------------------------------" "---------" "----------------------" "-------"
verdict lt "$warm" 100
row "uc3 overdue, warm index, bare" "$warm" "< 100 ms" "$V"
verdict lt "$(ms overdue-warm-work)" 100
row "uc3 overdue, warm index, work tree" "$(ms overdue-warm-work)" "< 100 ms" "$V"
verdict lt "$(ms overdue-after-new)" 100
row "uc3 overdue after one uc3 new (diff)" "$(ms overdue-after-new)" "< 100 ms" "$V"
row "uc3 overdue, no index (full rebuild)" "$(ms overdue-cold)" "none" \
    "info ($(ratio "$(ms overdue-cold)" "$warm") warm)"
row "git grep -l -E '^status: (open|...)'" "$(ms overdue-git-grep)" "(reference)" \
    "- ($(ratio "$(ms overdue-git-grep)" "$warm") warm)"
row "uc3 list --status open" "$(ms overdue-uc3-list)" "(reference)" \
    "- ($(ratio "$(ms overdue-uc3-list)" "$warm") warm)"
echo
if [ $TIMER = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-overdue-*.json"
fi
exit $FAIL
