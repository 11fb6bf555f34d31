#!/bin/sh
# report.sh [BUILD_DIR]: how long `uc3 report` takes for a year and for a
# month of a 100,000-ticket repository, with its cache of facts warm and
# cold, beside a short Python + PyYAML script that counts the same
# (DESIGN section 9: a year of 100,000 tickets under 1 s; see README.md).
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build; builds
# nothing; they are copied to a scratch directory first). The repository
# is $UC3_BENCH_REPORT_REPO when set (any records repository, such as one
# made by `gen.sh 100000 DIR --bare`), else run.sh's bare one under
# ${UC3_BENCH_DIR:-/tmp/uc3-bench}, generated when missing or stale. Its
# $GIT_DIR/uc3/report-facts is written and deleted by the runs.
#
# Timed, with UC3_NOW=2026-12-30T10:00:00+07:00 (after every generated
# ticket) and UC3_NO_GC=1:
#
#   1. the year 2026 (--since 2026-01-01 --until 2027-01-01) as JSON and
#      as text, and November 2026 as JSON, with the cache warm;
#   2. the same year and month cold: --prepare deletes the cache first;
#   3. the year after one `uc3 new` (its month read again, the rest from
#      the cache): --prepare makes the new ticket;
#   4. report.py over the same year: tickets, by status and each step's
#      count, met and late, which must equal uc3's (checked once, untimed).
#
# Environment:
#   UC3_BENCH_REPORT_REPO       the repository (default: run.sh's bare one)
#   UC3_BENCH_REPORT_RUNS       timed runs of the warm reports (10)
#   UC3_BENCH_REPORT_COLD_RUNS  timed runs of the cold ones, after-new and Python (3)
#   UC3_BENCH_DIR, UC3_BENCH_N, UC3_BENCH_FRESH, UC3_BENCH_NO_HYPERFINE  as run.sh
#
# Exit status: 0 the budget met, 1 missed, 2 an error (or the counts differ).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
bench_init report.sh "${1:-/work/main/build}" uc3-init uc3-new uc3-report
RUNS=${UC3_BENCH_REPORT_RUNS:-10}
SLOW_RUNS=${UC3_BENCH_REPORT_COLD_RUNS:-3}

if python3 -c 'import yaml' 2>/dev/null; then
	PY="python3 $HERE/report.py"
	pyver="$(python3 -c 'import sys, yaml; print("Python %s, PyYAML %s%s" % (sys.version.split()[0], yaml.__version__, " (libyaml)" if getattr(yaml, "__with_libyaml__", False) else ""))')"
else
	PY=
	pyver="no python3 with PyYAML: the reference is left out"
fi

bench_header "uc3 report benchmark"
echo "  python:   $pyver"
echo "  UC3_NOW=$UC3_NOW"
echo

# --- The repository --------------------------------------------------------

if [ -n "${UC3_BENCH_REPORT_REPO:-}" ]; then
	REPO=$(cd "$UC3_BENCH_REPORT_REPO" && pwd)
	echo "using $REPO"
else
	REPO=$CACHE/tickets-$N.git
	bench_repo "$REPO" --bare
fi
GITDIR=$(git -C "$REPO" rev-parse --absolute-git-dir)
FACTS=$GITDIR/uc3/report-facts

YEAR="--since 2026-01-01 --until 2027-01-01"
MONTH="--since 2026-11-01 --until 2026-12-01"
R="$(q "$UC3") -C $(q "$REPO") report"
DROP="rm -f $(q "$FACTS")"
NEW="$(q "$UC3") -C $(q "$REPO") new -s 'Pembayaran UKT belum terverifikasi' -k keluhan -c email --from 'Siti Aminah <siti@example.com>' -m 'Saya sudah membayar UKT.' >/dev/null"

# The counts of both, once: they must agree.
sh -c "$R $YEAR --format json" >"$SCRATCH/uc3.json" 2>"$SCRATCH/uc3.err" || {
	cat "$SCRATCH/uc3.err" >&2
	bench_die "uc3 report failed"
}
if [ -n "$PY" ]; then
	$PY "$REPO" 2026-01-01 2027-01-01 "$UC3_NOW" >"$SCRATCH/py.json"
	python3 - "$SCRATCH/uc3.json" "$SCRATCH/py.json" <<'EOF' || exit 2
import json, sys
r = json.load(open(sys.argv[1]))
py = json.load(open(sys.argv[2]))
mine = {"tickets": r["tickets"], "by_status": r["by_status"],
        "steps": {k: {f: v[f] for f in ("count", "met", "late")}
                  for k, v in r["steps"].items() if v["count"]}}
if mine != py:
    sys.exit("report.sh: the counts differ:\n  uc3:    %s\n  python: %s" % (
        json.dumps(mine, sort_keys=True), json.dumps(py, sort_keys=True)))
print("counts agree: %d tickets, %s; %s" % (py["tickets"], ", ".join(
    "%s %d" % kv for kv in py["by_status"].items()), ", ".join(
    "%s %d/%d late" % (k, v["late"], v["count"]) for k, v in sorted(py["steps"].items()))))
EOF
fi
tickets=$(git -C "$REPO" ls-tree -r --name-only HEAD -- tickets | wc -l)
year=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tickets"])' "$SCRATCH/uc3.json" 2>/dev/null || echo "?")
echo "repository: $tickets ticket files; $year received in 2026"
echo

echo "timing ($TIMER); every after-new run adds a ticket to the repository"
measure report-year-warm "$RUNS" "" "$R $YEAR --format json >/dev/null 2>&1"
measure report-year-warm-text "$RUNS" "" "$R $YEAR >/dev/null 2>&1"
measure report-month-warm "$RUNS" "" "$R $MONTH --format json >/dev/null 2>&1"
measure report-year-cold "$SLOW_RUNS" "$DROP" "$R $YEAR --format json >/dev/null 2>&1"
measure report-month-cold "$SLOW_RUNS" "$DROP" "$R $MONTH --format json >/dev/null 2>&1"
# Leave a warm cache of the year behind.
sh -c "$R $YEAR --format json >/dev/null 2>&1"
measure report-year-after-new "$SLOW_RUNS" "$NEW" "$R $YEAR --format json >/dev/null 2>&1"
[ -z "$PY" ] || measure report-python-year "$SLOW_RUNS" "" "$PY $(q "$REPO") 2026-01-01 2027-01-01 $UC3_NOW >/dev/null"
echo

# --- The verdicts --------------------------------------------------------

ms() { bench_ms "$1"; }

warm=$(ms report-year-warm)
echo "results ($tickets tickets, $year in the year, medians)"
bench_row "operation" "median ms" "budget" "verdict"
bench_row "----------------------------------------" "---------" "----------------------" "-------"
bench_verdict bench_lt "$warm" 1000
bench_row "uc3 report, year, JSON, warm cache" "$warm" "< 1000 ms" "$V"
bench_row "uc3 report, year, text, warm cache" "$(ms report-year-warm-text)" "none" "info"
bench_row "uc3 report, month, JSON, warm cache" "$(ms report-month-warm)" "none" "info"
bench_row "uc3 report, year, no cache" "$(ms report-year-cold)" "none" \
    "info ($(bench_ratio "$(ms report-year-cold)" "$warm") warm)"
bench_row "uc3 report, month, no cache" "$(ms report-month-cold)" "none" "info"
bench_row "uc3 report, year, after one uc3 new" "$(ms report-year-after-new)" "none" "info"
if [ -n "$PY" ]; then
	py=$(ms report-python-year)
	bench_row "report.py (PyYAML), year" "$py" "(reference)" \
	    "- (uc3 $(bench_ratio "$py" "$warm") faster warm, $(bench_ratio "$py" "$(ms report-year-cold)") cold)"
fi
echo
if [ "$TIMER" = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-report-*.json"
fi
exit "$BENCH_FAIL"
