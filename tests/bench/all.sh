#!/bin/sh
# all.sh [BUILD_DIR]: every bench against its alternative in one run, and
# one table: the operation, uc3's median, the alternative's, the ratio
# (the alternative's time over uc3's: how many times faster uc3 is), the
# budget and the verdict (see README.md). `make bench` runs it.
#
# It runs, one after the other and each with its own output first:
#   run      run.sh: uc3 new (bare, work tree) beside git add + commit,
#            uc3 show beside git show, uc3 list beside git grep
#   overdue  overdue.sh: uc3 overdue beside git grep
#   report   report.sh: uc3 report for a year beside report.py
#   verify   verify.sh's timing, only when its history of
#            UC3_BENCH_VERIFY_N commits is complete in the cache (it is
#            never generated from here: that takes many minutes); else
#            the row says why it was skipped
#   central  central.sh: sites writing at once to one central
# Each script adds its medians to one file (lib.sh's bench_record, through
# UC3_BENCH_RESULTS); the table is made from it.
#
# Environment:
#   UC3_BENCH_ONLY   the parts to run, by the names above (all of them)
#   UC3_BENCH_VERIFY_RUNS  runs of the full verify (1 here; verify.sh's
#                    own default is 3)
#   and those of the scripts run (UC3_BENCH_N, UC3_BENCH_DIR,
#   UC3_BENCH_SITES, UC3_BENCH_PER_SITE, ...)
#
# Exit status: 0 every budget met, 1 a budget missed, 2 an error in one of
# the scripts (the others still run).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
bench_init all.sh "${1:-/work/main/build}" uc3-init uc3-new uc3-list uc3-show uc3-overdue \
    uc3-report uc3-verify
BUILD_DIR=$(cd "$BIN/.." && pwd)
ONLY=${UC3_BENCH_ONLY:-run overdue report verify central}
for p in $ONLY; do
	case $p in run | overdue | report | verify | central) ;; *) bench_die "UC3_BENCH_ONLY: no part $p (run overdue report verify central)" ;; esac
done
UC3_BENCH_VERIFY_RUNS=${UC3_BENCH_VERIFY_RUNS:-1}
UC3_BENCH_RESULTS=$SCRATCH/results
export UC3_BENCH_VERIFY_RUNS UC3_BENCH_RESULTS
: >"$UC3_BENCH_RESULTS"

bench_header "uc3 against the alternatives"
echo "  parts:    $ONLY"
echo

# Is the signed history of verify.sh there, and whole? verify.sh writes a
# line to verify-N.progress after each batch of 50 commits; the last,
# batch (N - 2) / 50 + 1, is the tail of open tickets.
VN=${UC3_BENCH_VERIFY_N:-10000}
VREPO=$CACHE/verify-$VN
verify_ready() {
	gen=$(sed -n 's/^GEN_VERSION=//p' "$HERE/verify.sh")
	if [ ! -d "$VREPO" ]; then
		WHY="no $VREPO (run verify.sh once: it takes many minutes)"
	elif [ "$(cat "$VREPO.stamp" 2>/dev/null)" != "n=$VN gen=$gen" ]; then
		WHY="$VREPO was made by another verify.sh (run it to make it again)"
	elif [ "$(tail -n 1 "$VREPO.progress" 2>/dev/null | cut -d' ' -f1)" != $(((VN - 2) / 50 + 1)) ]; then
		WHY="$VREPO is still being made ($(tail -n 1 "$VREPO.progress" | cut -d' ' -f1) of $(((VN - 2) / 50 + 1)) batches)"
	else
		return 0
	fi
	return 1
}

WORST=0
part() {	# part NAME SCRIPT: run it unless left out
	case " $ONLY " in *" $1 "*) ;; *) return 0 ;; esac
	echo "=== $2"
	rc=0
	sh "$HERE/$2" "$BUILD_DIR" || rc=$?
	echo "=== $2: exit $rc"
	echo
	[ "$rc" -le "$WORST" ] || WORST=$rc
}

part run run.sh
part overdue overdue.sh
part report report.sh
WHY=
case " $ONLY " in
*" verify "*) if verify_ready; then part verify verify.sh; else echo "=== verify.sh: skipped: $WHY"; echo; fi ;;
*) WHY="left out (UC3_BENCH_ONLY)" ;;
esac
part central central.sh

# --- The table -------------------------------------------------------------

val() { awk -v n="$1" '$1 == n { v = $2 } END { print v == "" ? "-" : v }' "$UC3_BENCH_RESULTS"; }

# row OPERATION UC3_NAME ALTERNATIVE ALT_MS BUDGET: BUDGET is a number of
# ms, "alt" (faster than the alternative) or "-" (none).
FAIL=0
row() {
	u=$(val "$2") a=$4
	r=-
	[ "$u" = - ] || [ "$a" = - ] || r=$(bench_ratio "$a" "$u")
	case $5 in
	-) b=none v=info ;;
	alt) b="< alternative"; if [ "$u" = - ] || [ "$a" = - ]; then v=-; elif bench_lt "$u" "$a"; then v=ok; else v=MISSED; FAIL=1; fi ;;
	*) b="< $5 ms"; if [ "$u" = - ]; then v=-; elif bench_lt "$u" "$5"; then v=ok; else v=MISSED; FAIL=1; fi ;;
	esac
	[ "$u" != - ] || v="not run"
	bench_table_row "$1" "$u" "$3" "$a" "$r" "$b" "$v"
}

grep_open=$(val git-grep-notclosed)
echo "uc3 against the alternatives (medians in ms; ratio: the alternative / uc3; N=$N)"
bench_table_row "operation" "uc3" "the alternative" "ms" "ratio" "budget" "verdict"
bench_table_row "--------------------------------------" "---------" "-----------------------------------" "---------" "-------" "-------------" "-------"
row "uc3 new, bare" uc3-new-bare - - 30
row "uc3 new, work tree" uc3-new-work "git add + git commit" "$(val git-add-commit)" alt
row "uc3 show ID" uc3-show "git show HEAD:PATH" "$(val git-show)" 20
row "uc3 list (not closed)" uc3-list "git grep -l -E '^status: (open|..)'" "$grep_open" 100
row "uc3 list --status open --format json" uc3-list-open-json "the same git grep" "$grep_open" -
row "uc3 overdue, warm index, bare" overdue-warm-bare "the same git grep, bare" "$(val overdue-git-grep)" 100
row "uc3 overdue after one uc3 new" overdue-after-new "the same git grep, bare" "$(val overdue-git-grep)" 100
row "uc3 report, a year, warm cache" report-year-warm "report.py (PyYAML)" "$(val report-python-year)" 1000
row "uc3 report, a year, no cache" report-year-cold "report.py (PyYAML)" "$(val report-python-year)" -
if [ "$(val verify-full)" != - ]; then
	commits=$(val verify-commits)
	ssh=$(val ssh-keygen-verify)
	row "uc3 verify --no-cache, $commits commits" verify-full "ssh-keygen -Y verify x $commits" \
	    "$(awk -v a="$ssh" -v n="$commits" 'BEGIN { printf "%.0f", a * n }')" -
	row "uc3 verify after one uc3 new" verify-after-new - - -
else
	bench_table_row "uc3 verify --no-cache" - "ssh-keygen -Y verify per commit" - - none "skipped: ${WHY:-verify.sh failed}"
fi
if [ "$(val central-tickets-per-s)" != - ]; then
	bench_table_row "central: ${UC3_BENCH_SITES:-8} sites x ${UC3_BENCH_PER_SITE:-200} uc3 new" \
	    "$(val central-tickets-per-s)/s" "retries $(val central-retries), re-runs $(val central-reruns)" - - none \
	    "checks $(val central-ok)"
	row "  uc3 new, each, while they write" central-new - - -
else
	bench_table_row "central: sites x uc3 new" - - - - none "not run"
fi
echo
[ "$FAIL" -le "$WORST" ] || WORST=$FAIL
exit "$WORST"
