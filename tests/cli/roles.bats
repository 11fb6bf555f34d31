#!/usr/bin/env bats
# Who may act (DESIGN 6, 7): once the policy lists people, only the role
# holding a ticket, or one above it in the chain, may escalate or answer it;
# new, deliver and close are staf work that any listed person may do; a
# person not listed may do nothing. With people: [] nobody is checked.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml

PEOPLE='  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: humas2@unej.ac.id, name: Staf Dua, roles: [staf]}
  - {email: wakor@unej.ac.id, name: Wakil Koordinator, roles: [wakor]}
  - {email: koord@unej.ac.id, name: Koordinator, roles: [koordinator]}
  - {email: kabiro@unej.ac.id, name: Kepala Biro, roles: [kabiro]}
  - {email: rangkap@unej.ac.id, name: Rangkap Jabatan, roles: [staf, koordinator]}'

# Run the command as the person with email $1 (as git would: the author).
as() {
	local who="$1"
	shift
	GIT_AUTHOR_EMAIL="$who" GIT_AUTHOR_NAME="Petugas ${who%@*}" "$@"
}

# A repository whose policy lists $PEOPLE.
repo_with_people() {
	init_repo
	set_people <<<"$PEOPLE"
	equal "$(git show HEAD:uc3.yaml | grep -c '^  - {email: ')" 6
}

# Ticket $1 (0001, 0002...) new by staf, then escalated by the right
# people until it is held by $2.
ticket_at() {
	local id="UC3-2026-$1" lvl
	as humas1@unej.ac.id new_ticket >/dev/null
	for lvl in staf wakor koordinator kabiro; do
		[ "$lvl" = "$2" ] && return 0
		case "$lvl" in
		staf) as humas1@unej.ac.id uc3 escalate "$id" >/dev/null ;;
		wakor) as wakor@unej.ac.id uc3 escalate "$id" >/dev/null ;;
		koordinator) as koord@unej.ac.id uc3 escalate "$id" >/dev/null ;;
		esac
	done
	echo "ticket_at: no level $2" >&2
	return 1
}

# $1: the tool, $2: the ERE of its one line; the rest: the command.
# Exit 2, nothing on stdout, one line, nothing changed.
denied() {
	local tool="$1" rx="$2"
	shift 2
	snapshot
	run -2 --separate-stderr "$@"
	equal "$output" ""
	one_line_error "uc3 $tool" "$rx"
	repo_unchanged
}

@test "staf registers a ticket and escalates it from staf" {
	repo_with_people
	use_outbox
	run -0 as humas1@unej.ac.id new_ticket
	equal "$output" "$ID"
	equal "$(yget "$P" events.0.by)" humas1@unej.ac.id
	run -0 --separate-stderr as humas1@unej.ac.id uc3 escalate -m "Tidak ada di Humas." "$ID"
	matches "$output" "^UC3-2026-0001: escalated staf -> wakor"
	equal "$stderr" ""
	equal "$(yget "$P" level)" wakor
	equal "$(yget "$P" events.1.by)" humas1@unej.ac.id
	equal "$(git log -1 --format='%an <%ae>')" "Petugas humas1 <humas1@unej.ac.id>"
	# any staf, not only the one who registered it
	as humas1@unej.ac.id new_ticket >/dev/null
	run -0 as humas2@unej.ac.id uc3 escalate UC3-2026-0002
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml events.1.by)" humas2@unej.ac.id
}

@test "staf may not escalate or answer a ticket held by wakor" {
	repo_with_people
	ticket_at 0001 wakor
	denied escalate '^uc3 escalate: humas1@unej.ac.id cannot escalate UC3-2026-0001: it is held by wakor, and that needs the wakor role or one above it$' \
		as humas1@unej.ac.id uc3 escalate "$ID"
	denied answer '^uc3 answer: humas1@unej.ac.id cannot answer UC3-2026-0001: it is held by wakor, and that needs the wakor role' \
		as humas1@unej.ac.id uc3 answer -m "Jawaban staf." "$ID"
	denied answer 'cannot answer UC3-2026-0001: .*needs the wakor role' \
		as humas2@unej.ac.id uc3 answer -F - "$ID" <<<"Jawaban staf."
	equal "$(yget "$P" level)" wakor
	equal "$(yget "$P" status)" open
}

@test "answer by a role too low is refused before the editor starts" {
	repo_with_people
	ticket_at 0001 wakor
	export EDITOR="$T/editor"
	printf '#!/bin/sh\ntouch "%s/editor-ran"\necho Jawaban >"$1"\n' "$T" >"$EDITOR"
	chmod +x "$EDITOR"
	denied answer 'humas1@unej.ac.id cannot answer UC3-2026-0001' \
		as humas1@unej.ac.id with_tty uc3 answer "$ID"
	denied answer 'stranger@example\.com is not one of the people' \
		as stranger@example.com with_tty uc3 answer "$ID"
	[ ! -e "$T/editor-ran" ]
	run -0 as wakor@unej.ac.id with_tty uc3 answer "$ID"
	[ -e "$T/editor-ran" ]
	yis "$P" answer "Jawaban
"
}

@test "wakor escalates and answers a ticket it holds" {
	repo_with_people
	ticket_at 0001 wakor
	ticket_at 0002 wakor
	run -0 as wakor@unej.ac.id uc3 escalate -m "Tidak ada di Wakor." "$ID"
	matches "$output" "^UC3-2026-0001: escalated wakor -> koordinator"
	equal "$(yget "$P" events.2.by)" wakor@unej.ac.id
	run -0 as wakor@unej.ac.id uc3 answer -m "Jawaban Wakor." UC3-2026-0002
	equal "$output" "UC3-2026-0002: answered at wakor; deliver it by 2026-11-27 09:05"
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml events.2.by)" wakor@unej.ac.id
	equal "$(git log -1 --format=%ae)" wakor@unej.ac.id
}

@test "wakor may not act on a ticket held by koordinator or kabiro" {
	repo_with_people
	ticket_at 0001 koordinator
	ticket_at 0002 kabiro
	denied escalate 'wakor@unej.ac.id cannot escalate UC3-2026-0001: it is held by koordinator, and that needs the koordinator role or one above it' \
		as wakor@unej.ac.id uc3 escalate "$ID"
	denied answer 'wakor@unej.ac.id cannot answer UC3-2026-0002: it is held by kabiro, and that needs the kabiro role' \
		as wakor@unej.ac.id uc3 answer -m x UC3-2026-0002
	denied answer 'koord@unej.ac.id cannot answer UC3-2026-0002: .*kabiro' \
		as koord@unej.ac.id uc3 answer -m x UC3-2026-0002
	denied answer 'humas1@unej.ac.id cannot answer UC3-2026-0002' \
		as humas1@unej.ac.id uc3 answer -m x UC3-2026-0002
}

@test "a level above may act: kabiro answers a ticket held by wakor, koordinator escalates it" {
	repo_with_people
	ticket_at 0001 wakor
	ticket_at 0002 wakor
	ticket_at 0003 staf
	run -0 as kabiro@unej.ac.id uc3 answer -m "Jawaban Ka Biro." "$ID"
	equal "$output" "UC3-2026-0001: answered at kabiro (taken over from wakor); deliver it by 2026-11-27 09:05"
	# the answer is kabiro's; the step that ran at wakor ends taken over
	run -0 uc3 show --format json "$ID"
	equal "$(jvals "$output" level events.2.by events.2.role events.2.step.name \
		events.2.step.taken_over events.2.step.late)" \
		$'kabiro\nkabiro@unej.ac.id\nkabiro\nwakor\ntrue\nfalse'
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: answer at kabiro, taken over from wakor"
	matches "$(git log -1 --format=%B)" $'Level: kabiro\nTaken-Over-From: wakor\nStep: wakor\nLate: no'
	run -0 as koord@unej.ac.id uc3 escalate UC3-2026-0002
	matches "$output" "^UC3-2026-0002: escalated wakor -> koordinator"
	# a step above passes it on one level only
	run -0 as kabiro@unej.ac.id uc3 escalate UC3-2026-0003
	matches "$output" "^UC3-2026-0003: escalated staf -> wakor"
	equal "$(yget tickets/2026/11/UC3-2026-0003.yaml events.1.by)" kabiro@unej.ac.id
	run -0 as wakor@unej.ac.id uc3 answer -m x UC3-2026-0003
}

@test "kabiro at the top: answers what it holds; escalating is refused for the chain, not the role" {
	repo_with_people
	ticket_at 0001 kabiro
	denied escalate 'already at kabiro, the top of the chain' as kabiro@unej.ac.id uc3 escalate "$ID"
	run -0 as kabiro@unej.ac.id uc3 answer -m "Jawaban." "$ID"
	equal "$(yget "$P" events.4.by)" kabiro@unej.ac.id
}

@test "a person with two roles acts where either allows" {
	repo_with_people
	ticket_at 0001 staf
	ticket_at 0002 wakor
	ticket_at 0003 koordinator
	ticket_at 0004 kabiro
	run -0 as rangkap@unej.ac.id uc3 escalate UC3-2026-0001
	run -0 as rangkap@unej.ac.id uc3 escalate UC3-2026-0002
	run -0 as rangkap@unej.ac.id uc3 answer -m x UC3-2026-0003
	denied answer 'rangkap@unej.ac.id cannot answer UC3-2026-0004: .*kabiro' \
		as rangkap@unej.ac.id uc3 answer -m x UC3-2026-0004
}

@test "an answer is recorded in the role the person acted in: their lowest from the level up" {
	GIT_COMMITTER_DATE="$UC3_NOW" repo_with_people
	ticket_at 0001 staf
	ticket_at 0002 wakor
	ticket_at 0003 koordinator
	# staf and koordinator: at staf they answer as staf, no takeover
	run -0 as rangkap@unej.ac.id uc3 answer -m x UC3-2026-0001
	equal "$output" "UC3-2026-0001: answered at staf; deliver it by 2026-11-27 09:05"
	local json
	json="$(uc3 show --format json UC3-2026-0001)"
	equal "$(jvals "$json" level events.1.step.taken_over events.1.role)" $'staf\n-\n-'
	# at wakor, their koordinator role takes it over
	run -0 as rangkap@unej.ac.id uc3 answer -m x UC3-2026-0002
	equal "$output" "UC3-2026-0002: answered at koordinator (taken over from wakor); deliver it by 2026-11-27 09:05"
	# at koordinator it is theirs
	run -0 as rangkap@unej.ac.id uc3 answer -m x UC3-2026-0003
	equal "$output" "UC3-2026-0003: answered at koordinator; deliver it by 2026-11-27 09:05"
	# a taken-over answer is delivered and closed as any other
	run -0 as humas1@unej.ac.id uc3 deliver UC3-2026-0002
	run -0 as humas1@unej.ac.id uc3 close --unit Keuangan UC3-2026-0002
	run -0 uc3 show UC3-2026-0002
	matches "$output" "answer +rangkap@unej.ac.id  as koordinator, taken over from wakor"
	run -0 uc3 log --format json UC3-2026-0002
	matches "$output" '"action":"answer","role":"koordinator"'
	run -0 --separate-stderr uc3 verify
}

@test "verify: a takeover the policy does not allow, or one recorded without its role, is a finding" {
	GIT_COMMITTER_DATE="$UC3_NOW" repo_with_people
	ticket_at 0001 wakor
	ticket_at 0002 wakor
	run -0 as koord@unej.ac.id uc3 answer -m x UC3-2026-0001
	run -0 --separate-stderr uc3 verify
	# the same answer by wakor, written by hand as if the koordinator took it over
	as wakor@unej.ac.id uc3 answer -m y UC3-2026-0002 >/dev/null
	sed -i 's/^  action: answer$/  action: answer\n  role: koordinator/' tickets/2026/11/UC3-2026-0002.yaml
	GIT_COMMITTER_DATE="$UC3_NOW" git commit -q --amend -a --no-edit
	run -1 uc3 verify
	matches "$output" "UC3-2026-0002: the new event has a field uc3 does not write: role"
	# the koordinator's answer with its takeover taken out of the record
	git reset -q --hard HEAD~1
	as koord@unej.ac.id uc3 answer -m y UC3-2026-0002 >/dev/null
	sed -i -e '/^  role: koordinator$/d' -e '/^    taken_over: true$/d' \
		-e 's/^level: koordinator$/level: wakor/' tickets/2026/11/UC3-2026-0002.yaml
	GIT_COMMITTER_DATE="$UC3_NOW" git commit -q --amend -a --no-edit
	run -1 uc3 verify
	matches "$output" "UC3-2026-0002: level is 'wakor' where the step gives 'koordinator'"
}

@test "an email not in people is refused for every step" {
	repo_with_people
	ticket_at 0001 staf
	ticket_at 0002 staf
	as humas1@unej.ac.id uc3 answer -m x UC3-2026-0002 >/dev/null
	ticket_at 0003 staf
	as humas1@unej.ac.id uc3 answer -m x UC3-2026-0003 >/dev/null
	as humas1@unej.ac.id uc3 deliver UC3-2026-0003 >/dev/null
	local rx='stranger@example\.com is not one of the people in uc3\.yaml'
	denied escalate "^uc3 escalate: $rx" as stranger@example.com uc3 escalate UC3-2026-0001
	denied answer "^uc3 answer: $rx" as stranger@example.com uc3 answer -m x UC3-2026-0001
	denied deliver "^uc3 deliver: $rx" as stranger@example.com uc3 deliver UC3-2026-0002
	denied close "^uc3 close: $rx" as stranger@example.com uc3 close -u X UC3-2026-0003
	# the default identity of git configuration counts the same way
	git config user.email tamu@example.com
	denied escalate 'tamu@example\.com is not one of the people' uc3 escalate UC3-2026-0001
}

@test "an email not in people may not register a ticket (uc3 new)" {
	repo_with_people
	snapshot
	run -2 --separate-stderr as stranger@example.com new_ticket
	equal "$output" ""
	one_line_error "uc3 new" 'stranger@example\.com is not one of the people in uc3\.yaml'
	repo_unchanged
}

@test "every listed role may register a ticket (uc3 new)" {
	repo_with_people
	local who n=0
	for who in humas1 humas2 wakor koord kabiro rangkap; do
		run -0 as "$who@unej.ac.id" new_ticket
		n=$((n + 1))
		equal "$output" "UC3-2026-000$n"
		equal "$(yget "tickets/2026/11/$output.yaml" events.0.by)" "$who@unej.ac.id"
	done
}

@test "deliver and close by any listed person" {
	repo_with_people
	ticket_at 0001 kabiro
	ticket_at 0002 staf
	as kabiro@unej.ac.id uc3 answer -m "Jawaban." "$ID" >/dev/null
	as humas1@unej.ac.id uc3 answer -m "Jawaban." UC3-2026-0002 >/dev/null
	# the staf delivers what kabiro answered; the kabiro closes it
	run -0 as humas2@unej.ac.id uc3 deliver -m "Telepon." "$ID"
	equal "$(yget "$P" events.5.by)" humas2@unej.ac.id
	run -0 as kabiro@unej.ac.id uc3 close -u "UPT TIK" "$ID"
	equal "$(yget "$P" events.6.by)" kabiro@unej.ac.id
	equal "$(yget "$P" status)" closed
	# wakor delivers what staf answered, koordinator closes it
	run -0 as wakor@unej.ac.id uc3 deliver UC3-2026-0002
	run -0 as koord@unej.ac.id uc3 close -u Keuangan UC3-2026-0002
	equal "$(events_table tickets/2026/11/UC3-2026-0002.yaml | cut -d' ' -f1 | tr '\n' ' ')" "new answer deliver close "
	equal "$(git log -2 --format=%ae | tr '\n' ' ')" "koord@unej.ac.id wakor@unej.ac.id "
}

@test "emails are compared without regard to case" {
	repo_with_people
	ticket_at 0001 wakor
	run -0 as WAKOR@Unej.AC.id uc3 escalate "$ID"
	matches "$output" "escalated wakor -> koordinator"
	denied answer 'cannot answer' as HUMAS1@UNEJ.AC.ID uc3 answer -m x "$ID"
}

@test "the acting person is user.email of the repository, or GIT_AUTHOR_EMAIL over it" {
	repo_with_people
	ticket_at 0001 wakor
	git config user.email wakor@unej.ac.id
	git config user.name "Wakil Koordinator"
	# GIT_AUTHOR_EMAIL wins over the configuration, as in git
	denied escalate 'humas1@unej.ac.id cannot escalate' \
		env GIT_AUTHOR_EMAIL=humas1@unej.ac.id uc3 escalate "$ID"
	run -0 uc3 escalate "$ID"
	equal "$(yget "$P" events.2.by)" wakor@unej.ac.id
	equal "$(git log -1 --format='%an <%ae>')" "Wakil Koordinator <wakor@unej.ac.id>"
	# the committer's identity does not make anyone a koordinator
	denied answer 'wakor@unej.ac.id cannot answer' \
		env GIT_COMMITTER_EMAIL=koord@unej.ac.id uc3 answer -m x "$ID"
}

@test "a policy that lists people applies from its own commit on" {
	init_repo
	# single-user mode: anyone
	as stranger@example.com new_ticket >/dev/null
	run -0 as stranger@example.com uc3 escalate "$ID"
	set_people <<<"$PEOPLE"
	denied answer 'stranger@example\.com is not one of the people' \
		as stranger@example.com uc3 answer -m x "$ID"
	denied answer 'humas1@unej.ac.id cannot answer' as humas1@unej.ac.id uc3 answer -m x "$ID"
	run -0 as wakor@unej.ac.id uc3 answer -m x "$ID"
}

@test "people: [] means no checks at all" {
	init_repo
	grep -q '^people: \[\]' uc3.yaml
	run -0 as stranger@example.com new_ticket
	run -0 as stranger@example.com uc3 escalate "$ID"
	run -0 as orang.lain@example.org uc3 escalate "$ID"
	run -0 as siapa.saja@example.net uc3 escalate "$ID"
	run -0 as stranger@example.com uc3 answer -m x "$ID"
	run -0 as tamu@example.com uc3 deliver "$ID"
	run -0 as tamu2@example.com uc3 close -u "Bagian Umum" "$ID"
	equal "$(yget "$P" status)" closed
	equal "$(git log -7 --format=%ae | tr '\n' ' ')" \
		"tamu2@example.com tamu@example.com stranger@example.com siapa.saja@example.net orang.lain@example.org stranger@example.com stranger@example.com "
}

@test "roles on a bare repository, whose policy came by push" {
	init_bare
	cd "$T"
	git clone -q "$BARE" w 2>/dev/null
	cd w
	set_people <<<"$PEOPLE"
	git push -q origin HEAD 2>/dev/null
	cd "$T"
	rm -rf w
	as humas1@unej.ac.id new_ticket -C "$BARE" >/dev/null
	run -0 as humas1@unej.ac.id uc3 -C "$BARE" escalate "$ID"
	snapshot "$BARE"
	run -2 --separate-stderr as humas1@unej.ac.id uc3 escalate -C "$BARE" "$ID"
	one_line_error "uc3 escalate" 'humas1@unej.ac.id cannot escalate UC3-2026-0001: it is held by wakor'
	repo_unchanged
	run -2 --separate-stderr as stranger@example.com uc3 escalate -C "$BARE" "$ID"
	one_line_error "uc3 escalate" 'stranger@example\.com is not one of the people'
	repo_unchanged
	run -0 as wakor@unej.ac.id uc3 answer -C "$BARE" -m x "$ID"
	equal "$(yget "$(committed_ticket "$ID" "$BARE")" events.2.by)" wakor@unej.ac.id
}
