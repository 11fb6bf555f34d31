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
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
bench_init overdue.sh "${1:-/work/main/build}" uc3-init uc3-new uc3-list uc3-overdue
RUNS=${UC3_BENCH_OVERDUE_RUNS:-20}
SLOW_RUNS=${UC3_BENCH_LIST_RUNS:-5}

bench_header "uc3 overdue benchmark"
echo "  tickets:  $N, cache $CACHE, UC3_NOW=$UC3_NOW"
echo

# --- The repositories (run.sh's, through lib.sh's cache) ------------------

BARE=$CACHE/tickets-$N.git
WORK=$CACHE/tickets-$N
bench_repo "$BARE" --bare
bench_repo "$WORK"
BARE_GIT=$(git -C "$BARE" rev-parse --absolute-git-dir)
echo

# --- The commands --------------------------------------------------------

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
			bench_die "failed: $2"
		fi
		;;
	*)
		cat "$SCRATCH/$1.err" >&2
		bench_die "failed (exit $rc): $2"
		;;
	esac
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
# shellcheck disable=SC2034 # read by measure (lib.sh)
MEASURE_IGNORE=1
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

ms() { bench_ms "$1"; }

warm=$(ms overdue-warm-bare)
echo "results ($tickets tickets, $notclosed not closed, medians)"
bench_row "operation" "median ms" "budget" "verdict"
bench_row "----------------------------------------" "---------" "----------------------" "-------"
bench_verdict bench_lt "$warm" 100
bench_row "uc3 overdue, warm index, bare" "$warm" "< 100 ms" "$V"
bench_verdict bench_lt "$(ms overdue-warm-work)" 100
bench_row "uc3 overdue, warm index, work tree" "$(ms overdue-warm-work)" "< 100 ms" "$V"
bench_verdict bench_lt "$(ms overdue-after-new)" 100
bench_row "uc3 overdue after one uc3 new (diff)" "$(ms overdue-after-new)" "< 100 ms" "$V"
bench_row "uc3 overdue, no index (full rebuild)" "$(ms overdue-cold)" "none" \
    "info ($(bench_ratio "$(ms overdue-cold)" "$warm") warm)"
bench_row "git grep -l -E '^status: (open|...)'" "$(ms overdue-git-grep)" "(reference)" \
    "- ($(bench_ratio "$(ms overdue-git-grep)" "$warm") warm)"
bench_row "uc3 list --status open" "$(ms overdue-uc3-list)" "(reference)" \
    "- ($(bench_ratio "$(ms overdue-uc3-list)" "$warm") warm)"
echo
if [ "$TIMER" = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-overdue-*.json"
fi
exit "$BENCH_FAIL"
