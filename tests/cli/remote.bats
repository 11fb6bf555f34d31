#!/usr/bin/env bats
# uc3.remote: every write is pushed at once to a central repository; a push
# that is not a fast-forward brings the branch up to date and does the
# action again on the new tip.

load helper

# A bare central repository and two offices' clones, both pushing to it.
setup_central() {
	init_bare central.git
	git clone -q "$BARE" "$T/a"
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
	equal "$(git -C "$BARE" rev-list --count HEAD)" 3
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

@test "uc3.remote: an unreachable remote fails the write and records nothing" {
	init_repo
	git config uc3.remote "$T/no-such-place.git"
	snapshot
	run -2 --separate-stderr quick_new "$REPO" satu
	one_line_error "uc3 new" 'nothing was recorded'
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
