#!/usr/bin/env bats
# The write path at its edges: ids at the top of the number range, a clock
# outside the years uc3 can write, what a write killed half-way leaves
# behind (a branch lock, a work tree and index behind the branch), and
# several people stepping one ticket at once.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml

# --- Helpers ------------------------------------------------------------

# Commit by hand, with git, a copy of ticket file $1 under the id $2 (same
# month folder).
hand_ticket() {
	local dst
	dst="$(dirname "$1")/$2.yaml"
	sed "s/^id: .*/id: $2/" "$1" >"$dst"
	git add "$dst"
	git commit -q -m "$2: entered by hand"
}

# The state a write killed after moving the branch leaves behind: the
# branch moved (git update-ref) to a commit that adds ticket $1, a copy of
# ticket file $2 under that id, and the index and work tree as they were.
branch_ahead_with_ticket() {
	local dst blob tree commit
	dst="$(dirname "$2")/$1.yaml"
	blob="$(sed "s/^id: .*/id: $1/" "$2" | git hash-object -w --stdin)"
	rm -f "$T/kill.index"
	tree="$(GIT_INDEX_FILE="$T/kill.index" sh -c \
		'git read-tree HEAD && git update-index --add --cacheinfo "100644,$1,$2" && git write-tree' \
		_ "$blob" "$dst")"
	commit="$(git commit-tree "$tree" -p HEAD -m "$1: new")"
	git update-ref "$(git symbolic-ref HEAD)" "$commit" HEAD
}

# The lock file git and libgit2 take to move the branch of repo ${1:-.}.
ref_lock() {
	local gd
	gd="$(git -C "${1:-.}" rev-parse --absolute-git-dir)"
	echo "$gd/$(git -C "${1:-.}" symbolic-ref HEAD).lock"
}

# Milliseconds since the epoch, by the real clock.
ms() {
	echo $(($(date +%s%N) / 1000000))
}

# A bare central repository (BARE) and clones of it, $T/c1 ... $T/c$1,
# each with uc3.remote set, all checked in teardown.
setup_central() {
	local i
	init_bare central.git
	for i in $(seq 1 "$1"); do
		git clone -q "$BARE" "$T/c$i"
		git -C "$T/c$i" config uc3.remote origin
		track_repo "$T/c$i"
	done
}

# The number of escalations on the branch of repo $1.
escalations() {
	git -C "$1" log --format='%(trailers:key=Action,valueonly)' | grep -c '^escalate$' || true
}

# --- 9: ids at the top of the range ---------------------------------------

@test "new: ids next to the top of the number range are each given once, then the year is refused" {
	init_repo
	new_ticket >/dev/null
	hand_ticket "$P" UC3-2026-18446744073709551609
	local first
	first="$(git show HEAD:tickets/2026/11/UC3-2026-18446744073709551609.yaml)"
	run -0 new_ticket -s satu
	equal "$output" UC3-2026-18446744073709551610
	run -0 new_ticket -s dua
	equal "$output" UC3-2026-18446744073709551611
	# three tickets at the top, each its own, the one entered by hand as it was
	equal "$(git ls-tree -r --name-only HEAD tickets | grep -c 184467440737095516)" 3
	equal "$(git show HEAD:tickets/2026/11/UC3-2026-18446744073709551609.yaml)" "$first"
	equal "$(yget tickets/2026/11/UC3-2026-18446744073709551610.yaml subject)" satu
	equal "$(yget tickets/2026/11/UC3-2026-18446744073709551611.yaml subject)" dua
	run -0 uc3 show UC3-2026-18446744073709551611
	# the highest number an id can carry: the next is refused, and nothing is written
	hand_ticket "$P" UC3-2026-18446744073709551615
	snapshot
	run -2 --separate-stderr new_ticket -s tiga
	equal "$output" ""
	one_line_error "uc3 new" \
		"^uc3 new: the ticket numbers of 2026 have run out: UC3-2026-18446744073709551615 is the highest an id can carry; nothing was written$"
	repo_unchanged
	# another year has numbers left
	run -0 --separate-stderr new_ticket --received 2025-06-02T09:00:00+07:00
	equal "$output" UC3-2025-0001
}

@test "new: never replaces a ticket on the branch, whatever the cache of numbers says" {
	init_repo
	new_ticket >/dev/null
	local before
	before="$(git show "HEAD:$P")"
	# a cache that says the year has no ticket yet
	echo "2026 $(git rev-parse HEAD:tickets/2026) 0" >.git/uc3/ids
	snapshot
	run -2 --separate-stderr new_ticket -s "Bukan pengganti"
	equal "$output" ""
	one_line_error "uc3 new" \
		"^uc3 new: $P is already on the branch, and a new file never replaces one; nothing was written$"
	repo_unchanged
	equal "$(git show "HEAD:$P")" "$before"
	# the numbers are read from the tree again: the next run goes on
	run -0 new_ticket -s "Bukan pengganti"
	equal "$output" UC3-2026-0002
	equal "$(git show "HEAD:$P")" "$before"
}

# --- 10: a clock outside the years uc3 writes -------------------------------

@test "UC3_NOW before 1970 is refused by every tool, in one line naming it" {
	init_repo
	new_ticket >/dev/null
	snapshot
	local t
	# (no ERE characters in these but the "+", which the patterns escape)
	for t in 1969-06-02T09:00:00+07:00 1969-12-31T23:59:59Z; do
		UC3_NOW=$t run -2 --separate-stderr new_ticket
		one_line_error "uc3 new" "^uc3 new: UC3_NOW '${t/+/\\+}' is before 1970; uc3 works with times from 1970 to 9999$"
		UC3_NOW=$t run -2 --separate-stderr uc3 escalate "$ID"
		one_line_error "uc3 escalate" "^uc3 escalate: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 answer -m Jawaban "$ID"
		one_line_error "uc3 answer" "^uc3 answer: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 show "$ID"
		one_line_error "uc3 show" "^uc3 show: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 list
		one_line_error "uc3 list" "^uc3 list: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 overdue
		one_line_error "uc3 overdue" "^uc3 overdue: UC3_NOW '${t/+/\\+}' is before 1970"
	done
	repo_unchanged
	# and past the years RFC 3339 can write
	UC3_NOW=9999-12-31T12:00:00Z run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" "^uc3 new: UC3_NOW '9999-12-31T12:00:00Z' is after 9999-12-30"
	repo_unchanged
	# the first second of 1970 is a time like any other
	UC3_NOW=1970-01-01T00:00:00Z run -0 --separate-stderr new_ticket
	equal "$output" UC3-1970-0001
	UC3_NOW=1970-01-01T00:00:00Z run -0 uc3 show UC3-1970-0001
}

# --- 13: what a killed write leaves behind ----------------------------------

@test "a branch lock left behind is named at once, with its age and how to remove it" {
	init_repo
	new_ticket >/dev/null
	local lock
	lock="$(ref_lock)"
	touch -d '-1 hour' "$lock"
	snapshot
	run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" \
		"^uc3 new: the branch is locked by $lock, made 1h ago by a git or uc3 command that did not finish; if none is running, remove it with rm '$lock' and try again; nothing was written$"
	run -2 --separate-stderr uc3 escalate "$ID"
	one_line_error "uc3 escalate" "^uc3 escalate: the branch is locked by $lock, made 1h ago"
	# no retries against it: the message is the one of a lock found old, not of one waited for
	repo_unchanged
	rm "$lock"
	run -0 new_ticket
	equal "$output" UC3-2026-0002
}

@test "a branch lock left behind in a bare repository is named at once too" {
	init_bare
	new_ticket -C "$BARE" >/dev/null
	local lock
	lock="$(ref_lock "$BARE")"
	touch -d '-2 hours -5 minutes' "$lock"
	snapshot "$BARE"
	run -2 --separate-stderr new_ticket -C "$BARE"
	one_line_error "uc3 new" "^uc3 new: the branch is locked by $lock, made 2h 5m ago"
	repo_unchanged
}

@test "a fresh branch lock is waited for; one that stays is refused once it is 5 seconds old" {
	init_bare
	new_ticket -C "$BARE" >/dev/null
	local lock t0 rc=0
	lock="$(ref_lock "$BARE")"
	# a writer moving the branch now: the write waits for it
	: >"$lock"
	(sleep 0.5 && rm "$lock") &
	run -0 new_ticket -C "$BARE"
	equal "$output" UC3-2026-0002
	wait
	# a writer that died a moment ago: waited for, then named
	: >"$lock"
	t0=$(ms)
	run -2 --separate-stderr new_ticket -C "$BARE"
	one_line_error "uc3 new" "^uc3 new: the branch is locked by $lock, made [0-9]+ seconds ago by a git or uc3 command that did not finish"
	# it waited until the lock was old enough to be taken as left behind
	[ $(($(ms) - t0)) -ge 4000 ]
	equal "$(commit_count "$BARE")" 3
	rm "$lock"
}

@test "a ticket committed by a write killed before the work tree was updated is brought back by the next write" {
	init_repo
	new_ticket >/dev/null
	branch_ahead_with_ticket UC3-2026-0002 "$P"
	local q=tickets/2026/11/UC3-2026-0002.yaml
	# the temporary file the killed write was making
	echo half >"$q.uc3-AbC123"
	equal "$(git status --porcelain)" "D  $q
?? $q.uc3-AbC123"
	run -0 --separate-stderr new_ticket -s Berikutnya
	equal "$output" UC3-2026-0003
	equal "$stderr" "uc3 new: warning: brought $q up to the branch in the work tree and the index: an earlier write was stopped before updating it"
	equal "$(git status --porcelain --untracked-files=all)" ""
	equal "$(cat "$q")" "$(git show "HEAD:$q")"
	equal "$(yget "$q" id)" UC3-2026-0002
	[ -f tickets/2026/11/UC3-2026-0003.yaml ]
	# put right once: the next write has nothing to say
	run -0 --separate-stderr new_ticket
	equal "$stderr" ""
}

@test "a step committed by a killed write: the ticket is brought up to the branch, and can be stepped again" {
	init_repo
	new_ticket >/dev/null
	new_ticket >/dev/null
	local q=tickets/2026/11/UC3-2026-0002.yaml
	# two steps whose writes were killed after the branch moved: made in a
	# copy, then the branch moved to them, the index and work tree left as
	# they were; the second was killed after its work-tree file was written
	git clone -q --bare . "$T/copy.git"
	UC3_NOW=2026-11-27T09:02:00+07:00 uc3 -C "$T/copy.git" escalate "$ID" >/dev/null
	UC3_NOW=2026-11-27T09:03:00+07:00 uc3 -C "$T/copy.git" escalate UC3-2026-0002 >/dev/null
	git fetch -q "$T/copy.git" HEAD
	git update-ref "$(git symbolic-ref HEAD)" FETCH_HEAD HEAD
	git show "HEAD:$q" >"$q"
	equal "$(git status --porcelain)" "M  $P
MM $q"
	UC3_NOW=2026-11-27T09:10:00+07:00 run -0 --separate-stderr uc3 escalate "$ID"
	matches "$output" "^UC3-2026-0001: escalated wakor -> koordinator"
	equal "$stderr" "uc3 escalate: warning: brought 2 ticket files ($P, $q) up to the branch in the work tree and the index: earlier writes were stopped before updating them"
	equal "$(git status --porcelain --untracked-files=all)" ""
	equal "$(yget "$P" level)" koordinator
	equal "$(yget "$q" level)" wakor
	equal "$(escalations .)" 3
}

@test "edits of the user's own in ticket files are left alone by the repair" {
	init_repo
	new_ticket >/dev/null
	new_ticket >/dev/null
	local q=tickets/2026/11/UC3-2026-0002.yaml
	# the branch moved by something else than a uc3 write: every ticket is looked at
	git commit -q --allow-empty -m "a note"
	sed -i 's/^subject: .*/subject: Diubah di berkas/' "$P"
	sed -i 's/^subject: .*/subject: Diubah dan disiapkan/' "$q"
	git add "$q"
	local before
	before="$(git status --porcelain)"
	run -0 --separate-stderr new_ticket
	equal "$stderr" ""
	equal "$(git status --porcelain)" "$before"
	equal "$(yget "$P" subject)" "Diubah di berkas"
	equal "$(git show ":$q" | sed -n 's/^subject: //p')" "Diubah dan disiapkan"
	# and they still stop a step of those tickets
	run -2 --separate-stderr uc3 escalate "$ID"
	one_line_error "uc3 escalate" "uncommitted edits"
	git checkout -q HEAD -- "$P" "$q"
}

@test "an index lock left behind: the commit stands, the warning names the lock at once, and the next write catches up" {
	init_repo
	new_ticket >/dev/null
	touch -d '-1 hour' .git/index.lock
	run -0 --separate-stderr new_ticket
	equal "$output" UC3-2026-0002
	equal "$stderr" "uc3 new: warning: committed, but the index was not updated (the index is locked by $PWD/.git/index.lock, made 1h ago; if no git command is running, remove it with rm '$PWD/.git/index.lock', then run git reset -q to refresh it)"
	rm .git/index.lock
	run -0 --separate-stderr new_ticket
	equal "$output" UC3-2026-0003
	matches "$stderr" "^uc3 new: warning: brought tickets/2026/11/UC3-2026-0002.yaml up to the branch"
	equal "$(git status --porcelain --untracked-files=all)" ""
}

# --- 14: one step, several people -------------------------------------------

@test "an answer in the editor is refused when another office escalated the ticket meanwhile" {
	setup_central 2
	uc3 -C "$T/c1" new -s Soal -k keluhan -c web --from x@example.com -m isi >/dev/null
	git -C "$T/c2" pull -q --ff-only
	EDITOR="$(slow_editor a 'Jawaban A.')" UC3_DIR="$T/c1" UC3_NOW=2026-11-27T09:05:00+07:00 \
		with_tty uc3 answer "$ID" >"$T/out.a" 2>"$T/err.a" &
	local apid=$! rc=0
	wait_for "$T/a-ready"
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 -C "$T/c2" escalate "$ID"
	touch "$T/a-go"
	wait "$apid" || rc=$?
	equal "$rc" 2
	equal "$(cat "$T/out.a")" ""
	equal "$(cat "$T/err.a")" \
		"uc3 answer: $ID changed while this command ran (it is now open, step wakor); nothing was recorded: look at it with uc3 show $ID"
	# the central has the escalation and no answer
	equal "$(escalations "$BARE")" 1
	run -1 grep -q '^answer:' <(git -C "$BARE" show "HEAD:$P")
	equal "$(git -C "$BARE" log -1 --format='%(trailers:key=Action,valueonly)')" escalate
}

# Office $1 escalates the ticket in its clone, in the background; its
# output, errors and exit status go to $T/{out,err,rc}.$1.
office_escalates() {
	(
		rc=0
		UC3_NOW=2026-11-27T09:02:00+07:00 timeout 60 uc3 -C "$T/c$1" escalate -m "Dari $1." "$ID" \
			>"$T/out.$1" 2>"$T/err.$1" 9>&- || rc=$?
		echo $rc >"$T/rc.$1"
	) 9>&- &
}

@test "four offices escalate one ticket they saw at staf, two at once and two a moment later: one escalation" {
	setup_central 4
	uc3 -C "$T/c1" new -s Soal -k keluhan -c web --from x@example.com -m isi >/dev/null
	local i won=0 n=0
	for i in 2 3 4; do git -C "$T/c$i" pull -q --ff-only; done
	office_escalates 1
	office_escalates 2
	# the late two start once one of the first has finished: their clones
	# still show staf, the central has the ticket at wakor by then
	while [ ! -e "$T/rc.1" ] && [ ! -e "$T/rc.2" ] && [ $n -lt 1200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	office_escalates 3
	office_escalates 4
	wait
	for i in 1 2 3 4; do
		case "$(cat "$T/rc.$i")" in
		0)
			won=$((won + 1))
			matches "$(cat "$T/out.$i")" "^$ID: escalated staf -> wakor"
			equal "$(cat "$T/err.$i")" ""
			;;
		2)
			equal "$(cat "$T/out.$i")" ""
			equal "$(wc -l <"$T/err.$i")" 1
			matches "$(cat "$T/err.$i")" "^uc3 escalate: $ID changed while this command ran \(it is now open, step wakor\)"
			;;
		*)
			cat "$T/err.$i" >&2
			return 1
			;;
		esac
	done
	equal "$won" 1
	equal "$(escalations "$BARE")" 1
	equal "$(git -C "$BARE" show "HEAD:$P" | grep -c '^  action: escalate$')" 1
	for i in 1 2 3 4; do
		git -C "$T/c$i" pull -q --ff-only
	done
	run -0 uc3 -C "$BARE" verify
}

@test "a step retried because another ticket moved the branch still lands" {
	init_bare
	new_ticket -C "$BARE" >/dev/null
	new_ticket -C "$BARE" >/dev/null
	local lock n=0
	lock="$(ref_lock "$BARE")"
	# both build their commit on the same tip; one loses the compare-and-swap
	: >"$lock"
	for i in 1 2; do
		(
			rc=0
			uc3 -C "$BARE" escalate "UC3-2026-000$i" >"$T/out.$i" 2>"$T/err.$i" || rc=$?
			echo $rc >"$T/rc.$i"
		) &
	done
	while [ "$(git -C "$BARE" cat-file --batch-all-objects --batch-check | grep -c ' commit ')" -lt 5 ] &&
		[ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	rm "$lock"
	wait
	equal "$(cat "$T/rc.1") $(cat "$T/rc.2")" "0 0"
	equal "$(cat "$T/err.1" "$T/err.2")" ""
	equal "$(escalations "$BARE")" 2
	equal "$(commit_count "$BARE")" 5
}
