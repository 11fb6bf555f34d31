#!/bin/sh
# verify.sh [BUILD_DIR]: how long `uc3 verify` takes on a signed history
# (see README.md).
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build; builds
# nothing). Makes, or reuses, a records repository of $UC3_BENCH_VERIFY_N
# commits (default 10,000) under ${UC3_BENCH_DIR:-/tmp/uc3-bench}, made
# the way an office makes it: `uc3 init`, a policy listing four people
# (one per role, each with a throwaway ed25519 key), then uc3 new,
# escalate, answer, deliver and close run by the person whose role holds
# the ticket, every commit signed with ssh. Then times a full
# `uc3 verify --no-cache` and `uc3 verify` with a warm cache after one
# new commit, and prints the medians.
#
# Generation is slow (every commit is a uc3 process and an ssh-keygen
# signature: minutes for 10,000) and resumable: it checkpoints after
# every batch of 10 tickets (50 commits) and an interrupted run carries
# on from the last checkpoint.
#
# Environment:
#   UC3_BENCH_DIR            the cache (/tmp/uc3-bench)
#   UC3_BENCH_VERIFY_N       commits in the history (10000; at least 52)
#   UC3_BENCH_VERIFY_RUNS    timed runs of the full verify (3)
#   UC3_BENCH_VERIFY_WARM_RUNS  timed runs of verify after one commit (10)
#   UC3_BENCH_FRESH          1: generate again
#   UC3_BENCH_NO_HYPERFINE   1: time with a shell loop
#
# Exit status: 0 done (verify found the history clean), 2 an error.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
# A copy of the tools (lib.sh): generating takes minutes, and a rebuild in
# the meantime must not pull them from under the running commands.
bench_init verify.sh "${1:-/work/main/build}" uc3-init uc3-new uc3-escalate uc3-answer \
    uc3-deliver uc3-close uc3-verify
command -v ssh-keygen >/dev/null 2>&1 || bench_die "needs ssh-keygen"

N=${UC3_BENCH_VERIFY_N:-10000}
FULL_RUNS=${UC3_BENCH_VERIFY_RUNS:-3}
WARM_RUNS=${UC3_BENCH_VERIFY_WARM_RUNS:-10}
case $N in '' | *[!0-9]*) bench_die "UC3_BENCH_VERIFY_N must be a number" ;; esac
[ "$N" -ge 52 ] || bench_die "UC3_BENCH_VERIFY_N must be at least 52"

# The generator's version: a repository made by another one is made again.
GEN_VERSION=2
REPO=$CACHE/verify-$N
KEYS=$REPO.keys
STAMP="n=$N gen=$GEN_VERSION"

# No background gc between commands (the generator packs at checkpoints).
UC3_NO_GC=1
export UC3_NO_GC
unset UC3_DIR UC3_NOW GIT_DIR GIT_WORK_TREE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE

ms() { echo $(( $(date +%s%N) / 1000000 )); }

bench_header "uc3 verify benchmark"
echo "  ssh:      $(ssh -V 2>&1 | head -n 1)"
echo "  history:  $N commits in $REPO"
echo

# --- The people ----------------------------------------------------------

# role email name
PEOPLE="staf humas1@unej.ac.id Staf_Humas
wakor wakor@unej.ac.id Wakil_Koordinator
koordinator koord@unej.ac.id Koordinator_PKIH
kabiro kabiro@unej.ac.id Kepala_Biro"

person() {	# person ROLE FIELD(2 email, 3 name)
	echo "$PEOPLE" | awk -v r="$1" -v f="$2" '$1 == r { gsub("_", " ", $f); print $f }'
}

# Act as ROLE from now on: its identity for the commands (uc3 reads
# GIT_AUTHOR_EMAIL), its key in the repository's configuration (uc3,
# through libgit2, honours neither `git -c` nor GIT_CONFIG_COUNT).
CUR=
as() {
	[ "$CUR" != "$1" ] || return 0
	git -C "$REPO" config user.signingkey "$KEYS/$1"
	GIT_AUTHOR_EMAIL=$(person "$1" 2) GIT_AUTHOR_NAME=$(person "$1" 3)
	GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
	export GIT_AUTHOR_EMAIL GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_NAME
	CUR=$1
}

# --- The clock -----------------------------------------------------------

# Office time (Mon-Fri 07:30-16:00, +07:00, the default policy's): one
# minute per command from Monday 2026-01-05 07:30, the next working day's
# 07:30 after 16:00. DAY is the date, MIN the minute of the day.
DAY=2026-01-05 MIN=450
tick() {
	MIN=$((MIN + 1))
	if [ $MIN -ge 960 ]; then
		MIN=450
		DAY=$(date -u -d "$DAY + 1 day" +%F)
		while [ "$(date -u -d "$DAY" +%u)" -gt 5 ]; do
			DAY=$(date -u -d "$DAY + 1 day" +%F)
		done
	fi
	UC3_NOW=$(printf '%sT%02d:%02d:00+07:00' "$DAY" $((MIN / 60)) $((MIN % 60)))
}

# Run a uc3 command at the next minute, as the current person.
run() {
	tick
	UC3_NOW=$UC3_NOW "$UC3" -C "$REPO" "$@" || {
		echo "verify.sh: failed at $UC3_NOW as $CUR: uc3 $*" >&2
		exit 2
	}
}

# --- The tickets ---------------------------------------------------------

subject() {
	case $(($1 % 8)) in
	0) echo "Pembayaran UKT belum terverifikasi" ;;
	1) echo "Legalisir ijazah terlambat diproses" ;;
	2) echo "Akses SISTER tidak dapat diakses" ;;
	3) echo "Beasiswa KIP Kuliah belum ada jawaban" ;;
	4) echo "Wifi kampus masih bermasalah" ;;
	5) echo "Transkrip nilai tidak sesuai" ;;
	6) echo "Peminjaman ruang mohon informasi" ;;
	*) echo "Portal SIAKAD perlu diperbaiki" ;;
	esac
}
kind() {
	case $(($1 % 5)) in 0 | 1) echo pertanyaan ;; 2) echo keluhan ;; 3) echo saran ;; *) echo lainnya ;; esac
}
channel() {
	case $(($1 % 6)) in 0 | 1) echo email ;; 2) echo telepon ;; 3) echo langsung ;; 4) echo web ;; *) echo surat ;; esac
}
requester() {
	case $(($1 % 6)) in
	0) echo "Siti Aminah <siti.aminah@gmail.com>" ;;
	1) echo "Ahmad Santoso <ahmad.santoso@mail.unej.ac.id>" ;;
	2) echo "Dewi Lestari <dewi.lestari@yahoo.co.id>" ;;
	3) echo "Budi Wijaya <budi.wijaya@students.unej.ac.id>" ;;
	4) echo "Rina Rahmawati <rina.r@gmail.com>" ;;
	*) echo "Agus Hidayat <agus.hidayat@students.unej.ac.id>" ;;
	esac
}
unit() {
	case $(($1 % 5)) in
	0) echo "Bagian Keuangan" ;; 1) echo "Bagian Akademik" ;; 2) echo "Bagian Kemahasiswaan" ;;
	3) echo "UPT TIK" ;; *) echo "Bagian Umum" ;;
	esac
}

# new_ticket I: uc3 new as the current person; the id in NEWID. (Not
# called in $(...): the clock is this shell's.)
new_ticket() {
	tick
	i=$1
	if [ $((i % 2)) = 0 ]; then set -- -u "$(unit $i)"; else set --; fi
	NEWID=$(UC3_NOW=$UC3_NOW "$UC3" -C "$REPO" new -s "$(subject $i)" -k "$(kind $i)" \
	    -c "$(channel $i)" --from "$(requester $i)" "$@" \
	    -m "Saya sudah mengirim bukti pembayaran minggu lalu (tiket $i)." \
	    -m "Mohon kabar secepatnya melalui email ini.") || {
		echo "verify.sh: failed at $UC3_NOW as $CUR: uc3 new (ticket $i)" >&2
		exit 2
	}
}

ANSWER="Data Saudara sudah kami periksa dan diperbaiki oleh bagian terkait."

# Batch K: tickets 10K..10K+9, 50 commits, each role acting on what it
# holds. Staf registers ten; answers three (j 0-2) and escalates seven;
# wakor answers five (3-7) and escalates two; koordinator answers one (8)
# and escalates one; kabiro answers the last (9); staf delivers and closes
# all ten (the odd ones get their unit at close).
batch() {
	b=$1 ids= j=0
	as staf
	while [ $j -lt 10 ]; do
		new_ticket $((b * 10 + j))
		ids="$ids $NEWID"
		j=$((j + 1))
	done
	j=0
	for id in $ids; do
		case $j in
		0 | 1 | 2) run answer -m "$ANSWER" "$id" >/dev/null ;;
		*) run escalate -m "Perlu data dari $(unit $j)." "$id" >/dev/null ;;
		esac
		j=$((j + 1))
	done
	as wakor
	j=0
	for id in $ids; do
		case $j in
		3 | 4 | 5 | 6 | 7) run answer -m "$ANSWER" "$id" >/dev/null ;;
		8 | 9) run escalate "$id" >/dev/null ;;
		esac
		j=$((j + 1))
	done
	as koordinator
	j=0
	for id in $ids; do
		case $j in
		8) run answer -m "$ANSWER" "$id" >/dev/null ;;
		9) run escalate -m "Keputusan pimpinan." "$id" >/dev/null ;;
		esac
		j=$((j + 1))
	done
	as kabiro
	run answer -m "$ANSWER" "${ids##* }" >/dev/null
	as staf
	for id in $ids; do
		run deliver -m "Disampaikan melalui email." "$id" >/dev/null
	done
	j=0
	for id in $ids; do
		if [ $((j % 2)) = 1 ]; then
			run close -u "$(unit $((b * 10 + j)))" "$id" >/dev/null
		else
			run close "$id" >/dev/null
		fi
		j=$((j + 1))
	done
}

# --- The repository ------------------------------------------------------

SETUP=2			# uc3 init's commit and the policy listing people
BATCHES=$(((N - SETUP) / 50))
TAIL=$(((N - SETUP) % 50))	# open tickets registered at the end

checkpoint() {	# checkpoint K: batch K done
	git -C "$REPO" gc --auto --quiet
	echo "$1 $(git -C "$REPO" rev-parse HEAD) $DAY $MIN" >>"$REPO.progress"
}

setup() {
	rm -rf "$REPO" "$KEYS" "$REPO.stamp" "$REPO.progress"
	mkdir -p "$KEYS"
	for r in staf wakor koordinator kabiro; do
		ssh-keygen -q -t ed25519 -N '' -C "$(person $r 2)" -f "$KEYS/$r"
	done
	# Before the first step and the policy commit (07:30), or the audit
	# finds the policy backdated against the init commit.
	UC3_NOW=2026-01-05T07:00:00+07:00 "$UC3" init "$REPO" >/dev/null
	# The people, each with the public half of the key.
	lines=
	for r in staf wakor koordinator kabiro; do
		lines="$lines
  - {email: $(person $r 2), name: $(person $r 3), roles: [$r], keys: [\"$(cut -d' ' -f1,2 "$KEYS/$r.pub")\"]}"
	done
	PEOPLE_YAML="people:$lines" perl -0pi -e '
		s/^people:[^\n]*$/$ENV{PEOPLE_YAML}/m or die "no people: line\n";
		s/^require_signed: false/require_signed: true/m or die "no require_signed line\n";
	' "$REPO/uc3.yaml"
	git -C "$REPO" config gpg.format ssh
	git -C "$REPO" config commit.gpgsign true
	git -C "$REPO" config user.email "$(person staf 2)"
	git -C "$REPO" config user.name "$(person staf 3)"
	git -C "$REPO" config user.signingkey "$KEYS/staf"
	# The first policy listing people is the root of trust; kabiro, the top
	# of the chain (who may change it later), lays it down.
	git -C "$REPO" add uc3.yaml
	GIT_AUTHOR_EMAIL=$(person kabiro 2) GIT_AUTHOR_NAME=$(person kabiro 3) \
	GIT_COMMITTER_EMAIL=$(person kabiro 2) GIT_COMMITTER_NAME=$(person kabiro 3) \
	GIT_AUTHOR_DATE=2026-01-05T07:30:00+07:00 GIT_COMMITTER_DATE=2026-01-05T07:30:00+07:00 \
	    git -C "$REPO" -c user.signingkey="$KEYS/kabiro" commit -q \
	    -m "policy: the people of the office and their keys" \
	    -m "Signed commits are required from now on."
	echo "$STAMP" >"$REPO.stamp"
	checkpoint 0
}

if [ "${UC3_BENCH_FRESH:-0}" = 1 ] || [ ! -f "$REPO.stamp" ] ||
    [ "$(cat "$REPO.stamp")" != "$STAMP" ] || [ ! -s "$REPO.progress" ]; then
	echo "generating $N signed commits in $REPO"
	setup
else
	echo "reusing $REPO ($(cat "$REPO.stamp"))"
fi

# Carry on from the last checkpoint (batch BATCHES+1 is the tail of open
# tickets; the history is complete after it).
set -- $(tail -n 1 "$REPO.progress")
DONE=$1 DAY=$3 MIN=$4
if [ "$DONE" -le "$BATCHES" ]; then
	if [ "$(git -C "$REPO" rev-parse HEAD)" != "$2" ]; then
		echo "resuming from batch $DONE: $REPO back to $2"
		git -C "$REPO" reset -q --hard "$2"
		rm -f "$(git -C "$REPO" rev-parse --absolute-git-dir)/uc3/verified"
	fi
	git -C "$REPO" config user.signingkey "$KEYS/staf"
	start=$(git -C "$REPO" rev-list --count HEAD)
	t0=$(ms)
	k=$((DONE + 1))
	while [ $k -le "$BATCHES" ]; do
		batch $((k - 1))
		checkpoint $k
		if [ $((k % 20)) = 0 ]; then
			now=$(ms)
			echo "  batch $k/$BATCHES: $(git -C "$REPO" rev-list --count HEAD) commits," \
			    "$(( (now - t0) / 1000 )) s"
		fi
		k=$((k + 1))
	done
	as staf
	j=0
	while [ $j -lt $TAIL ]; do
		new_ticket $((BATCHES * 10 + j))
		j=$((j + 1))
	done
	git -C "$REPO" config user.signingkey "$KEYS/staf"
	t1=$(ms)
	git -C "$REPO" gc --quiet
	t2=$(ms)
	checkpoint $((BATCHES + 1))
	made=$(( $(git -C "$REPO" rev-list --count HEAD) - start ))
	echo "generated $made signed commits in $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 )) s" \
	    "($(awk -v t=$((t1 - t0)) -v n=$made 'BEGIN { printf "%.1f", n ? t / n : 0 }') ms a commit)," \
	    "git gc $((t2 - t1)) ms"
	# What the generator leaves behind: a repository staf works in.
	unset GIT_AUTHOR_EMAIL GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_NAME
	CUR=
fi
COMMITS=$(git -C "$REPO" rev-list --count HEAD)
TICKETS=$(git -C "$REPO" ls-tree -r --name-only HEAD -- tickets | wc -l)
GITDIR=$(git -C "$REPO" rev-parse --absolute-git-dir)
echo "  $COMMITS commits, $TICKETS tickets, $(du -sk "$GITDIR" | cut -f1) KiB in .git"
echo

# --- Timing --------------------------------------------------------------

# The timed commands run as staf, with the repository's configuration.
# A later clock than any generated event: the tickets the timing adds
# come after the history (each run adds one).
UC3_NOW=2026-12-30T10:00:00+07:00
export UC3_NOW
VERIFY_FULL="$(q "$UC3") -C $(q "$REPO") verify --no-cache >/dev/null"
VERIFY="$(q "$UC3") -C $(q "$REPO") verify >/dev/null"
NEW="$(q "$UC3") -C $(q "$REPO") new -s 'Pembayaran UKT belum terverifikasi' -k keluhan -c email --from 'Siti Aminah <siti@example.com>' -m 'Saya sudah membayar UKT tetapi status di SIAKAD belum berubah.' >/dev/null"

echo "timing ($TIMER); each run of verify-after-new adds a ticket to the cached repo"

# Once, untimed by the timer: the history must be clean, and this run
# fills the cache of clean commits the warm runs use.
rm -f "$GITDIR/uc3/verified"
s=$(ms)
"$UC3" -C "$REPO" verify >"$SCRATCH/first.out" || {
	echo "verify.sh: uc3 verify does not find the history clean:" >&2
	tail -n 20 "$SCRATCH/first.out" >&2
	exit 2
}
e=$(ms)
echo $((e - s)) >"$SCRATCH/cold.ms"
bench_record verify-empty-cache "$((e - s))"
echo "  $(tail -n 1 "$SCRATCH/first.out")"
echo "  verify-empty-cache: $(cat "$SCRATCH/cold.ms") ms (1 run, writes the cache)"

MEASURE_WARMUP=0
measure verify-full "$FULL_RUNS" "" "$VERIFY_FULL"
MEASURE_WARMUP=1
measure verify-after-new "$WARM_RUNS" "$NEW" "$VERIFY"
measure verify-nothing-new "$WARM_RUNS" "" "$VERIFY"
measure uc3-new-signed "$WARM_RUNS" "" "$NEW"

# One ssh-keygen -Y verify of the newest commit's signature, as uc3 runs
# it: the floor under the cost of each commit of the full verify.
git -C "$REPO" cat-file commit HEAD | awk '
	/^gpgsig / { sig = 1; sub(/^gpgsig /, ""); print > SIGF; next }
	sig && /^ / { sub(/^ /, ""); print > SIGF; next }
	{ sig = 0; print > DATAF }' SIGF="$SCRATCH/sig" DATAF="$SCRATCH/payload"
printf '%s namespaces="git" %s\n' "$(person staf 2)" "$(cut -d' ' -f1,2 "$KEYS/staf.pub")" >"$SCRATCH/allowed"
SSH_VERIFY="ssh-keygen -Y verify -f $(q "$SCRATCH/allowed") -I $(person staf 2) -n git -s $(q "$SCRATCH/sig") <$(q "$SCRATCH/payload") >/dev/null 2>&1"
sh -c "$SSH_VERIFY" || bench_die "ssh-keygen -Y verify of HEAD failed"
MEASURE_WARMUP=2
measure ssh-keygen-verify 20 "" "$SSH_VERIFY"
echo

m() { bench_ms "$1"; }
per() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.2f", a / n }'; }
row() { printf '%-38s %10s  %s\n' "$1" "$2" "$3"; }
COMMITS=$(git -C "$REPO" rev-list --count HEAD)
bench_record verify-commits "$COMMITS"
echo "results ($COMMITS commits, medians; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
row "operation" "median ms" "notes"
row "--------------------------------------" "---------" "-----"
row "uc3 verify, empty cache" "$(m cold)" "1 run; checks all, writes the cache"
row "uc3 verify --no-cache" "$(m verify-full)" \
    "$FULL_RUNS runs; $(per "$(m verify-full)" "$COMMITS") ms a commit"
row "uc3 verify after one uc3 new" "$(m verify-after-new)" \
    "$WARM_RUNS runs; 1 commit checked, the rest cached"
row "uc3 verify, nothing new" "$(m verify-nothing-new)" "$WARM_RUNS runs; all cached"
row "uc3 new, signed (ssh)" "$(m uc3-new-signed)" "$WARM_RUNS runs; the prepare step above"
row "ssh-keygen -Y verify, one commit" "$(m ssh-keygen-verify)" \
    "20 runs; x $COMMITS = $(awk -v a="$(m ssh-keygen-verify)" -v n="$COMMITS" 'BEGIN { printf "%.0f", a * n }') ms"
echo
if [ "$TIMER" = hyperfine ]; then
	echo "hyperfine JSON: $CACHE/last-verify-*.json, last-uc3-new-signed.json, last-ssh-keygen-verify.json"
fi
