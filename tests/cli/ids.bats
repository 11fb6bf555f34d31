#!/usr/bin/env bats
# Ticket ids as people say them: 42 and 0042 are this year's, 2026-42 that
# year's, the full id in any case. Every tool that takes an id reads them
# the same way (uc3_records_id).

load helper

# Two tickets received late in 2025 and three in 2026 (now: 2026-11-27).
two_years() {
	local t=2025-12-01T08:00:00+07:00
	UC3_NOW=$t init_repo
	# 2025 and 2027 get a holiday each, so that no year warns of none
	GIT_AUTHOR_DATE=$t GIT_COMMITTER_DATE=$t edit_policy 's/^  holidays:$/&\n    - {date: 2025-12-25, name: Natal}\n    - {date: 2027-01-01, name: Tahun Baru}/'
	UC3_NOW=2025-12-30T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2025-12-30T09:01:00+07:00 SUBJECT="Ijazah hilang" new_ticket >/dev/null
	new_ticket >/dev/null
	SUBJECT="Jadwal wisuda" new_ticket >/dev/null
	SUBJECT="Parkir motor" new_ticket >/dev/null
}

@test "ids: the steps, edit, attach, reopen and close --of take 2, 0002, 2026-2 and any case" {
	fixture_repo two_years
	run -0 uc3 escalate 2 -m "ke wakor"
	matches "$output" '^UC3-2026-0002: escalated staf -> wakor'
	run -0 uc3 answer uc3-2026-0002 -m "Sudah diproses."
	matches "$output" '^UC3-2026-0002: answered at wakor'
	run -0 uc3 deliver 0002
	matches "$output" '^UC3-2026-0002: delivered'
	run -0 uc3 close 2026-2 --unit "Fakultas Hukum"
	matches "$output" '^UC3-2026-0002: closed'
	run -0 uc3 reopen Uc3-2026-2 -m "requester wrote again"
	matches "$output" '^UC3-2026-0002: reopened'
	run -0 uc3 edit 2 -s "Jadwal wisuda semester genap" -m typo
	matches "$output" '^UC3-2026-0002: edited subject'
	printf 'scan\n' >"$T/surat.txt"
	run -0 uc3 attach 02 "$T/surat.txt"
	matches "$output" '^UC3-2026-0002: attached surat.txt'
	# the duplicate names the full id in its file, whatever was typed
	run -0 uc3 close 3 --as duplicate --of 1 -m "same question"
	matches "$output" '^UC3-2026-0003: closed as a duplicate of UC3-2026-0001$'
	equal "$(yget "$(ticket_path UC3-2026-0003)" duplicate_of)" UC3-2026-0001
	# last year's by its year; the messages name the full ids
	run -0 uc3 escalate 2025-1 -m "ke wakor"
	matches "$output" '^UC3-2025-0001: escalated'
	equal "$(git log -1 --format=%s)" "UC3-2025-0001: escalate staf -> wakor (staf step late)"
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "ids: uc3 show takes several ids, text with a blank line between, json one object a line" {
	fixture_repo two_years
	run -0 --separate-stderr uc3 show 1 2025-2 uc3-2026-0003
	equal "$stderr" ""
	equal "$(grep -c '^UC3-20[0-9-]*  ' <<<"$output")" 3
	matches "${lines[0]}" '^UC3-2026-0001  Pembayaran UKT'
	# the line before each later ticket's first line is blank
	python3 - "$output" <<'PY'
import sys
text = sys.argv[1].split("\n")
firsts = [i for i, l in enumerate(text) if l.startswith("UC3-20")]
assert firsts[0] == 0 and all(text[i - 1] == "" for i in firsts[1:]), firsts
assert [text[i].split()[0] for i in firsts] == ["UC3-2026-0001", "UC3-2025-0002", "UC3-2026-0003"]
PY
	run -0 --separate-stderr uc3 show --format json 2 uc3-2025-1
	equal "${#lines[@]}" 2
	equal "$(jvals "${lines[0]}" id subject)" "$(printf "UC3-2026-0002\nJadwal wisuda")"
	equal "$(jvals "${lines[1]}" id)" UC3-2025-0001
	# one unknown among them: the others are shown, the unknown named, exit 2
	run -2 --separate-stderr uc3 show --format json 1 9 2
	equal "${#lines[@]}" 2
	one_line_error "uc3 show" '^uc3 show: no ticket UC3-2026-0009$'
	# --attachment is for one ticket
	run -2 --separate-stderr uc3 show 1 2 --attachment x.txt
	equal "${stderr_lines[0]}" "uc3 show: --attachment takes one ticket id"
	equal "$output" ""
}

@test "ids: uc3 log ID takes the short forms" {
	fixture_repo two_years
	run -0 uc3 log --format json 2025-2
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert {e["ticket"] for e in a}=={"UC3-2025-0002"} and len(a)==1, a' <<<"$output"
	run -0 uc3 log --format json 3
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert {e["ticket"] for e in a}=={"UC3-2026-0003"}, a' <<<"$output"
}

@test "ids: in the first days of a year, a number only last year has is ambiguous; this year's wins once it exists" {
	fixture_repo two_years
	export UC3_NOW=2026-01-02T09:00:00+07:00
	run -2 --separate-stderr uc3 show 4
	one_line_error "uc3 show" "^uc3 show: no ticket UC3-2026-0004$"
	export UC3_NOW=2027-01-04T09:00:00+07:00
	snapshot
	run -2 --separate-stderr uc3 escalate 2 -m x
	one_line_error "uc3 escalate" "^uc3 escalate: '2' is ambiguous: this year has no UC3-2027-0002 yet, and last year's is UC3-2026-0002; for that one give 2026-2$"
	repo_unchanged
	run -0 --separate-stderr uc3 show --format json 2026-2
	equal "$(jvals "$output" id)" UC3-2026-0002
	# neither year has it: the error names this year's
	run -2 --separate-stderr uc3 show 7
	one_line_error "uc3 show" "^uc3 show: no ticket UC3-2027-0007$"
	# once 2027 has its own 0001, 1 means it
	new_ticket >/dev/null 2>&1
	run -0 --separate-stderr uc3 show --format json 1
	equal "$(jvals "$output" id)" UC3-2027-0001
}

@test "ids: what is not an id is refused by every tool, exit 2, one line, nothing changed" {
	fixture_repo two_years
	snapshot
	local bad
	for bad in abc 0 4x2 UC3-42 2026- "../../etc/passwd" "UC3-2026-0001 "; do
		run -2 --separate-stderr uc3 escalate "$bad" -m x
		one_line_error "uc3 escalate" "'.*' is not a ticket id: give its number \(42\), year and number \(2026-42\) or the whole id \(UC3-2026-0042\)$"
	done
	run -2 --separate-stderr uc3 answer XYZ-2026-1 -m x
	one_line_error "uc3 answer" "^uc3 answer: 'XYZ-2026-1' is not an id of these records: theirs start UC3-$"
	run -2 --separate-stderr uc3 close 1 --as duplicate --of nope -m x
	one_line_error "uc3 close" "^uc3 close: --of: 'nope' is not a ticket id"
	run -2 --separate-stderr uc3 close 1 --as duplicate --of 99 -m x
	one_line_error "uc3 close" "there is no ticket UC3-2026-0099"
	run -2 --separate-stderr uc3 attach abc "$BATS_TEST_FILENAME"
	one_line_error "uc3 attach" "'abc' is not a ticket id"
	run -2 --separate-stderr uc3 edit x1 -s y -m z
	one_line_error "uc3 edit" "'x1' is not a ticket id"
	run -2 --separate-stderr uc3 reopen 9 -m z
	one_line_error "uc3 reopen" "^uc3 reopen: no ticket UC3-2026-0009$"
	run -2 --separate-stderr uc3 log 1x
	one_line_error "uc3 log" "'1x' is not a ticket id"
	run -2 --separate-stderr uc3 show ''
	one_line_error "uc3 show" "'' is not a ticket id"
	repo_unchanged
}
