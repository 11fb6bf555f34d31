#!/usr/bin/env bats
# uc3.remote: every write is pushed at once to a central repository; a push
# that is not a fast-forward brings the branch up to date and does the
# action again on the new tip.

load helper

# A bare central repository and two offices' clones, both pushing to it.
# Numbers for offline use are not set aside here (offline.bats and
# sync.bats test them): the ids follow one another.
setup_central() {
	init_bare central.git
	git clone -q "$BARE" "$T/a"
	(cd "$T/a" && GIT_AUTHOR_DATE=2026-11-27T09:00:00+07:00 GIT_COMMITTER_DATE=2026-11-27T09:00:00+07:00 edit_policy 's/^  fetch_after: 1m$/&\n  offline_ids: 0/' && git push -q)
	git clone -q "$BARE" "$T/b"
	git -C "$T/a" config uc3.remote origin
	git -C "$T/b" config uc3.remote origin
	track_repo "$T/a"
	track_repo "$T/b"
}

quick_new() {
	uc3 -C "$1" new -s "$2" -k saran -c web --from x@example.com -m isi
}

@test "uc3.remote: each write lands in the central repository at once" {
	setup_central
	run -0 quick_new "$T/a" satu
	equal "$output" UC3-2026-0001
	equal "$(git -C "$BARE" rev-parse HEAD)" "$(git -C "$T/a" rev-parse HEAD)"
	git -C "$BARE" cat-file -e HEAD:tickets/2026/11/UC3-2026-0001.yaml
}

@test "uc3.remote: a clone behind the central branch catches up before it writes" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	run -0 quick_new "$T/b" dua
	equal "$output" UC3-2026-0002
	equal "$(git -C "$BARE" rev-list --count HEAD)" 4
	# b's work tree has a's ticket too, and nothing is left uncommitted
	[ -f "$T/b/tickets/2026/11/UC3-2026-0001.yaml" ]
	equal "$(git -C "$T/b" status --porcelain)" ""
}

@test "uc3.remote: a step on a ticket another office moved since this clone read it is refused, then done on what is there now" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	git -C "$T/b" pull -q --ff-only
	export UC3_NOW=2026-11-27T09:02:00+07:00
	uc3 -C "$T/a" escalate UC3-2026-0001 >/dev/null
	# b has not pulled: its user saw the ticket at staf and passes it on from
	# there, which a has done already; b catches up and is refused, and the
	# ticket is not passed on a second time, from wakor
	export UC3_NOW=2026-11-27T09:03:00+07:00
	run -2 --separate-stderr uc3 -C "$T/b" escalate UC3-2026-0001
	one_line_error "uc3 escalate" '^uc3 escalate: UC3-2026-0001 changed while this command ran \(it is now open, step wakor\); nothing was recorded'
	equal "$(git -C "$T/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	run -0 git -C "$BARE" log --format='%(trailers:key=Action,valueonly)' -3
	equal "$(grep -c escalate <<<"$output")" 1
	# asked again, on the ticket as b now has it, it goes up from wakor
	run -0 uc3 -C "$T/b" escalate UC3-2026-0001
	matches "$output" 'escalated wakor -> koordinator'
	run -0 git -C "$BARE" log --format='%(trailers:key=Action,valueonly)' -3
	equal "$(grep -c escalate <<<"$output")" 2
	run -0 uc3 -C "$BARE" verify
}

@test "uc3.remote: two clones writing at once give unique ids and one straight history" {
	setup_central
	( for i in 1 2 3 4 5 6; do quick_new "$T/a" "a$i" || echo FAIL; done >"$T/oa" 2>&1 ) &
	( for i in 1 2 3 4 5 6; do quick_new "$T/b" "b$i" || echo FAIL; done >"$T/ob" 2>&1 ) &
	wait
	run ! grep -h -v '^UC3-2026-' "$T/oa" "$T/ob"
	equal "$(sort -u "$T/oa" "$T/ob" | wc -l)" 12
	equal "$(git -C "$BARE" ls-tree -r HEAD | grep -c tickets/)" 12
	equal "$(git -C "$BARE" rev-list --merges HEAD | wc -l)" 0
	run -0 uc3 -C "$BARE" verify
}

@test "uc3.remote: a new ticket while the remote cannot be reached, and no numbers were set aside, records nothing" {
	init_repo
	git config uc3.remote "$T/no-such-place.git"
	snapshot "$REPO"
	run -2 --separate-stderr quick_new "$REPO" satu
	one_line_error "uc3 new" "no ticket numbers were set aside for offline use in 2026 .*uc3 sync sets some aside while .* can be reached; nothing was recorded$"
	repo_unchanged
}

@test "uc3.remote: a push the central hook refuses records nothing locally" {
	setup_central
	printf '#!/bin/sh\necho "policy says no" >&2\nexit 1\n' >"$BARE/hooks/pre-receive"
	chmod +x "$BARE/hooks/pre-receive"
	snapshot "$T/a"
	run -2 quick_new "$T/a" satu
	matches "$output" 'cannot push to origin'
	repo_unchanged
}

# --- Reading commands fetch once the last fetch is central.fetch_after old ---

# The ids b lists (open tickets first: list's default may change).
ids_in_b() {
	uc3 -C "$T/b" list --format ids
}

@test "uc3.remote: a read fetches once the last fetch is a minute old, and not before" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	# b has never fetched: its first read does, and keeps the time
	run -0 --separate-stderr ids_in_b
	equal "$output" UC3-2026-0001
	equal "$stderr" ""
	[ -f "$T/b/.git/uc3/fetch" ]
	# a minute has not passed: the ticket another office pushed is not there yet
	UC3_NOW=2026-11-27T09:00:30+07:00 quick_new "$T/a" dua >/dev/null
	UC3_NOW=2026-11-27T09:00:59+07:00 run -2 --separate-stderr uc3 -C "$T/b" show UC3-2026-0002
	one_line_error "uc3 show" UC3-2026-0002
	# a minute on, show fetches first and finds it; the work tree came along
	UC3_NOW=2026-11-27T09:01:00+07:00 run -0 --separate-stderr uc3 -C "$T/b" show --format json UC3-2026-0002
	equal "$stderr" ""
	equal "$(jvals "$output" subject)" dua
	equal "$(git -C "$T/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	[ -f "$T/b/tickets/2026/11/UC3-2026-0002.yaml" ]
	# log and overdue fetch as well
	UC3_NOW=2026-11-27T09:01:10+07:00 quick_new "$T/a" tiga >/dev/null
	# (but not with UC3_NO_FETCH, as shell completion reads)
	UC3_NO_FETCH=1 UC3_NOW=2026-11-27T09:05:00+07:00 run -0 --separate-stderr ids_in_b
	equal "$output" "$(printf 'UC3-2026-0001\nUC3-2026-0002')"
	equal "$stderr" ""
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 -C "$T/b" log UC3-2026-0003
	matches "$output" UC3-2026-0003
	UC3_NOW=2026-11-27T09:02:30+07:00 quick_new "$T/a" empat >/dev/null
	UC3_NOW=2026-11-27T09:10:00+07:00 run -1 uc3 -C "$T/b" overdue
	matches "$output" UC3-2026-0004
}

@test "uc3.remote: a write's pull counts as a fetch; without uc3.remote a read never fetches and keeps nothing" {
	setup_central
	quick_new "$T/b" satu >/dev/null
	quick_new "$T/a" dua >/dev/null
	# b's write pulled at 09:00: its read in the same minute does not fetch
	run -0 ids_in_b
	equal "$output" UC3-2026-0001
	git -C "$T/b" config --unset uc3.remote
	rm "$T/b/.git/uc3/fetch"
	UC3_NOW=2026-11-28T09:00:00+07:00 run -0 ids_in_b
	equal "$output" UC3-2026-0001
	[ ! -e "$T/b/.git/uc3/fetch" ]
}

@test "uc3.remote: a central that cannot be reached is named on stderr at each read, the local records shown, exit 0; tried again after the interval" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	ids_in_b >/dev/null
	mv "$BARE" "$T/away.git"
	UC3_NOW=2026-11-27T09:40:00+07:00 run -0 --separate-stderr ids_in_b
	equal "$output" UC3-2026-0001
	one_line_error "uc3 list" "^uc3 list: warning: cannot fetch from origin \\('$BARE' does not appear to be a git repository\\); showing the records as of 2026-11-27 09:00, 40m ago$"
	# back, but within the minute it is not asked again: the warning stands
	mv "$T/away.git" "$BARE"
	UC3_NOW=2026-11-27T09:40:59+07:00 run -0 --separate-stderr uc3 -C "$T/b" show UC3-2026-0001
	one_line_error "uc3 show" "showing the records as of 2026-11-27 09:00, 40m ago$"
	# a minute after the try, it is
	UC3_NOW=2026-11-27T09:41:00+07:00 run -0 --separate-stderr ids_in_b
	equal "$stderr" ""
}

@test "uc3.remote: reads queued behind one that asks a dead central take its answer and do not ask again" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	ids_in_b >/dev/null
	# a central that counts who asks it, and never answers
	printf '#!/bin/sh\necho asked >>"%s/asked"\nexit 1\n' "$T" >"$T/dead.sh"
	chmod +x "$T/dead.sh"
	git -C "$T/b" config remote.origin.url "ext::$T/dead.sh"
	git -C "$T/b" config protocol.ext.allow always
	# hold the writers' lock: both reads decide to fetch, then queue for it
	local lock="$T/b/.git/uc3/write.lock" n=0 p1 p2
	exec 9>>"$lock"
	flock 9
	UC3_NOW=2026-11-27T09:40:00+07:00 uc3 -C "$T/b" list --format ids >"$T/out1" 2>"$T/err1" &
	p1=$!
	UC3_NOW=2026-11-27T09:40:01+07:00 uc3 -C "$T/b" list --format ids >"$T/out2" 2>"$T/err2" &
	p2=$!
	while [ "$(flock_waiters "$lock")" -lt 2 ] && [ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	flock -u 9
	exec 9>&-
	wait "$p1"
	wait "$p2"
	# the central was asked once; both listed the local records and said why
	equal "$(wc -l <"$T/asked")" 1
	equal "$(cat "$T/out1")" UC3-2026-0001
	equal "$(cat "$T/out2")" UC3-2026-0001
	matches "$(cat "$T/err1")" "^uc3 list: warning: cannot fetch from origin .*showing the records as of 2026-11-27 09:00"
	matches "$(cat "$T/err2")" "^uc3 list: warning: cannot fetch from origin .*showing the records as of 2026-11-27 09:00"
}

@test "uc3.remote: a clone with a commit the central lacks, or apart from it, reads its own records and says how to join them" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	local br
	br="$(git -C "$T/b" symbolic-ref --short HEAD)"
	git -C "$T/b" pull -q --ff-only
	git -C "$T/b" commit -q --allow-empty -m "a note of b's own"
	UC3_NOW=2026-11-27T09:01:00+07:00 run -0 --separate-stderr ids_in_b
	equal "$output" UC3-2026-0001
	one_line_error "uc3 list" "^uc3 list: warning: $br has 1 commit that origin lacks; send it with uc3 sync$"
	UC3_NOW=2026-11-27T09:02:00+07:00 quick_new "$T/a" dua >/dev/null
	UC3_NOW=2026-11-27T09:03:00+07:00 run -0 --separate-stderr ids_in_b
	equal "$output" UC3-2026-0001
	one_line_error "uc3 list" "^uc3 list: warning: $br has diverged from origin \\(1 commit here that it lacks, 1 there\\); showing the records as of 2026-11-27 09:01, 2m ago; uc3 sync sends what waits here on top of what origin has \\(uc3 sync --reset sets aside what it refuses\\)$"
	# said again within the minute; joined, the next read fetches at once
	UC3_NOW=2026-11-27T09:03:30+07:00 run -0 --separate-stderr ids_in_b
	matches "$stderr" "has diverged"
	git -C "$T/b" pull -q --rebase origin "$br"
	git -C "$T/b" push -q origin "$br"
	UC3_NOW=2026-11-27T09:03:40+07:00 run -0 --separate-stderr ids_in_b
	equal "$stderr" ""
	equal "$output" "$(printf 'UC3-2026-0001\nUC3-2026-0002')"
}

@test "uc3.remote: a ticket file with edits of its own stops the fast-forward, and the read goes on" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	ids_in_b >/dev/null
	UC3_NOW=2026-11-27T09:02:00+07:00 uc3 -C "$T/a" escalate UC3-2026-0001 >/dev/null
	local f=tickets/2026/11/UC3-2026-0001.yaml
	echo "# a hand note" >>"$T/b/$f"
	UC3_NOW=2026-11-27T09:03:00+07:00 run -0 --separate-stderr uc3 -C "$T/b" show --format json UC3-2026-0001
	equal "$(jvals "$output" level)" staf
	one_line_error "uc3 show" "^uc3 show: warning: cannot bring [a-z]+ up to origin \\(Your local changes to the following files would be overwritten by merge\\); showing the records as of 2026-11-27 09:00, 3m ago$"
	git -C "$T/b" checkout -q -- "$f"
}

@test "uc3.remote: a central whose uc3.yaml does not read is not followed" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	ids_in_b >/dev/null
	# pushed with plain git: this central has no hook to refuse it
	sed -i 's/^timezone: .*/timezone: Mars\/Olympus/' "$T/a/uc3.yaml"
	git -C "$T/a" commit -q -am "a broken policy"
	git -C "$T/a" push -q
	UC3_NOW=2026-11-27T09:01:00+07:00 run -0 --separate-stderr ids_in_b
	equal "$output" UC3-2026-0001
	one_line_error "uc3 list" "^uc3 list: warning: not brought up to origin, whose uc3.yaml does not read \\(uc3.yaml:[0-9]+:[0-9]+: timezone \"Mars/Olympus\""
}

@test "uc3.remote: central.fetch_after 0 fetches at every read, never at none; a bare clone fast-forwards too" {
	setup_central
	git clone -q --bare "$BARE" "$T/c.git"
	git -C "$T/c.git" config uc3.remote "$BARE"
	track_repo "$T/c.git"
	cd "$T/a"
	edit_policy 's/^  fetch_after: 1m$/  fetch_after: 0/'
	git push -q
	quick_new "$T/a" satu >/dev/null
	run -0 uc3 -C "$T/c.git" list --format ids
	equal "$output" UC3-2026-0001
	quick_new "$T/a" dua >/dev/null
	run -0 uc3 -C "$T/c.git" list --format ids
	equal "$output" "$(printf 'UC3-2026-0001\nUC3-2026-0002')"
	equal "$(git -C "$T/c.git" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	edit_policy 's/^  fetch_after: 0$/  fetch_after: never/'
	git push -q
	ids_in_b >/dev/null
	rm "$T/b/.git/uc3/fetch"
	quick_new "$T/a" tiga >/dev/null
	UC3_NOW=2026-11-28T09:00:00+07:00 run -0 ids_in_b
	equal "$(wc -l <<<"$output")" 2
	[ ! -e "$T/b/.git/uc3/fetch" ]
}

@test "uc3.remote: a mirror clone does not follow a central that dropped commits, whatever its fetch refspec says" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	UC3_NOW=2026-11-27T09:01:00+07:00 quick_new "$T/a" dua >/dev/null
	# a backup made as git makes one: its fetch refspec is +refs/*:refs/*
	git clone -q --mirror "$BARE" "$T/m.git"
	git -C "$T/m.git" config uc3.remote origin
	track_repo "$T/m.git"
	local tip
	tip="$(git -C "$T/m.git" rev-parse HEAD)"
	# the central is put back one commit, by hand, past any hook
	git -C "$BARE" update-ref HEAD HEAD~1
	UC3_NOW=2026-11-27T09:05:00+07:00 run -0 --separate-stderr uc3 -C "$T/m.git" list --format ids
	equal "$output" "$(printf 'UC3-2026-0001\nUC3-2026-0002')"
	equal "$(git -C "$T/m.git" rev-parse HEAD)" "$tip"
	one_line_error "uc3 list" "^uc3 list: warning: [a-z]+ has 1 commit that origin lacks"
}

@test "uc3.remote: a repository this user cannot write is read as it is, with a warning" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	ids_in_b >/dev/null
	quick_new "$T/a" dua >/dev/null
	local -a ro
	if [ "$(id -u)" = 0 ]; then
		# modes do not stop root: a read-only mount of its own does
		unshare -m true 2>/dev/null || skip "no mount namespace for root here"
		ro=(unshare -m sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' sh "$T/b/.git")
	else
		chmod -R a-w "$T/b/.git"
		ro=()
	fi
	UC3_NOW=2026-11-27T09:05:00+07:00 run -0 --separate-stderr "${ro[@]}" uc3 -C "$T/b" list --format ids
	[ "$(id -u)" = 0 ] || chmod -R u+w "$T/b/.git"
	equal "$output" UC3-2026-0001
	one_line_error "uc3 list" "^uc3 list: warning: cannot fetch from origin: $T/b/.git is not writable here \\(.*\\); showing the records as of 2026-11-27 09:00, 5m ago$"
}
