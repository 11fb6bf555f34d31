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
BUILD=${1:-/work/main/build}
BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || {
	echo "report.sh: no $BUILD/bin (run make first)" >&2
	exit 2
}
for t in uc3 uc3-init uc3-new uc3-report; do
	[ -x "$BIN/$t" ] || { echo "report.sh: no $BIN/$t (run make first)" >&2; exit 2; }
done

N=${UC3_BENCH_N:-100000}
RUNS=${UC3_BENCH_REPORT_RUNS:-10}
SLOW_RUNS=${UC3_BENCH_REPORT_COLD_RUNS:-3}
CACHE=${UC3_BENCH_DIR:-/tmp/uc3-bench}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/uc3-bench-report.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
mkdir "$SCRATCH/bin"
cp -p "$BIN"/uc3* "$SCRATCH/bin/"
[ ! -d "$BIN/../share" ] || cp -pR "$BIN/../share" "$SCRATCH/share"
UC3=$SCRATCH/bin/uc3

UC3_NOW=2026-12-30T10:00:00+07:00
UC3_NO_GC=1
export UC3_NOW UC3_NO_GC
unset UC3_DIR GIT_DIR GIT_WORK_TREE

if [ "${UC3_BENCH_NO_HYPERFINE:-0}" != 1 ] && command -v hyperfine >/dev/null 2>&1; then
	TIMER=hyperfine
else
	TIMER=loop
fi
if python3 -c 'import yaml' 2>/dev/null; then
	PY="python3 $HERE/report.py"
	pyver="$(python3 -c 'import sys, yaml; print("Python %s, PyYAML %s%s" % (sys.version.split()[0], yaml.__version__, " (libyaml)" if getattr(yaml, "__with_libyaml__", False) else ""))')"
else
	PY=
	pyver="no python3 with PyYAML: the reference is left out"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "uc3 report benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "  machine:  $(nproc) cpus, ${cpu:-unknown cpu}, $(uname -sr)"
echo "  load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "  git:      $(git --version | sed 's/^git version //')"
echo "  uc3:      $("$UC3" --version 2>/dev/null | head -n 1) from $BIN (a copy)"
echo "  timer:    $(if [ $TIMER = hyperfine ]; then hyperfine --version; else echo "shell loop (date +%s%N)"; fi)"
echo "  python:   $pyver"
echo "  UC3_NOW=$UC3_NOW"
echo

# --- The repository --------------------------------------------------------

if [ -n "${UC3_BENCH_REPORT_REPO:-}" ]; then
	REPO=$(cd "$UC3_BENCH_REPORT_REPO" && pwd)
	echo "using $REPO"
else
	STAMP="n=$N gen=$(cksum <"$HERE/gen.sh" | cut -d' ' -f1)"
	REPO=$CACHE/tickets-$N.git
	if [ "${UC3_BENCH_FRESH:-0}" != 1 ] && [ -f "$REPO.stamp" ] &&
	    [ "$(cat "$REPO.stamp")" = "$STAMP" ] && [ -d "$REPO" ]; then
		echo "reusing $REPO ($(cat "$REPO.stamp"))"
	else
		rm -rf "$REPO" "$REPO.stamp"
		UC3_BIN=$SCRATCH/bin sh "$HERE/gen.sh" "$N" "$REPO" --bare
		echo "$STAMP" >"$REPO.stamp"
	fi
fi
GITDIR=$(git -C "$REPO" rev-parse --absolute-git-dir)
FACTS=$GITDIR/uc3/report-facts

q() {	# quote for sh
	printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"
}

YEAR="--since 2026-01-01 --until 2027-01-01"
MONTH="--since 2026-11-01 --until 2026-12-01"
R="$(q "$UC3") -C $(q "$REPO") report"
DROP="rm -f $(q "$FACTS")"
NEW="$(q "$UC3") -C $(q "$REPO") new -s 'Pembayaran UKT belum terverifikasi' -k keluhan -c email --from 'Siti Aminah <siti@example.com>' -m 'Saya sudah membayar UKT.' >/dev/null"

# --- Timing (measure as in overdue.sh) -------------------------------------

# measure NAME RUNS PREPARE COMMAND: the median in ms, in $SCRATCH/NAME.ms.
measure() {
	name=$1 runs=$2 prep=$3 cmd=$4
	if [ $TIMER = hyperfine ]; then
		set -- --style basic --warmup 1 --runs "$runs" \
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
		sh -c "$cmd"
		: >"$SCRATCH/$name.times"
		i=0
		while [ $i -lt "$runs" ]; do
			[ -z "$prep" ] || sh -c "$prep"
			s=$(date +%s%N)
			sh -c "$cmd"
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

# The counts of both, once: they must agree.
sh -c "$R $YEAR --format json" >"$SCRATCH/uc3.json" 2>"$SCRATCH/uc3.err" || {
	cat "$SCRATCH/uc3.err" >&2
	echo "report.sh: uc3 report failed" >&2
	exit 2
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

ms() { cat "$SCRATCH/$1.ms"; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }

FAIL=0
warm=$(ms report-year-warm)
row() { printf '%-40s %10s  %-16s %s\n' "$1" "$2" "$3" "$4"; }
echo "results ($tickets tickets, $year in the year, medians)"
row "operation" "median ms" "budget" "verdict"
row "----------------------------------------" "---------" "----------------" "-------"
if lt "$warm" 1000; then V=ok; else V=MISSED; FAIL=1; fi
row "uc3 report, year, JSON, warm cache" "$warm" "< 1000 ms" "$V"
row "uc3 report, year, text, warm cache" "$(ms report-year-warm-text)" "none" "info"
row "uc3 report, month, JSON, warm cache" "$(ms report-month-warm)" "none" "info"
row "uc3 report, year, no cache" "$(ms report-year-cold)" "none" \
    "info ($(ratio "$(ms report-year-cold)" "$warm") warm)"
row "uc3 report, month, no cache" "$(ms report-month-cold)" "none" "info"
row "uc3 report, year, after one uc3 new" "$(ms report-year-after-new)" "none" "info"
if [ -n "$PY" ]; then
	py=$(ms report-python-year)
	row "report.py (PyYAML), year" "$py" "(reference)" \
	    "- (uc3 $(ratio "$py" "$warm") faster warm, $(ratio "$py" "$(ms report-year-cold)") cold)"
fi
echo
if [ $TIMER = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-report-*.json"
fi
exit $FAIL
