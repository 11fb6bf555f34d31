#!/bin/sh
# run.sh [BUILD_DIR]: the benchmarks of DESIGN section 9 (see README.md).
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build; builds
# nothing), makes or reuses repositories of $UC3_BENCH_N tickets (default
# 100,000) under ${UC3_BENCH_DIR:-/tmp/uc3-bench}, times each operation
# several times and prints the medians against the budgets.
#
# Environment:
#   UC3_BENCH_DIR    cache of the generated repositories (/tmp/uc3-bench)
#   UC3_BENCH_N      tickets per repository (100000)
#   UC3_BENCH_RUNS   timed runs of each write (20); UC3_BENCH_LIST_RUNS
#                    for the reads (5)
#   UC3_BENCH_FRESH  1: generate the repositories again
#   UC3_BENCH_NO_HYPERFINE  1: time with the shell loop even if hyperfine
#                    is installed
#
# Every timed `uc3 new` (and every git add + commit) adds a ticket to the
# cached repositories: they grow by a few dozen tickets per run, which is
# noise next to 100,000. UC3_BENCH_FRESH=1 starts again from N.
# Exit status: 0 all budgets met, 1 a budget missed, 2 an error.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-/work/main/build}
BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || {
	echo "run.sh: no $BUILD/bin (run make first)" >&2
	exit 2
}
for t in uc3 uc3-init uc3-new uc3-list; do
	[ -x "$BIN/$t" ] || { echo "run.sh: no $BIN/$t (run make first)" >&2; exit 2; }
done

N=${UC3_BENCH_N:-100000}
RUNS=${UC3_BENCH_RUNS:-20}
LIST_RUNS=${UC3_BENCH_LIST_RUNS:-5}
CACHE=${UC3_BENCH_DIR:-/tmp/uc3-bench}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
UC3=$BIN/uc3

# Stable clock: deadlines and ids do not depend on the day the bench runs
# (a Wednesday after every generated ticket); no background gc between runs.
UC3_NOW=2026-12-30T10:00:00+07:00
UC3_NO_GC=1
export UC3_NOW UC3_NO_GC
unset UC3_DIR

if [ "${UC3_BENCH_NO_HYPERFINE:-0}" != 1 ] && command -v hyperfine >/dev/null 2>&1; then
	TIMER=hyperfine
else
	TIMER=loop
fi

# --- The machine ---------------------------------------------------------

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
libgit2=$(pkg-config --modversion libgit2 2>/dev/null || echo "?")
libgit2_so=$(ldd "$BIN/uc3-new" 2>/dev/null | sed -n 's/^[[:space:]]*\(libgit2[^ ]*\) => \([^ ]*\).*/\1 (\2)/p' | head -n 1)
echo "uc3 benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "  machine:  $(nproc) cpus, ${cpu:-unknown cpu}, $(uname -sr)"
echo "  git:      $(git --version | sed 's/^git version //')"
echo "  libgit2:  $libgit2 (headers), linked ${libgit2_so:-?}"
echo "  uc3:      $("$UC3" --version 2>/dev/null | head -n 1) in $BIN"
echo "  timer:    $(if [ $TIMER = hyperfine ]; then hyperfine --version; else echo "shell loop (date +%s%N)"; fi)"
echo "  tickets:  $N, cache $CACHE, UC3_NOW=$UC3_NOW"
echo

# --- The repositories ----------------------------------------------------

# A repository is reused while it was made by this gen.sh for this N.
STAMP="n=$N gen=$(cksum <"$HERE/gen.sh" | cut -d' ' -f1)"

repo() {	# repo DIR [--bare]
	if [ "${UC3_BENCH_FRESH:-0}" != 1 ] && [ -f "$1.stamp" ] &&
	    [ "$(cat "$1.stamp")" = "$STAMP" ] && [ -d "$1" ]; then
		echo "reusing $1 ($(cat "$1.stamp"))"
		return 0
	fi
	rm -rf "$1" "$1.stamp"
	UC3_BIN=$BIN sh "$HERE/gen.sh" "$N" "$1" ${2:-}
	echo "$STAMP" >"$1.stamp"
}

BARE=$CACHE/tickets-$N.git
WORK=$CACHE/tickets-$N
repo "$BARE" --bare
repo "$WORK"
if [ -n "$(git -C "$WORK" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	echo "run.sh: $WORK has uncommitted changes; UC3_BENCH_FRESH=1 to start again" >&2
	exit 2
fi
echo

# --- The commands --------------------------------------------------------

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/uc3-bench-run.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT INT TERM

q() {	# quote for sh
	printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"
}

NEW_ARGS="new -s 'Pembayaran UKT belum terverifikasi' -k keluhan -c email --from 'Siti Aminah <siti@example.com>' -m 'Saya sudah membayar UKT tetapi status di SIAKAD belum berubah.'"
NEW_BARE="$(q "$UC3") -C $(q "$BARE") $NEW_ARGS >/dev/null"
NEW_WORK="$(q "$UC3") -C $(q "$WORK") $NEW_ARGS >/dev/null"

# git add + git commit of the same file uc3 new would write: prepare (not
# timed) writes the next ticket and names it in $SCRATCH/pathspec; the
# timed command stages it and commits, as a person would with git alone.
cat >"$SCRATCH/next-ticket.sh" <<'EOF'
set -eu
W=$1 OUT=$2
dir=tickets/2026/12
by=$(git -C "$W" config user.email || echo bench@example.invalid)
# The next id of the year, as uc3 allocates it (the newest are in 12/).
id=$(ls "$W/$dir" | awk -F'[-.]' '/^UC3-2026-[0-9]+\.yaml$/ && $3 + 0 > m { m = $3 + 0 }
	END { printf "UC3-2026-%04d", m + 1 }')
cat >"$W/$dir/$id.yaml" <<TICKET
id: $id
subject: Pembayaran UKT belum terverifikasi
kind: keluhan
channel: email
requester:
  name: Siti Aminah
  email: siti@example.com
received: 2026-12-30T10:00:00+07:00
status: open
level: staf
deadline: 2026-12-30T10:05:00+07:00
body: |
  Saya sudah membayar UKT tetapi status di SIAKAD belum berubah.
events:
- at: 2026-12-30T10:00:00+07:00
  by: $by
  action: new
TICKET
printf '%s\n' "$dir/$id.yaml" >"$OUT/pathspec"
printf '%s: new keluhan: Pembayaran UKT belum terverifikasi\n\nTicket: %s\nAction: new\nKind: keluhan\nChannel: email\nTo-Level: staf\nDeadline: 2026-12-30T10:05:00+07:00\n' "$id" "$id" >"$OUT/message"
EOF
GIT_PREP="sh $(q "$SCRATCH/next-ticket.sh") $(q "$WORK") $(q "$SCRATCH")"
GIT_NEW="git -C $(q "$WORK") add --pathspec-from-file=$(q "$SCRATCH/pathspec") && git -C $(q "$WORK") commit -q -F $(q "$SCRATCH/message")"

LIST_UC3="$(q "$UC3") -C $(q "$WORK") list --status open >/dev/null"
LIST_GIT="git -C $(q "$WORK") grep -l 'status: open' HEAD -- tickets >/dev/null"
LIST_UC3_BARE="$(q "$UC3") -C $(q "$BARE") list --status open >/dev/null"

# --- Timing --------------------------------------------------------------

# measure NAME RUNS PREPARE COMMAND: the median in ms, in $SCRATCH/NAME.ms
# (min and max in NAME.range).
measure() {
	name=$1 runs=$2 prep=$3 cmd=$4
	# A first run that fails is an error, not a time.
	[ -z "$prep" ] || sh -c "$prep"
	if ! sh -c "$cmd"; then
		echo "run.sh: failed: $cmd" >&2
		exit 2
	fi
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

echo "timing ($TIMER); every new/commit run adds a ticket to the cached repos"
measure uc3-new-bare "$RUNS" "" "$NEW_BARE"
measure uc3-new-work "$RUNS" "" "$NEW_WORK"
measure git-add-commit "$RUNS" "$GIT_PREP" "$GIT_NEW"
measure uc3-list-open "$LIST_RUNS" "" "$LIST_UC3"
measure uc3-list-open-bare "$LIST_RUNS" "" "$LIST_UC3_BARE"
measure git-grep-open "$LIST_RUNS" "" "$LIST_GIT"
echo

# --- The verdicts --------------------------------------------------------

ms() { cat "$SCRATCH/$1.ms"; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }

FAIL=0
verdict() {	# verdict CONDITION...: sets V to ok or MISSED
	if "$@"; then V=ok; else V=MISSED; FAIL=1; fi
}

tickets=$(git -C "$WORK" ls-tree -r --name-only HEAD -- tickets | wc -l)
row() { printf '%-34s %10s  %-22s %s\n' "$1" "$2" "$3" "$4"; }
echo "results ($tickets tickets in the work-tree repo, medians)"
row "operation" "median ms" "budget" "verdict"
row "----------------------------------" "---------" "----------------------" "-------"
verdict lt "$(ms uc3-new-bare)" 30
row "uc3 new, bare" "$(ms uc3-new-bare)" "< 30 ms" "$V"
verdict lt "$(ms uc3-new-work)" "$(ms git-add-commit)"
row "uc3 new, work tree" "$(ms uc3-new-work)" "< git add + commit" \
    "$V ($(ratio "$(ms uc3-new-work)" "$(ms git-add-commit)") git)"
row "git add + git commit -q" "$(ms git-add-commit)" "(reference)" "-"
row "uc3 list --status open" "$(ms uc3-list-open)" "none; vs git grep" \
    "info ($(ratio "$(ms uc3-list-open)" "$(ms git-grep-open)") git grep)"
row "uc3 list --status open, bare" "$(ms uc3-list-open-bare)" "(none)" "info"
row "git grep -l 'status: open' HEAD" "$(ms git-grep-open)" "(reference)" "-"
echo
if [ $TIMER = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-*.json"
fi
echo; sh "$HERE/overdue.sh" "$BUILD" || FAIL=$(( $? > FAIL ? $? : FAIL ))
exit $FAIL
