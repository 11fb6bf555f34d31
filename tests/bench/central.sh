#!/bin/sh
# central.sh [BUILD_DIR]: many sites, one central (see README.md).
#
# A central bare repository (`uc3 init --bare`) with uc3's hooks
# (pre-receive: `uc3 verify --pre-receive`, post-receive: `uc3 verify
# --post-receive`), UC3_BENCH_SITES clones of it (8), each with its own
# user.email and user.name and `git config uc3.remote origin`, and one
# writer a clone, all at once, each registering UC3_BENCH_PER_SITE
# tickets (200) with `uc3 new` in a loop. Every `uc3 new` pulls, commits
# and pushes to the central; a push that lost the race to another site is
# redone by uc3 itself on the new tip (lib/store_write.c), unseen by the
# writer.
#
# Counted: the wall time and tickets a second; what the writers see (a
# non-zero exit, which the writer re-runs, and any line on stderr); and
# the pushes uc3 made, through a `git` first on PATH that notes each
# `git push` and its exit status, so that the pushes refused (another
# site was first, or the hook said no) are the retries uc3 did inside.
# Then checked: SITES x PER ticket files on the central's branch, with as
# many distinct ids, the same the writers printed; no merge commit;
# `git fsck --strict` clean; `uc3 verify` clean.
#
# The clock: the writers share one, UC3_NOW = Monday 2026-11-02 08:00
# +07:00 (office hours) plus the real seconds since the start, so the
# commits of all sites advance together (the hook refuses a commit older
# than its parent by more than central.skew); the hook reads the same
# time from UC3_HOOK_NOW, as the tests give it. The policy sets
# `central.offline_ids: 0` (no numbers set aside per clone, as in
# tests/cli/remote.bats): every id comes from the central's branch.
#
# Environment:
#   UC3_BENCH_SITES      clones writing at once (8)
#   UC3_BENCH_PER_SITE   tickets each (200)
#   UC3_BENCH_CENTRAL_KEEP  a directory to move the central and the clones
#                        to at the end (default: removed)
#   UC3_BENCH_DIR, UC3_BENCH_NO_HYPERFINE  as lib.sh (nothing cached here)
#
# Exit status: 0 every check passed, 2 an error or a failed check.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
bench_init central.sh "${1:-/work/main/build}" uc3-init uc3-new uc3-verify

SITES=${UC3_BENCH_SITES:-8}
PER=${UC3_BENCH_PER_SITE:-200}
for v in "$SITES" "$PER"; do
	case $v in '' | *[!0-9]* | 0) bench_die "UC3_BENCH_SITES and UC3_BENCH_PER_SITE must be positive numbers" ;; esac
done
TOTAL=$((SITES * PER))
KEEP=${UC3_BENCH_CENTRAL_KEEP:-}
[ -z "$KEEP" ] || [ ! -e "$KEEP" ] || bench_die "$KEEP exists"

bench_header "uc3 central benchmark"
echo "  sites:    $SITES clones x $PER uc3 new = $TOTAL tickets, one central bare repository"
echo

CENTRAL=$SCRATCH/central.git
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
    GIT_AUTHOR_DATE GIT_COMMITTER_DATE

# The clock shared by the writers: T0 plus the seconds since START (a
# Monday in the year the default policy lists holidays for).
T0=$(date -u -d 2026-11-02T01:00:00Z +%s)
START=$(date +%s)
now() {
	TZ=UTC-7 date -d "@$((T0 + $(date +%s) - START))" +%Y-%m-%dT%H:%M:%S+07:00
}

# --- The central and the sites ---------------------------------------------

UC3_NOW=2026-11-02T07:58:00+07:00 "$UC3" init --bare "$CENTRAL" >/dev/null
# No numbers set aside per clone: every id comes from the central.
git clone -q "$CENTRAL" "$SCRATCH/setup"
perl -0pi -e 's/^(  fetch_after: [^\n]*\n)/$1  offline_ids: 0\n/m or die "no fetch_after line\n"' \
    "$SCRATCH/setup/uc3.yaml"
GIT_AUTHOR_DATE=2026-11-02T07:59:00+07:00 GIT_COMMITTER_DATE=2026-11-02T07:59:00+07:00 \
    git -C "$SCRATCH/setup" -c user.email=admin@unej.ac.id -c user.name=Admin commit -q \
    -m "policy: no ticket numbers set aside per clone" uc3.yaml
git -C "$SCRATCH/setup" push -q origin HEAD
rm -rf "$SCRATCH/setup"
# shellcheck disable=SC2016 # $PATH is the hook's
for h in pre-receive post-receive; do
	printf '#!/bin/sh\nPATH="%s:$PATH"\nexport PATH\nexec "%s/uc3" verify --%s\n' \
	    "$SCRATCH/bin" "$SCRATCH/bin" "$h" >"$CENTRAL/hooks/$h"
	chmod +x "$CENTRAL/hooks/$h"
done

k=1
while [ $k -le "$SITES" ]; do
	git clone -q "$CENTRAL" "$SCRATCH/site$k"
	git -C "$SCRATCH/site$k" config uc3.remote origin
	git -C "$SCRATCH/site$k" config user.email "site$k@unej.ac.id"
	git -C "$SCRATCH/site$k" config user.name "Petugas Kampus $k"
	k=$((k + 1))
done

# A git first on PATH that notes every push and its exit status (uc3 runs
# `git push --porcelain` for each write and each retry of it).
REALGIT=$(command -v git)
mkdir "$SCRATCH/gitwrap"
cat >"$SCRATCH/gitwrap/git" <<EOF
#!/bin/sh
for a; do
	case \$a in
	push) rc=0; $(q "$REALGIT") "\$@" || rc=\$?; echo "push \$rc" >>"\$UC3_BENCH_PUSH_LOG"; exit \$rc ;;
	-*|*=*|/*) ;;
	*) break ;;
	esac
done
exec $(q "$REALGIT") "\$@"
EOF
chmod +x "$SCRATCH/gitwrap/git"

# --- The writers -------------------------------------------------------------

# writer K: PER tickets in site K; a failed `uc3 new` is run again (at most
# 20 times a ticket). Files w.K.*: ids printed, times (us), failures and
# stderr lines.
writer() {
	dir=$SCRATCH/site$1 w=$SCRATCH/w.$1
	UC3_BENCH_PUSH_LOG=$w.pushes
	export UC3_BENCH_PUSH_LOG
	PATH=$SCRATCH/gitwrap:$PATH
	: >"$w.ids"
	: >"$w.times"
	: >"$w.fail"
	: >"$w.warn"
	: >"$w.pushes"
	j=1 again=0
	while [ $j -le "$PER" ]; do
		t=$(now)
		s=$(date +%s%N)
		rc=0
		UC3_NOW=$t UC3_HOOK_NOW=$t "$UC3" -C "$dir" new -s "Pengaduan kampus $1 nomor $j" \
		    -k keluhan -c web --from "Mahasiswa $1-$j <mhs$1.$j@students.unej.ac.id>" \
		    -m "Laporan dari kampus $1, tiket ke-$j." >"$w.out" 2>"$w.err" || rc=$?
		e=$(date +%s%N)
		[ ! -s "$w.err" ] || sed "s/^/site $1 ticket $j: /" "$w.err" >>"$w.warn"
		if [ $rc != 0 ]; then
			echo "site $1 ticket $j: exit $rc" >>"$w.fail"
			again=$((again + 1))
			[ $again -le 20 ] || { echo "site $1: gave up at ticket $j" >>"$w.fail"; return 1; }
			continue
		fi
		again=0
		cat "$w.out" >>"$w.ids"
		echo $(((e - s) / 1000)) >>"$w.times"
		j=$((j + 1))
	done
}

echo "writing: $SITES writers at once, $PER tickets each"
t0=$(bench_now_ms)
k=1 pids=
while [ $k -le "$SITES" ]; do
	writer $k &
	pids="$pids $!"
	k=$((k + 1))
done
failed=0
for pid in $pids; do
	wait "$pid" || failed=$((failed + 1))
done
t1=$(bench_now_ms)
WALL=$((t1 - t0))

# --- The counts and the checks -----------------------------------------------

cat "$SCRATCH"/w.*.times >"$SCRATCH/new.times"
bench_stats new
cat "$SCRATCH"/w.*.pushes >"$SCRATCH/pushes"
pushes=$(wc -l <"$SCRATCH/pushes")
refused=$(grep -cv '^push 0$' "$SCRATCH/pushes" || :)
reruns=$(cat "$SCRATCH"/w.*.fail | grep -c ': exit ' || :)
warns=$(cat "$SCRATCH"/w.*.warn | wc -l)
RATE=$(awk -v n="$TOTAL" -v ms="$WALL" 'BEGIN { printf "%.2f", (ms > 0 ? n * 1000 / ms : 0) }')

ERR=0
check() {	# check WHAT OK: a line, and ERR=1 unless OK is 1
	if [ "$2" = 1 ]; then echo "  ok      $1"; else echo "  FAILED  $1"; ERR=1; fi
}
git -C "$CENTRAL" ls-tree -r --name-only HEAD -- tickets >"$SCRATCH/files"
files=$(wc -l <"$SCRATCH/files")
sed 's,.*/,,; s,\.yaml$,,' "$SCRATCH/files" | sort -u >"$SCRATCH/central.ids"
ids=$(wc -l <"$SCRATCH/central.ids")
sort -u "$SCRATCH"/w.*.ids >"$SCRATCH/printed.ids"
printed=$(wc -l <"$SCRATCH/printed.ids")
merges=$(git -C "$CENTRAL" rev-list --merges HEAD | wc -l)
commits=$(git -C "$CENTRAL" rev-list --count HEAD)
fsck_rc=0
git -C "$CENTRAL" fsck --strict --no-dangling >"$SCRATCH/fsck" 2>&1 || fsck_rc=$?
verify_rc=0
UC3_NOW=$(now) "$UC3" -C "$CENTRAL" verify >"$SCRATCH/verify" 2>&1 || verify_rc=$?

echo
echo "results ($SITES sites x $PER tickets)"
echo "  wall time           $WALL ms"
echo "  tickets a second    $RATE"
echo "  uc3 new, each       median $(bench_ms new) ms ($(bench_range new) ms) while $SITES write at once"
# How long the slowest writes waited: the tail a desk would feel.
sort -n "$SCRATCH/new.times" | awk '{ v[NR] = $1 } END {
	printf "  uc3 new, the tail   p90 %.1f ms, p99 %.1f ms; %d of %d over 10 s\n",
	    v[int(NR * 0.9 + 0.5)] / 1000, v[int(NR * 0.99 + 0.5)] / 1000, slow, NR }
	$1 > 10000000 { slow++ }'
echo "  pushes              $pushes for $TOTAL tickets: $refused refused and redone by uc3 (retries)"
echo "  writer re-runs      $reruns (uc3 new exited non-zero); $warns lines on stderr"
echo "  central             $commits commits, $merges merges"
check "$failed writers gave up" "$([ "$failed" = 0 ] && echo 1)"
check "$files ticket files on the central, $TOTAL expected" "$([ "$files" = "$TOTAL" ] && echo 1)"
check "$ids distinct ids on the central" "$([ "$ids" = "$TOTAL" ] && echo 1)"
check "the $printed ids the writers printed are the central's" \
    "$(cmp -s "$SCRATCH/printed.ids" "$SCRATCH/central.ids" && echo 1)"
check "one straight history (no merge)" "$([ "$merges" = 0 ] && echo 1)"
check "git fsck --strict: exit $fsck_rc, $(wc -l <"$SCRATCH/fsck") lines" \
    "$([ $fsck_rc = 0 ] && [ ! -s "$SCRATCH/fsck" ] && echo 1)"
check "uc3 verify: exit $verify_rc ($(tail -n 1 "$SCRATCH/verify"))" "$([ $verify_rc = 0 ] && echo 1)"
if [ -s "$SCRATCH/fsck" ] || [ $verify_rc != 0 ]; then
	head -n 5 "$SCRATCH/fsck" "$SCRATCH/verify" >&2
fi
if [ "$warns" -gt 0 ] || [ "$reruns" -gt 0 ]; then
	echo "first lines the writers saw:"
	cat "$SCRATCH"/w.*.fail "$SCRATCH"/w.*.warn | head -n 5 | sed 's/^/  /'
fi

bench_record central-tickets-per-s "$RATE"
bench_record central-wall "$WALL"
bench_record central-new "$(bench_ms new)" "$(bench_range new)"
bench_record central-retries "$refused"
bench_record central-reruns "$reruns"
bench_record central-ok "$([ $ERR = 0 ] && echo yes || echo no)"

if [ -n "$KEEP" ]; then
	mkdir -p "$KEEP"
	mv "$CENTRAL" "$SCRATCH"/site* "$KEEP/"
	echo "kept in $KEEP"
fi
[ $ERR = 0 ] || exit 2
exit 0
