#!/usr/bin/env bats
# Holidays (uc3-policy(5), calendar.holidays): dates and ranges, the
# default policy's 2026 list, and the warning for a year without holidays.

load helper

WARN_2027="uc3 new: warning: uc3.yaml lists no holidays for 2027 (calendar.holidays); every weekday of 2027 counts as a working day"

# The deadline of ticket $1 as uc3 show --format json gives it.
deadline_of() {
	uc3 show --format json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["deadline"])'
}

@test "the default policy: Nyepi, Idul Fitri and their cuti bersama, 18 to 24 March 2026, do not count" {
	init_repo
	# Tuesday 17 March 15:58, 5 minutes: 2 that day, 3 on Wednesday the 25th
	export UC3_NOW=2026-03-17T15:58:00+07:00
	run -0 --separate-stderr new_ticket
	equal "$stderr" ""
	equal "$(deadline_of UC3-2026-0001)" 2026-03-25T07:33:00+07:00
	# New Year's Day, a Thursday: the clock starts on Friday the 2nd
	UC3_NOW=2026-01-01T09:00:00+07:00 run -0 --separate-stderr new_ticket
	equal "$stderr" ""
	equal "$(deadline_of UC3-2026-0002)" 2026-01-02T07:35:00+07:00
	# cuti bersama of Christmas Eve, then Christmas: Monday the 28th
	UC3_NOW=2026-12-23T15:58:00+07:00 run -0 new_ticket
	equal "$(deadline_of UC3-2026-0003)" 2026-12-28T07:33:00+07:00
}

@test "a range and a named date added to the policy count as holidays; verify accepts the steps" {
	export GIT_AUTHOR_DATE="2026-11-26T08:00:00+07:00" GIT_COMMITTER_DATE="2026-11-26T08:00:00+07:00"
	init_repo
	edit_policy 's/^  holidays:$/&\n    - {from: 2026-11-30, to: 2026-12-01, name: Libur kampus}\n    - {date: 2026-12-02, name: Dies}/' \
		"policy: three closing days"
	unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
	# Friday 15:58: Monday to Wednesday are closed, due Thursday 07:33
	UC3_NOW=2026-11-27T15:58:00+07:00 new_ticket >/dev/null
	equal "$(deadline_of UC3-2026-0001)" 2026-12-03T07:33:00+07:00
	UC3_NOW=2026-12-03T07:40:00+07:00 run -0 uc3 escalate UC3-2026-0001
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-12-03 08:40; the staf step was late by 7m"
	run -0 uc3 verify
	matches "$output" ", 0 findings$"
}

@test "a year without holidays: one warning on stderr, the id alone on stdout" {
	init_repo
	export UC3_NOW=2027-01-04T09:00:00+07:00
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2027-0001"
	equal "$stderr" "$WARN_2027"
	# a step: its line on stdout, the warning after it on stderr
	run -0 --separate-stderr uc3 escalate UC3-2027-0001
	equal "$output" "UC3-2027-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2027-01-04 10:00"
	equal "$stderr" "${WARN_2027/uc3 new:/uc3 escalate:}"
	# each run says it again, once
	run -0 --separate-stderr uc3 answer -m "Jawaban." UC3-2027-0001
	equal "$stderr" "${WARN_2027/uc3 new:/uc3 answer:}"
}

@test "a year without holidays: JSON stays JSON, and several tickets give one warning" {
	init_repo
	export UC3_NOW=2027-01-04T09:00:00+07:00
	new_ticket >/dev/null 2>&1
	new_ticket >/dev/null 2>&1
	new_ticket >/dev/null 2>&1
	# the time left of three tickets, counted in 2027
	run -0 --separate-stderr uc3 list
	equal "${#lines[@]}" 4
	equal "$stderr" "${WARN_2027/uc3 new:/uc3 list:}"
	run -0 --separate-stderr uc3 show UC3-2027-0002
	matches "$output" '^  deadline +2027-01-04 09:05, 5m left$'
	equal "$stderr" "${WARN_2027/uc3 new:/uc3 show:}"
	run -1 --separate-stderr uc3 overdue --at 2027-01-04T10:00:00+07:00 --format json
	python3 -c 'import json,sys; assert len(json.loads(sys.argv[1])) == 3' "$output"
	equal "$stderr" "${WARN_2027/uc3 new:/uc3 overdue:}"
}

@test "two years without holidays: one line each, in order; a year with holidays: none" {
	init_repo
	new_ticket --received 2025-12-31T10:00:00+07:00 >/dev/null 2>&1
	# in 2027, how late the 2025 ticket is counts days of 2025, 2026 and 2027
	UC3_NOW=2027-01-04T09:00:00+07:00 run -0 --separate-stderr uc3 list
	equal "$stderr" "uc3 list: warning: uc3.yaml lists no holidays for 2025 (calendar.holidays); every weekday of 2025 counts as a working day
${WARN_2027/uc3 new:/uc3 list:}"
}

@test "no warning from verify, nor with an error, nor with hours: always" {
	init_repo
	export UC3_NOW=2027-01-04T09:00:00+07:00
	new_ticket >/dev/null 2>&1
	uc3 escalate UC3-2027-0001 >/dev/null 2>&1
	run -0 --separate-stderr uc3 verify
	equal "$stderr" ""
	# an error is its one line
	export GIT_AUTHOR_DATE="$UC3_NOW" GIT_COMMITTER_DATE="$UC3_NOW"
	edit_policy 's/^require_signed: false/require_signed: true/' "policy: signed"
	snapshot
	run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" "requires signed commits"
	repo_unchanged
	edit_policy 's/^require_signed: true/require_signed: false/' "policy: unsigned"
	# every day counts: no holidays, no warning
	python3 - <<'PY'
import re
s = open("uc3.yaml", encoding="utf-8").read()
s = re.sub(r"^  hours:\n(    .*\n)+", "  hours: always\n", s, flags=re.M)
s = re.sub(r"^  holidays:\n(    .*\n)+", "", s, flags=re.M)
open("uc3.yaml", "w", encoding="utf-8").write(s)
PY
	git commit -q -m "policy: always open" uc3.yaml
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2027-0002"
	equal "$stderr" ""
	equal "$(deadline_of UC3-2027-0002)" 2027-01-04T09:05:00+07:00
}

@test "a holiday range that ends before it starts is a policy error with its line and column" {
	init_repo
	edit_policy 's/^  holidays:$/&\n    - {from: 2026-11-30, to: 2026-11-20}/' "policy: a backward range"
	local line
	line="$(grep -n '{from: 2026-11-30' uc3.yaml | cut -d: -f1)"
	run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" "^uc3 new: uc3\.yaml:$line:30: calendar\.holidays: the range ends \(2026-11-20\) before it starts \(2026-11-30\)\$"
}
