#!/usr/bin/env bats
# uc3 sync: a central repository on the local file system behind the
# pre-receive hook uc3 verify --pre-receive, two clones that push to it,
# the central taken away (mv) and brought back.

load helper

# $T/central.git with the hooks; clones $T/a and $T/b with uc3.remote origin.
setup_central() {
	init_bare central.git
	central_hooks "$BARE"
	export UC3_HOOK_NOW="$UC3_NOW"
	git clone -q "$BARE" "$T/a"
	git clone -q "$BARE" "$T/b"
	git -C "$T/a" config uc3.remote origin
	git -C "$T/b" config uc3.remote origin
	track_repo "$T/a"
	track_repo "$T/b"
}

# Client and hook clocks at $1.
at() {
	export UC3_NOW="$1" UC3_HOOK_NOW="$1"
}

quick_new() {
	uc3 -C "$1" new -s "$2" -k saran -c web --from x@example.com -m isi
}

central_away() { mv "$BARE" "$T/away.git"; }
central_back() { mv "$T/away.git" "$BARE"; }

@test "uc3 sync: bad usage and no central exit 2; --help exits 0" {
	init_repo
	run -2 --separate-stderr uc3 sync --no-such-option
	run -2 --separate-stderr uc3 sync extra
	matches "$stderr" '^uc3 sync: uc3 sync takes no arguments'
	run -0 uc3 sync --help
	matches "$output" 'uc3 sync \[-C dir\] \[--reset\] \[--format text\|json\]'
	snapshot
	run -2 --separate-stderr uc3 sync
	one_line_error "uc3 sync" 'no central: set git config uc3.remote$'
	repo_unchanged
}

@test "uc3 sync: what waits is made again on what another clone sent meanwhile, pushed, and the central's audit is clean" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	# a's first ticket set 2 to 21 aside for a; b's sync sets 22 to 41 aside for b
	run -0 uc3 -C "$T/b" sync
	matches "$output" 'set aside UC3-2026-0022 to UC3-2026-0041'
	central_away
	at 2026-11-27T09:01:00+07:00
	run -0 --separate-stderr quick_new "$T/b" dua
	equal "$output" UC3-2026-0022
	matches "$stderr" 'origin cannot be reached .*; recorded here, waiting to be sent \(uc3 sync sends it\)$'
	# while the central is away, sync fails, says what waits, changes nothing
	snapshot "$T/b"
	run -2 --separate-stderr uc3 -C "$T/b" sync
	one_line_error "uc3 sync" '^uc3 sync: cannot reach origin \(.*\); 1 change still waits$'
	repo_unchanged
	central_back
	# meanwhile a passes on ticket 1
	at 2026-11-27T09:02:00+07:00
	uc3 -C "$T/a" escalate 1 >/dev/null
	at 2026-11-27T09:20:00+07:00
	run -0 uc3 -C "$T/b" sync
	equal "${lines[0]}" "sent UC3-2026-0022: new (made offline 2026-11-27 09:01)"
	matches "$output" "up to date with origin at $(git -C "$BARE" rev-parse --short=7 HEAD)"
	equal "$(git -C "$T/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	# the same ticket, its id unchanged; author date kept, committer date now
	equal "$(git -C "$BARE" log -1 --format='%s|%aI|%cI|%(trailers:key=Offline,valueonly)')" \
		"UC3-2026-0022: new saran: dua|2026-11-27T09:01:00+07:00|2026-11-27T09:20:00+07:00|yes"
	# uc3 init, a's ticket and block, b's block, a's escalation, b's ticket
	equal "$(git -C "$BARE" rev-list --count HEAD)" 6
	[ -f "$T/b/tickets/2026/11/UC3-2026-0001.yaml" ]
	run -0 uc3 -C "$BARE" verify
	# nothing waits any more
	run -0 --separate-stderr uc3 -C "$T/b" list
	run ! grep -q waiting <<<"$output$stderr"
	run -0 uc3 -C "$T/b" sync --format json
	equal "$(jvals "$output" sent)" "[]"
}

@test "uc3 sync: the next write sends what waits before its own" {
	setup_central
	uc3 -C "$T/b" sync >/dev/null
	central_away
	run -0 quick_new "$T/b" satu
	central_back
	at 2026-11-27T09:03:00+07:00
	run -0 --separate-stderr uc3 -C "$T/b" escalate 1
	equal "$stderr" ""
	equal "$(git -C "$BARE" log --format=%s -2 | tr '\n' '|')" \
		"UC3-2026-0001: escalate staf -> wakor|UC3-2026-0001: new saran: satu|"
	equal "$(git -C "$T/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	run -0 uc3 -C "$BARE" verify
}

@test "uc3 sync: a ticket file the central changed since stops the sync, with the way out; nothing is lost" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	uc3 -C "$T/b" sync >/dev/null
	central_away
	at 2026-11-27T09:01:00+07:00
	local id f
	id="$(quick_new "$T/b" dua 2>/dev/null)"
	f="$(ticket_path "$id" "$T/b")"
	central_back
	# the same path reaches the central another way (git, past the hook)
	mv "$BARE/hooks/pre-receive" "$T/hook"
	git -C "$T/a" pull -q --ff-only
	mkdir -p "$T/a/${f%/*}"
	echo "id: $id" >"$T/a/$f"
	git -C "$T/a" add "$f"
	git -C "$T/a" commit -qm "by hand"
	git -C "$T/a" push -q origin HEAD
	mv "$T/hook" "$BARE/hooks/pre-receive"
	git -C "$T/b" fetch -q origin
	snapshot "$T/b"
	run -2 --separate-stderr uc3 -C "$T/b" sync
	one_line_error "uc3 sync" "$f changed on origin since; set it aside with uc3 sync --reset \\(it is kept on a branch\\)"
	repo_unchanged
}

@test "uc3 sync: a commit made by hand that the hook refuses is named, and uc3 sync --reset sets it aside; later writes work" {
	setup_central
	quick_new "$T/a" satu >/dev/null
	git -C "$T/b" pull -q --ff-only
	local f=tickets/2026/11/UC3-2026-0001.yaml hand
	sed -i 's/^subject: satu/subject: satu (typo fixed)/' "$T/b/$f"
	git -C "$T/b" commit -qam "fix a typo"
	hand="$(git -C "$T/b" rev-parse --short=7 HEAD)"
	run -2 --separate-stderr quick_new "$T/b" dua
	one_line_error "uc3 new" "origin refused the push \(.*\): commit $hand \(\"fix a typo\"\), made here by hand, is not on origin; drop it with uc3 sync --reset \(it is kept on a branch\); nothing was recorded$"
	run -2 --separate-stderr uc3 -C "$T/b" sync
	one_line_error "uc3 sync" "commit $hand .*uc3 sync --reset"
	# --reset refuses while a file has edits nobody committed
	echo x >>"$T/b/$f"
	snapshot "$T/b"
	run -2 --separate-stderr uc3 -C "$T/b" sync --reset
	one_line_error "uc3 sync" "$f has uncommitted edits"
	repo_unchanged
	git -C "$T/b" checkout -q -- "$f"
	run -0 uc3 -C "$T/b" sync --reset
	matches "$output" "set aside 1 commit on uc3/set-aside/$hand; look at it with git log origin/[a-z]+\.\.uc3/set-aside/$hand"
	equal "$(git -C "$T/b" rev-parse "uc3/set-aside/$hand")" "$(git -C "$T/b" rev-parse "$hand")"
	equal "$(git -C "$T/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	equal "$(yget "$T/b/$f" subject)" satu
	# above a's block of numbers for offline use, 2 to 21
	run -0 quick_new "$T/b" dua
	equal "$output" UC3-2026-0022
	equal "$(git -C "$T/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse HEAD)"
	# a second reset with nothing to set aside keeps the first branch as it is
	run -0 uc3 -C "$T/b" sync --reset
	matches "$output" 'nothing to set aside'
	equal "$(git -C "$T/b" rev-parse "uc3/set-aside/$hand")" "$(git -C "$T/b" rev-parse "$hand")"
	# a walk-in's ticket, made offline behind a hand commit, is set aside
	# with it: its number is not given again while its branch is kept, and
	# it comes back, the same id, with git cherry-pick and uc3 sync
	git -C "$T/b" commit -q --allow-empty -m "by hand"
	central_away
	local walkin again
	walkin="$(quick_new "$T/b" walkin 2>/dev/null)"
	central_back
	run -0 uc3 -C "$T/b" sync --reset
	central_away
	again="$(quick_new "$T/b" again 2>/dev/null)"
	[ "$again" != "$walkin" ]
	git -C "$T/b" cherry-pick "$(git -C "$T/b" log --format=%H -1 --grep="^Ticket: $walkin" --branches="uc3/set-aside/*")" >/dev/null
	central_back
	run -0 uc3 -C "$T/b" sync
	equal "${lines[0]} ${lines[1]}" "sent $again: new (made offline 2026-11-27 09:00) sent $walkin: new (made offline 2026-11-27 09:00)"
	run -0 uc3 -C "$BARE" verify
}

@test "uc3 sync: ids given offline come from this clone's block: never changed, never taken by another clone" {
	setup_central
	# b's first ticket, online, sets 2 to 21 aside for b, in reserved.yaml
	quick_new "$T/b" satu >/dev/null
	equal "$(git -C "$BARE" log -1 --format='%(trailers:key=Action,valueonly)%(trailers:key=Reserved,valueonly)' | tr -d '\n')" \
		"reserveUC3-2026-0002..UC3-2026-0021"
	central_away
	at 2026-11-27T09:01:00+07:00
	local off
	off="$(quick_new "$T/b" offline 2>/dev/null)"
	equal "$off" UC3-2026-0002
	central_back
	# the other clone, online, goes above every block
	run -0 quick_new "$T/a" online
	equal "$output" UC3-2026-0022
	run -0 uc3 -C "$T/b" sync
	matches "$output" "sent $off: new"
	equal "$(git -C "$BARE" ls-tree -r --name-only HEAD tickets | grep -c "/$off.yaml")" 1
	run -0 uc3 -C "$BARE" verify
}
