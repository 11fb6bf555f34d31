#!/usr/bin/env bats
# The quarantine: a mail uc3 could not read waits in quarantine/ for a
# person; uc3 list and uc3 overdue say so, uc3 new --quarantined registers
# it and removes it in the same commit, uc3 verify audits both.

load helper

# Keep the file $1 in quarantine as uc3 does, with plain git: the name
# is the time (UTC) and the first 12 hex digits of its blob id, the
# message the one uc3 writes (or $2 as the message). Prints the path.
keep_by_hand() {
	local blob path msg
	blob="$(git hash-object "$1")"
	path="quarantine/${QTIME:-2026-11-27T020000Z}-${blob:0:12}.eml"
	mkdir -p quarantine
	cp "$1" "$path"
	git add "$path"
	msg="${2:-$(printf 'quarantine: a mail uc3 could not read\n\nno From address\n\nAction: quarantine\nQuarantine: %s\n' "$path")}"
	GIT_AUTHOR_DATE="$UC3_NOW" GIT_COMMITTER_DATE="$UC3_NOW" git commit -q -m "$msg"
	echo "$path"
}

unreadable() {
	printf 'this is not\x01 a mail\n' >"$T/${1:-m}.eml"
	echo "$T/${1:-m}.eml"
}

@test "uc3 list: says on stderr what waits in quarantine; its output is what it was" {
	init_repo
	new_ticket >/dev/null
	run -0 --separate-stderr uc3 list --format json
	equal "$stderr" ""
	before="$output"
	q="$(keep_by_hand "$(unreadable)")"
	run -0 --separate-stderr uc3 list --format json
	equal "$output" "$before"
	python3 -c 'import json,sys; json.loads(sys.argv[1])' "$output"
	equal "$stderr" "uc3 list: $q: a mail uc3 could not read waits since 2026-11-27T09:00:00+07:00; read it, then register it with uc3 new --quarantined $q"
	run -0 --separate-stderr uc3 list
	equal "${#lines[@]}" 2
	equal "${#stderr_lines[@]}" 1
}

@test "uc3 list: more than five waiting mails are one line with their count" {
	init_repo
	for i in 1 2 3 4 5 6; do
		QTIME="2026-11-27T0${i}0000Z" keep_by_hand "$(unreadable m$i)" >/dev/null
	done
	run -0 --separate-stderr uc3 list
	equal "$output" ""
	equal "${#stderr_lines[@]}" 1
	matches "$stderr" '^uc3 list: 6 mails uc3 could not read wait in quarantine/, the oldest since 2026-11-27T08:00:00\+07:00; '
}

@test "uc3 overdue: a waiting mail is a line of the report and exit 1; json too" {
	init_repo
	run -0 uc3 overdue
	equal "$output" ""
	q="$(keep_by_hand "$(unreadable)")"
	run -1 --separate-stderr uc3 overdue
	equal "$stderr" ""
	equal "$output" "$q: a mail uc3 could not read waits since 2026-11-27T09:00:00+07:00; read it, then register it with uc3 new --quarantined $q"
	run -1 --separate-stderr uc3 overdue --format json
	equal "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]))' "$output")" \
		"[{'quarantine': '$q', 'since': '2026-11-27T09:00:00+07:00'}]"
}

@test "uc3 new --quarantined: registers the mail and removes it in one commit" {
	init_repo
	q="$(keep_by_hand "$(unreadable)")"
	n="$(commit_count)"
	UC3_NOW=2026-11-27T09:30:00+07:00 run -0 --separate-stderr new_ticket --quarantined "$q"
	equal "$output" UC3-2026-0001
	equal "$(commit_count)" "$((n + 1))"
	equal "$(git show --format= --name-status HEAD)" "$(printf 'D\t%s\nA\ttickets/2026/11/UC3-2026-0001.yaml' "$q")"
	f="$(committed_ticket UC3-2026-0001)"
	equal "$(yget "$f" quarantined)" "$q"
	equal "$(trailer Quarantine)" "$q"
	[ ! -e "$q" ]
	[ ! -e quarantine ]
	run -0 --separate-stderr uc3 list
	equal "$stderr" ""
	run -0 uc3 show UC3-2026-0001 --format json
	matches "$output" "\"quarantined\":\"$q\""
	run -0 uc3 verify
}

@test "uc3 new --quarantined: a path that does not wait, or is no quarantine file, changes nothing" {
	init_repo
	q="$(keep_by_hand "$(unreadable)")"
	snapshot
	run -2 --separate-stderr new_ticket --quarantined quarantine/2026-11-27T010000Z-0123456789ab.eml
	one_line_error "uc3 new" '^uc3 new: quarantine/2026-11-27T010000Z-0123456789ab.eml is not waiting in quarantine \(uc3 list shows what waits\)$'
	repo_unchanged
	run -2 --separate-stderr new_ticket --quarantined uc3.yaml
	one_line_error "uc3 new" 'uc3.yaml is not a file of the quarantine'
	repo_unchanged
	run -2 --separate-stderr new_ticket --quarantined "$(printf 'quarantine/x\ny.eml')"
	one_line_error "uc3 new"
	repo_unchanged
	# registered once, it waits no more
	new_ticket --quarantined "$q" >/dev/null
	snapshot
	run -2 --separate-stderr new_ticket --quarantined "$q"
	one_line_error "uc3 new" 'is not waiting in quarantine'
	repo_unchanged
}

@test "uc3 verify: a quarantine commit uc3 did not write, and a removal without new, are findings" {
	init_repo
	q="$(keep_by_hand "$(unreadable)" "$(printf 'add a mail\n\nAction: quarantine\n')")"
	run -1 --separate-stderr uc3 verify
	matches "$output" "the message is not what uc3 writes to keep a mail"
	git rm -q "$q"
	git commit -q -m "drop it"
	run -1 --separate-stderr uc3 verify
	matches "$output" "removes $q; only uc3 new --quarantined"
	# anything else under quarantine/ is not a file of the records
	mkdir -p quarantine && echo x >quarantine/notes.txt
	git add quarantine/notes.txt && git commit -q -m notes
	run -1 --separate-stderr uc3 verify
	matches "$output" "quarantine/notes.txt is not a file of the records \(.*quarantine/NAME.eml\)"
}
