#!/bin/sh
# run.sh [BUILD_DIR]: the benchmarks of DESIGN section 9 (see README.md).
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build; builds
# nothing), makes or reuses repositories of $UC3_BENCH_N tickets (default
# 100,000) under ${UC3_BENCH_DIR:-/tmp/uc3-bench} (lib.sh's cache), times
# uc3 new, show and list beside git doing the same (lib.sh's timing
# helper) and prints the medians against the budgets. all.sh runs it with
# the other benches and prints one table.
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
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
bench_init run.sh "${1:-/work/main/build}" uc3-init uc3-new uc3-list uc3-show
RUNS=${UC3_BENCH_RUNS:-20}
LIST_RUNS=${UC3_BENCH_LIST_RUNS:-5}

libgit2=$(pkg-config --modversion libgit2 2>/dev/null || echo "?")
libgit2_so=$(ldd "$BIN/uc3-new" 2>/dev/null | sed -n 's/^[[:space:]]*\(libgit2[^ ]*\) => \([^ ]*\).*/\1 (\2)/p' | head -n 1)
bench_header "uc3 benchmarks"
echo "  libgit2:  $libgit2 (headers), linked ${libgit2_so:-?}"
echo "  tickets:  $N, cache $CACHE, UC3_NOW=$UC3_NOW"
echo

# --- The repositories ----------------------------------------------------

BARE=$CACHE/tickets-$N.git
WORK=$CACHE/tickets-$N
bench_repo "$BARE" --bare
bench_repo "$WORK"
if [ -n "$(git -C "$WORK" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	bench_die "$WORK has uncommitted changes; UC3_BENCH_FRESH=1 to start again"
fi
echo

# --- The commands --------------------------------------------------------

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

LIST_UC3="$(q "$UC3") -C $(q "$WORK") list >/dev/null 2>&1"
LIST_UC3_OPEN="$(q "$UC3") -C $(q "$WORK") list --status open >/dev/null 2>&1"
LIST_UC3_JSON="$(q "$UC3") -C $(q "$WORK") list --status open --format json >/dev/null 2>&1"
LIST_UC3_BARE="$(q "$UC3") -C $(q "$BARE") list --status open >/dev/null 2>&1"
LIST_GIT="git -C $(q "$WORK") grep -l -E '^status: (open|answered|delivered)' HEAD -- tickets >/dev/null"

# One ticket, by its id and by its path.
SHOW_ID="UC3-2026-0001"
SHOW_PATH=$(git -C "$WORK" ls-tree -r --name-only HEAD -- tickets/2026 | grep "/$SHOW_ID\.yaml\$") ||
	bench_die "no $SHOW_ID in $WORK"
SHOW_UC3="$(q "$UC3") -C $(q "$WORK") show $SHOW_ID >/dev/null"
SHOW_GIT="git -C $(q "$WORK") show $(q "HEAD:$SHOW_PATH") >/dev/null"

# --- Timing --------------------------------------------------------------

echo "timing ($TIMER); every new/commit run adds a ticket to the cached repos"
measure uc3-new-bare "$RUNS" "" "$NEW_BARE"
measure uc3-new-work "$RUNS" "" "$NEW_WORK"
measure git-add-commit "$RUNS" "$GIT_PREP" "$GIT_NEW"
measure uc3-show "$RUNS" "" "$SHOW_UC3"
measure git-show "$RUNS" "" "$SHOW_GIT"
measure uc3-list "$LIST_RUNS" "" "$LIST_UC3"
measure uc3-list-open "$LIST_RUNS" "" "$LIST_UC3_OPEN"
measure uc3-list-open-json "$LIST_RUNS" "" "$LIST_UC3_JSON"
measure uc3-list-open-bare "$LIST_RUNS" "" "$LIST_UC3_BARE"
measure git-grep-notclosed "$LIST_RUNS" "" "$LIST_GIT"
echo

# --- The verdicts --------------------------------------------------------

ms() { bench_ms "$1"; }
vs() { bench_ratio "$(ms "$2")" "$(ms "$1")"; }	# vs UC3 GIT: git / uc3

tickets=$(git -C "$WORK" ls-tree -r --name-only HEAD -- tickets | wc -l)
echo "results ($tickets tickets in the work-tree repo, medians; ratio: the alternative / uc3)"
bench_row "operation" "median ms" "budget" "verdict"
bench_row "----------------------------------------" "---------" "----------------------" "-------"
bench_verdict bench_lt "$(ms uc3-new-bare)" 30
bench_row "uc3 new, bare" "$(ms uc3-new-bare)" "< 30 ms" "$V"
bench_verdict bench_lt "$(ms uc3-new-work)" "$(ms git-add-commit)"
bench_row "uc3 new, work tree" "$(ms uc3-new-work)" "< git add + commit" \
    "$V ($(vs uc3-new-work git-add-commit))"
bench_row "git add + git commit -q" "$(ms git-add-commit)" "(reference)" "-"
bench_verdict bench_lt "$(ms uc3-show)" 20
bench_row "uc3 show ID" "$(ms uc3-show)" "< 20 ms" "$V ($(vs uc3-show git-show))"
bench_row "git show HEAD:PATH" "$(ms git-show)" "(reference)" "-"
bench_verdict bench_lt "$(ms uc3-list)" 100
bench_row "uc3 list (open, answered, delivered)" "$(ms uc3-list)" "< 100 ms" \
    "$V ($(vs uc3-list git-grep-notclosed))"
bench_row "uc3 list --status open" "$(ms uc3-list-open)" "none" \
    "info ($(vs uc3-list-open git-grep-notclosed))"
bench_row "uc3 list --status open --format json" "$(ms uc3-list-open-json)" "none" \
    "info ($(vs uc3-list-open-json git-grep-notclosed))"
bench_row "uc3 list --status open, bare" "$(ms uc3-list-open-bare)" "none" "info"
bench_row "git grep -l -E '^status: (open|...)'" "$(ms git-grep-notclosed)" "(reference)" "-"
echo
if [ "$TIMER" = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-*.json"
fi
exit "$BENCH_FAIL"
