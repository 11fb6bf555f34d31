#!/usr/bin/env bats
# The central is the clock: its pre-receive hook refuses a commit dated
# away from its own clock, unless made offline or a backfill by a holder
# of central.backfill; its post-receive hook notes when such a commit
# came, and uc3 verify lists it as unconfirmed. The clients' clock is
# UC3_NOW, the hook's UC3_HOOK_NOW (test-only).

load helper

KABIRO=kabiro@unej.ac.id

# Once per file: a central repository with both hooks, and a clone that
# pushes every write to it (uc3.remote origin). Its policy lists the staf
# (the tests' git identity) and the kabiro, who holds central.backfill;
# it sets no numbers aside for offline use (sync.bats tests those).
make_central() {
	local f="$BATS_FILE_TMPDIR/fx"
	mkdir -p "$f"
	T="$f" init_repo
	sed -i 's/^  fetch_after: 1m$/  fetch_after: 1m\n  backfill: kabiro\n  offline_ids: 0/' uc3.yaml
	git add uc3.yaml
	git commit -q -m "policy: backfill"
	printf '  - {email: humas1@unej.ac.id, roles: [staf]}\n  - {email: %s, roles: [kabiro]}\n' "$KABIRO" |
		set_people
	git init -q --bare -b "$(git symbolic-ref --short HEAD)" "$f/central.git"
	git remote add origin "$f/central.git"
	git push -q origin HEAD
	git branch -q -u origin/"$(git symbolic-ref --short HEAD)"
	git config uc3.remote origin
	central_hooks "$f/central.git"
}

setup_file() {
	( cd "$BATS_FILE_TMPDIR" && export HOME="$BATS_FILE_TMPDIR/home" GIT_CONFIG_GLOBAL="$BATS_FILE_TMPDIR/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 TZ=UTC &&
		mkdir -p "$HOME" &&
		printf '[user]\n\tname = Staf Satu\n\temail = humas1@unej.ac.id\n' >"$GIT_CONFIG_GLOBAL" &&
		export PATH="$UC3_BIN:$PATH" UC3_NO_GC=1 UC3_NOW=2026-11-30T08:00:00+07:00 \
			GIT_AUTHOR_DATE=2026-11-30T08:00:00+07:00 GIT_COMMITTER_DATE=2026-11-30T08:00:00+07:00 &&
		make_central )
}

setup_central() {
	cp -a "$BATS_FILE_TMPDIR/fx/r" "$T/r"
	cp -a "$BATS_FILE_TMPDIR/fx/central.git" "$T/central.git"
	git -C "$T/r" remote set-url origin "$T/central.git"
	track_repo "$T/r"
	track_repo "$T/central.git"
	cd "$T/r"
	TIP="$(git rev-parse HEAD)"
}

# Nothing was recorded, here or on the central.
nothing_recorded() {
	equal "$(git rev-parse HEAD)" "$TIP"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$TIP"
	equal "$(git status --porcelain)" ""
}

@test "the issue's case: a client clock at 09:24, the central's at 10:30: refused, nothing recorded" {
	setup_central
	UC3_NOW=2026-12-02T09:24:00+07:00 UC3_HOOK_NOW=2026-12-02T10:30:00+07:00 \
		run -2 --separate-stderr new_ticket
	equal "$output" ""
	matches "$stderr" "cannot push to origin \\([0-9a-f]{7} UC3-2026-0001: dated 2026-12-02 09:24, 66 minutes before the central's clock, 2026-12-02 10:30; a step at a past time is a backfill"
	matches "$stderr" 'nothing was recorded$'
	nothing_recorded
}

@test "16 days ahead of the central's clock: refused; within the skew: accepted" {
	setup_central
	UC3_NOW=2026-12-18T10:30:00+07:00 UC3_HOOK_NOW=2026-12-02T10:30:00+07:00 \
		run -2 --separate-stderr new_ticket
	matches "$stderr" "cannot push to origin \\([0-9a-f]{7} UC3-2026-0001: dated 2026-12-18 10:30, 16 days after the central's clock, 2026-12-02 10:30"
	nothing_recorded
	# four minutes behind, and then four ahead: within the default skew of 5m
	UC3_NOW=2026-12-02T10:26:00+07:00 UC3_HOOK_NOW=2026-12-02T10:30:00+07:00 \
		run -0 --separate-stderr new_ticket
	equal "$output" UC3-2026-0001
	UC3_NOW=2026-12-02T10:34:00+07:00 UC3_HOOK_NOW=2026-12-02T10:30:00+07:00 \
		run -0 --separate-stderr new_ticket
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$(git rev-parse HEAD)"
	run -0 uc3 -C "$T/central.git" verify
	matches "$output" '^5 commits checked, 0 findings$'
}

@test "the hook does not read UC3_NOW: without UC3_HOOK_NOW it uses the system clock" {
	setup_central
	# a client claiming 2030 is far from any real clock
	UC3_NOW=2030-01-02T09:00:00+07:00 run -2 --separate-stderr new_ticket
	matches "$stderr" "cannot push to origin \\([0-9a-f]{7} UC3-2030-0001: dated 2030-01-02 09:00, [0-9]+ days after the central's clock"
	nothing_recorded
}

@test "a backfill by the holder of central.backfill: accepted, noted on receipt, listed as unconfirmed" {
	setup_central
	git config user.email "$KABIRO"
	UC3_BACKFILL="formulir kertas 1 Des" UC3_NOW=2026-12-01T14:00:00+07:00 \
		UC3_HOOK_NOW=2026-12-02T10:30:00+07:00 run -0 --separate-stderr new_ticket
	equal "$output" UC3-2026-0001
	equal "$(trailer Backfill)" "formulir kertas 1 Des"
	yis "$(committed_ticket UC3-2026-0001)" events.0.backfill "formulir kertas 1 Des"
	local c
	c="$(git rev-parse HEAD)"
	equal "$(git -C "$T/central.git" notes --ref=uc3-received show "$c")" "received 2026-12-02T10:30:00+07:00"
	# the central's audit: no finding, the time listed as not confirmed
	run -0 uc3 -C "$T/central.git" verify
	matches "$output" "^${c:0:7} UC3-2026-0001: time not confirmed: backfilled by $KABIRO \(formulir kertas 1 Des\), dated 2026-12-01 14:00, received 2026-12-02 10:30$"
	matches "$output" '0 findings$'
	run -0 uc3 -C "$T/central.git" verify --format json
	equal "$(jvals "$output" unconfirmed.0.why unconfirmed.0.received | tr '\n' '|')" "backfill|2026-12-02T10:30:00+07:00|"
	# a clone without the notes says it was not received yet
	run -0 uc3 verify
	matches "$output" "^${c:0:7} UC3-2026-0001: time not confirmed: .*, not received yet$"
	# and so does uc3 log, under the event; the central's own log has the receipt
	run -0 uc3 log UC3-2026-0001
	matches "$output" '^ +time not confirmed: backfilled \(formulir kertas 1 Des\), not received yet$'
	run -0 uc3 -C "$T/central.git" log --format json UC3-2026-0001
	equal "$(jvals "$output" 0.backfill 0.received | tr '\n' '|')" "formulir kertas 1 Des|2026-12-02T10:30:00+07:00|"
}

@test "a backfill by someone not holding central.backfill, or a bad UC3_BACKFILL: exit 2 before writing" {
	setup_central
	UC3_BACKFILL="formulir kertas" run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" "^uc3 new: UC3_BACKFILL: humas1@unej.ac.id does not hold the role kabiro \(central.backfill\), which records a step at a past time; nothing was recorded$"
	nothing_recorded
	git config user.email "$KABIRO"
	UC3_BACKFILL= run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" '^uc3 new: UC3_BACKFILL is empty'
	UC3_BACKFILL=$'dua\nbaris' run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" '^uc3 new: UC3_BACKFILL contains a line break'
	UC3_BACKFILL="$(printf 'x%.0s' {1..201})" run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" '^uc3 new: UC3_BACKFILL is 201 characters long; a reason has at most 200$'
	nothing_recorded
}

@test "the audit: a backfill by a non-holder is a ROLE finding, a trailer the event does not repeat a finding" {
	setup_central
	git config --unset uc3.remote
	git config user.email "$KABIRO"
	UC3_BACKFILL="formulir" new_ticket >/dev/null
	local p
	p="$(ticket_path UC3-2026-0001)"
	# the same commit by the staf: a backfill they may not write
	GIT_AUTHOR_EMAIL=humas1@unej.ac.id git commit -q --amend --no-edit --reset-author
	sed -i 's/^  by: kabiro@unej.ac.id$/  by: humas1@unej.ac.id/' "$p"
	git commit -q -a --amend --no-edit
	run -1 uc3 verify --no-cache
	matches "$output" "^[0-9a-f]{7} UC3-2026-0001: a backfill \(formulir\), but humas1@unej.ac.id does not hold the role kabiro \(central.backfill\) in the policy before it$"
	# the event's reason is not the trailer's
	git reset -q --hard "$TIP"
	UC3_BACKFILL="formulir" new_ticket >/dev/null
	sed -i 's/^  backfill: formulir$/  backfill: lain/' "$p"
	git commit -q -a --amend --no-edit
	run -1 uc3 verify --no-cache
	matches "$output" "^[0-9a-f]{7} UC3-2026-0001: the Backfill trailer says 'formulir', but event 1 says backfill: 'lain'$"
}

@test "a commit marked Offline, dated behind the central's clock: accepted and noted" {
	setup_central
	git config --unset uc3.remote
	UC3_NOW=2026-12-02T09:24:00+07:00 new_ticket >/dev/null
	# pushed an hour later as it is: refused
	UC3_HOOK_NOW=2026-12-02T10:31:00+07:00 run -1 git push origin HEAD
	matches "$output" "remote: [0-9a-f]{7} UC3-2026-0001: dated 2026-12-02 09:24, 67 minutes before the central's clock"
	# as uc3 makes it when the central cannot be reached: the trailer
	local c
	c="$(git log -1 --format=%B | git interpret-trailers --trailer 'Offline: yes' |
		GIT_AUTHOR_DATE=2026-12-02T09:24:00+07:00 GIT_COMMITTER_DATE=2026-12-02T10:29:00+07:00 \
			git commit-tree "HEAD^{tree}" -p HEAD~1)"
	git reset -q --hard "$c"
	UC3_HOOK_NOW=2026-12-02T10:31:00+07:00 run -0 git push origin HEAD
	matches "$output" "remote: ${c:0:7} UC3-2026-0001: time not confirmed: made offline, dated 2026-12-02 09:24"
	equal "$(git -C "$T/central.git" notes --ref=uc3-received show "$c")" "received 2026-12-02T10:31:00+07:00"
	run -0 uc3 -C "$T/central.git" verify
	matches "$output" "^${c:0:7} UC3-2026-0001: time not confirmed: made offline, dated 2026-12-02 09:24, received 2026-12-02 10:31$"
}
