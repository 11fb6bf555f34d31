#!/usr/bin/env bats
# The SOP's steps: escalate, answer, deliver, close (DESIGN 4, 6, 7).
# Every row of the table of DESIGN section 6, on the business clock, one
# commit per step, on a work tree and on a bare repository, and two people
# stepping the same ticket at once.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml

# UC3_NOW=$1 for the command that follows.
at() {
	local when="$1"
	shift
	UC3_NOW="$when" "$@"
}

# A repository with one new ticket, received Friday 09:00 (due 09:05).
repo_with_ticket() {
	fixture_repo make_repo_with_ticket
}

make_repo_with_ticket() {
	init_repo
	new_ticket >/dev/null
}

# The work tree holds what was committed, and the last commit touched the
# ticket file alone.
one_file_commit() {
	equal "$(cat "${2:-$P}")" "$(git show "HEAD:${2:-$P}")"
	equal "$(git show --format= --name-status HEAD)" "M	${2:-$P}"
	equal "$(git rev-list --merges --count HEAD)" 0
	[ "${1:-}" = "" ] || equal "$(commit_count)" "$1"
}

@test "escalate: open at wakor, due now + 1h, the event ends the staf step" {
	repo_with_ticket
	local ev0
	ev0="$(yget "$P" events.0)"
	run -0 --separate-stderr at 2026-11-27T09:03:00+07:00 \
		uc3 escalate -m "Data pembayaran tidak ada di Humas." "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:03"
	equal "$stderr" ""
	equal "$(yget "$P" status)" open
	equal "$(yget "$P" level)" wakor
	equal "$(yget "$P" deadline)" 2026-11-27T10:03:00+07:00
	equal "$(yget "$P" events.1.at)" 2026-11-27T09:03:00+07:00
	equal "$(yget "$P" events.1.by)" humas1@unej.ac.id
	equal "$(yget "$P" events.1.action)" escalate
	equal "$(yget "$P" events.1.from)" staf
	equal "$(yget "$P" events.1.to)" wakor
	equal "$(yget "$P" events.1.note)" "Data pembayaran tidak ada di Humas."
	equal "$(yget "$P" events.1.step)" '{"due": "2026-11-27T09:05:00+07:00", "late": "false", "name": "staf"}'
	# appended: the first event is as it was, and there is no third
	equal "$(yget "$P" events.0)" "$ev0"
	run -3 yget "$P" events.2
	run -3 yget "$P" answer
	# the received time and the other fields do not move
	equal "$(yget "$P" received)" 2026-11-27T09:00:00+07:00
	equal "$(yget "$P" subject)" "Pembayaran UKT belum terverifikasi"
	one_file_commit 3
	equal "$(git log -1 --format=%B)" "UC3-2026-0001: escalate staf -> wakor

Data pembayaran tidak ada di Humas.

Ticket: UC3-2026-0001
Action: escalate
From-Level: staf
To-Level: wakor
Step: staf
Late: no
Deadline: 2026-11-27T10:03:00+07:00"
	equal "$(git log -1 --format='%an <%ae> %aI')" "Staf Satu <humas1@unej.ac.id> 2026-11-27T09:03:00+07:00"
	equal "$(git log -1 --format='%cn <%ce>')" "Staf Satu <humas1@unej.ac.id>"
}

@test "escalate without a note: no note in the event, no body in the commit" {
	repo_with_ticket
	run -0 at 2026-11-27T09:01:00+07:00 uc3 escalate "$ID"
	run -3 yget "$P" events.1.note
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: escalate staf -> wakor"
	equal "$(git log -1 --format=%b | head -1)" "Ticket: UC3-2026-0001"
	equal "$(trailer Deadline)" 2026-11-27T10:01:00+07:00
}

@test "escalate: two -m are two paragraphs of the note" {
	repo_with_ticket
	run -0 uc3 escalate -m "Paragraf satu." --message "Paragraf dua." "$ID"
	yis "$P" events.1.note "Paragraf satu.

Paragraf dua.
"
	matches "$(git log -1 --format=%b)" "^Paragraf satu\.

Paragraf dua\.

Ticket: UC3-2026-0001"
}

@test "answer: answered, the answer text, due now + deliver (5m)" {
	repo_with_ticket
	at 2026-11-27T09:03:00+07:00 uc3 escalate "$ID" >/dev/null
	run -0 --separate-stderr at 2026-11-27T09:40:00+07:00 \
		uc3 answer -m "Pembayaran sudah diverifikasi oleh Bagian Keuangan." "$ID"
	equal "$output" "UC3-2026-0001: answered at wakor; deliver it by 2026-11-27 09:45"
	equal "$stderr" ""
	equal "$(yget "$P" status)" answered
	# the level that answered keeps it
	equal "$(yget "$P" level)" wakor
	yis "$P" answer "Pembayaran sudah diverifikasi oleh Bagian Keuangan.
"
	grep -qx 'answer: |' "$P"
	equal "$(yget "$P" deadline)" 2026-11-27T09:45:00+07:00
	equal "$(yget "$P" events.2.action)" answer
	equal "$(yget "$P" events.2.at)" 2026-11-27T09:40:00+07:00
	equal "$(yget "$P" events.2.by)" humas1@unej.ac.id
	equal "$(yget "$P" events.2.step)" '{"due": "2026-11-27T10:03:00+07:00", "late": "false", "name": "wakor"}'
	run -3 yget "$P" events.2.from
	run -3 yget "$P" events.2.to
	run -3 yget "$P" events.3
	one_file_commit 4
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: answer at wakor"
	equal "$(trailer Ticket)" "$ID"
	equal "$(trailer Action)" answer
	equal "$(trailer Level)" wakor
	equal "$(trailer Step)" wakor
	equal "$(trailer Late)" no
	equal "$(trailer Deadline)" 2026-11-27T09:45:00+07:00
	equal "$(trailer From-Level)" ""
	equal "$(trailer To-Level)" ""
}

@test "deliver: delivered, due now + archive (5m), the note kept" {
	repo_with_ticket
	at 2026-11-27T09:03:00+07:00 uc3 escalate "$ID" >/dev/null
	at 2026-11-27T09:40:00+07:00 uc3 answer -m "Jawaban." "$ID" >/dev/null
	run -0 --separate-stderr at 2026-11-27T09:44:00+07:00 \
		uc3 deliver -m "Disampaikan lewat telepon." "$ID"
	equal "$output" "UC3-2026-0001: delivered; archive it by 2026-11-27 09:49"
	equal "$stderr" ""
	equal "$(yget "$P" status)" delivered
	equal "$(yget "$P" deadline)" 2026-11-27T09:49:00+07:00
	equal "$(yget "$P" events.3.action)" deliver
	equal "$(yget "$P" events.3.at)" 2026-11-27T09:44:00+07:00
	equal "$(yget "$P" events.3.note)" "Disampaikan lewat telepon."
	equal "$(yget "$P" events.3.step)" '{"due": "2026-11-27T09:45:00+07:00", "late": "false", "name": "deliver"}'
	yis "$P" answer "Jawaban.
"
	one_file_commit 5
	equal "$(git log -1 --format=%B)" "UC3-2026-0001: deliver

Disampaikan lewat telepon.

Ticket: UC3-2026-0001
Action: deliver
Step: deliver
Late: no
Deadline: 2026-11-27T09:49:00+07:00"
}

@test "close --unit: closed, no deadline, the unit set; the whole path in order" {
	repo_with_ticket
	at 2026-11-27T09:03:00+07:00 uc3 escalate "$ID" >/dev/null
	at 2026-11-27T09:40:00+07:00 uc3 answer -m "Jawaban." "$ID" >/dev/null
	at 2026-11-27T09:44:00+07:00 uc3 deliver "$ID" >/dev/null
	run -3 yget "$P" unit
	run -0 --separate-stderr at 2026-11-27T09:47:00+07:00 uc3 close --unit "Bagian Keuangan" "$ID"
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Keuangan)"
	equal "$stderr" ""
	equal "$(yget "$P" status)" closed
	equal "$(yget "$P" unit)" "Bagian Keuangan"
	run -3 yget "$P" deadline
	equal "$(yget "$P" events.4.action)" close
	equal "$(yget "$P" events.4.at)" 2026-11-27T09:47:00+07:00
	equal "$(yget "$P" events.4.step)" '{"due": "2026-11-27T09:49:00+07:00", "late": "false", "name": "archive"}'
	run -3 yget "$P" events.5
	one_file_commit 6
	equal "$(git log -1 --format=%B)" "UC3-2026-0001: close

Ticket: UC3-2026-0001
Action: close
Step: archive
Late: no
Unit: Bagian Keuangan"
	equal "$(trailer Deadline)" ""
	# the key order of DESIGN 4, unit in its place
	equal "$(grep -o '^[a-z]*:' "$P" | tr -d : | tr '\n' ' ')" \
		"id subject kind channel requester unit received status level body answer events "
	# one commit per step, in order
	equal "$(git log --format='%(trailers:key=Action,valueonly,separator=)' | tr '\n' ' ')" \
		"close deliver answer escalate new init "
	equal "$(events_table "$P")" "new ->- step=- - -
escalate staf>wakor step=staf 2026-11-27T09:05:00+07:00 false
answer ->- step=wakor 2026-11-27T10:03:00+07:00 false
deliver ->- step=deliver 2026-11-27T09:45:00+07:00 false
close ->- step=archive 2026-11-27T09:49:00+07:00 false"
}

@test "answered at the front desk: new -> answer by staf -> deliver -> close" {
	repo_with_ticket
	run -0 at 2026-11-27T09:02:00+07:00 uc3 answer -m "Jadwal wisuda 12 Desember." "$ID"
	equal "$output" "UC3-2026-0001: answered at staf; deliver it by 2026-11-27 09:07"
	equal "$(yget "$P" level)" staf
	equal "$(yget "$P" events.1.step)" '{"due": "2026-11-27T09:05:00+07:00", "late": "false", "name": "staf"}'
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: answer at staf"
	equal "$(trailer Level)" staf
	equal "$(trailer Step)" staf
	run -0 at 2026-11-27T09:05:00+07:00 uc3 deliver "$ID"
	equal "$output" "UC3-2026-0001: delivered; archive it by 2026-11-27 09:10"
	run -0 at 2026-11-27T09:08:00+07:00 uc3 close -u "Bagian Akademik" "$ID"
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Akademik)"
	one_file_commit 5
	equal "$(events_table "$P")" "new ->- step=- - -
answer ->- step=staf 2026-11-27T09:05:00+07:00 false
deliver ->- step=deliver 2026-11-27T09:07:00+07:00 false
close ->- step=archive 2026-11-27T09:10:00+07:00 false"
	equal "$(git log --format='%(trailers:key=Action,valueonly,separator=)' | tr '\n' ' ')" \
		"close deliver answer new init "
}

@test "the worst case: every level escalates, each step at its deadline, 3h45m in all, none late" {
	repo_with_ticket
	run -0 at 2026-11-27T09:05:00+07:00 uc3 escalate -m "Tidak ada di Humas." "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:05"
	run -0 at 2026-11-27T10:05:00+07:00 uc3 escalate -m "Tidak ada di Wakor." "$ID"
	equal "$output" "UC3-2026-0001: escalated wakor -> koordinator (Koordinator PKIH), due 2026-11-27 12:05"
	run -0 at 2026-11-27T12:05:00+07:00 uc3 escalate -m "Tidak ada di Koordinator." "$ID"
	equal "$output" "UC3-2026-0001: escalated koordinator -> kabiro (Kepala Biro III), due 2026-11-27 12:35"
	run -0 at 2026-11-27T12:35:00+07:00 uc3 answer -m "Jawaban Ka Biro III." "$ID"
	equal "$output" "UC3-2026-0001: answered at kabiro; deliver it by 2026-11-27 12:40"
	run -0 at 2026-11-27T12:40:00+07:00 uc3 deliver "$ID"
	equal "$output" "UC3-2026-0001: delivered; archive it by 2026-11-27 12:45"
	run -0 at 2026-11-27T12:45:00+07:00 uc3 close --unit "UPT TIK" "$ID"
	equal "$output" "UC3-2026-0001: closed and archived (unit: UPT TIK)"
	# from receipt (09:00) to archive (12:45): 3 h 45 min
	equal "$(yget "$P" events.6.at)" 2026-11-27T12:45:00+07:00
	equal "$(yget "$P" level)" kabiro
	equal "$(events_table "$P")" "new ->- step=- - -
escalate staf>wakor step=staf 2026-11-27T09:05:00+07:00 false
escalate wakor>koordinator step=wakor 2026-11-27T10:05:00+07:00 false
escalate koordinator>kabiro step=koordinator 2026-11-27T12:05:00+07:00 false
answer ->- step=kabiro 2026-11-27T12:35:00+07:00 false
deliver ->- step=deliver 2026-11-27T12:40:00+07:00 false
close ->- step=archive 2026-11-27T12:45:00+07:00 false"
	# exactly one commit per step, each touching the ticket alone
	equal "$(commit_count)" 8
	local c
	for c in $(git rev-list -6 HEAD); do
		equal "$(git diff-tree --no-commit-id --name-only -r "$c")" "$P"
	done
	equal "$(git log -6 --format='%s|%(trailers:key=Ticket,valueonly,separator=)|%(trailers:key=Action,valueonly,separator=)|%(trailers:key=From-Level,valueonly,separator=)|%(trailers:key=To-Level,valueonly,separator=)|%(trailers:key=Level,valueonly,separator=)|%(trailers:key=Step,valueonly,separator=)|%(trailers:key=Late,valueonly,separator=)|%(trailers:key=Deadline,valueonly,separator=)|%(trailers:key=Unit,valueonly,separator=)')" \
		"UC3-2026-0001: close|UC3-2026-0001|close||||archive|no||UPT TIK
UC3-2026-0001: deliver|UC3-2026-0001|deliver||||deliver|no|2026-11-27T12:45:00+07:00|
UC3-2026-0001: answer at kabiro|UC3-2026-0001|answer|||kabiro|kabiro|no|2026-11-27T12:40:00+07:00|
UC3-2026-0001: escalate koordinator -> kabiro|UC3-2026-0001|escalate|koordinator|kabiro||koordinator|no|2026-11-27T12:35:00+07:00|
UC3-2026-0001: escalate wakor -> koordinator|UC3-2026-0001|escalate|wakor|koordinator||wakor|no|2026-11-27T12:05:00+07:00|
UC3-2026-0001: escalate staf -> wakor|UC3-2026-0001|escalate|staf|wakor||staf|no|2026-11-27T10:05:00+07:00|"
	# the notes are in the commit bodies
	equal "$(git log -1 --format=%b HEAD~3 | head -1)" "Tidak ada di Koordinator."
	equal "$(git log --format=%aI -6 | tr '\n' ' ')" \
		"2026-11-27T12:45:00+07:00 2026-11-27T12:40:00+07:00 2026-11-27T12:35:00+07:00 2026-11-27T12:05:00+07:00 2026-11-27T10:05:00+07:00 2026-11-27T09:05:00+07:00 "
}

@test "late steps: late: true in the event, 'late' in the summary line and the commit subject" {
	repo_with_ticket
	# one second past 09:05 is late
	run -0 --separate-stderr at 2026-11-27T09:05:01+07:00 uc3 escalate "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:05; the staf step was late by <1m"
	equal "$stderr" ""
	equal "$(yget "$P" events.1.step.late)" true
	equal "$(yget "$P" events.1.step.due)" 2026-11-27T09:05:00+07:00
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: escalate staf -> wakor (staf step late)"
	equal "$(trailer Late)" yes
	equal "$(trailer Step)" staf
	run -0 at 2026-11-27T11:00:00+07:00 uc3 answer -m "Jawaban." "$ID"
	equal "$output" "UC3-2026-0001: answered at wakor; deliver it by 2026-11-27 11:05; the wakor step was late by 54m"
	equal "$(yget "$P" events.2.step.late)" true
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: answer at wakor (wakor step late)"
	equal "$(trailer Late)" yes
	run -0 at 2026-11-27T11:06:00+07:00 uc3 deliver "$ID"
	equal "$output" "UC3-2026-0001: delivered; archive it by 2026-11-27 11:11; the deliver step was late by 1m"
	equal "$(yget "$P" events.3.step.late)" true
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: deliver (deliver step late)"
	run -0 at 2026-11-27T11:12:00+07:00 uc3 close -u Keuangan "$ID"
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Keuangan); the archive step was late by 1m"
	equal "$(yget "$P" events.4.step.late)" true
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: close (archive step late)"
	equal "$(trailer Late)" yes
	equal "$(git log -4 --format='%(trailers:key=Late,valueonly,separator=)' | tr '\n' ' ')" "yes yes yes yes "
}

# Assert that the word $1 is not in the string $2 ("escalated" does not count).
no_word() {
	if grep -qw -- "$1" <<<"$2"; then
		printf 'the word "%s" is in:\n%s\n' "$1" "$2" >&2
		return 1
	fi
}

@test "a step on time: late: false, and no 'late' anywhere" {
	repo_with_ticket
	run -0 at 2026-11-27T09:04:59+07:00 uc3 escalate "$ID"
	equal "$(yget "$P" events.1.step.late)" false
	no_word late "$output"
	no_word late "$(git log -1 --format=%s)"
	equal "$(trailer Late)" no
	run -0 at 2026-11-27T10:04:59+07:00 uc3 answer -m x "$ID"
	equal "$(yget "$P" events.2.step.late)" false
	no_word late "$output"
	no_word late "$(git log -1 --format=%s)"
}

@test "a ticket registered after it came in (--received): the staf step runs from receipt" {
	init_repo
	new_ticket --received 2026-11-27T08:00:00+07:00 >/dev/null
	equal "$(yget "$P" deadline)" 2026-11-27T08:05:00+07:00
	run -0 uc3 escalate "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:00; the staf step was late by 55m"
	equal "$(yget "$P" events.1.step)" '{"due": "2026-11-27T08:05:00+07:00", "late": "true", "name": "staf"}'
}

@test "times are written in the policy's zone, whatever the zone of UC3_NOW" {
	repo_with_ticket
	run -0 at 2026-11-27T02:03:00Z uc3 escalate "$ID"
	equal "$(yget "$P" events.1.at)" 2026-11-27T09:03:00+07:00
	equal "$(yget "$P" deadline)" 2026-11-27T10:03:00+07:00
	equal "$(git log -1 --format=%aI)" 2026-11-27T09:03:00+07:00
	TZ=America/New_York run -0 at 2026-11-26T21:10:00-05:00 uc3 answer -m x "$ID"
	equal "$(yget "$P" events.2.at)" 2026-11-27T09:10:00+07:00
	equal "$output" "UC3-2026-0001: answered at wakor; deliver it by 2026-11-27 09:15"
}

@test "an earlier late step does not make the next summary say late" {
	repo_with_ticket
	run -0 at 2026-11-27T09:30:00+07:00 uc3 escalate "$ID"
	matches "$output" "the staf step was late by 25m$"
	run -0 at 2026-11-27T09:45:00+07:00 uc3 answer -m x "$ID"
	equal "$output" "UC3-2026-0001: answered at wakor; deliver it by 2026-11-27 09:50"
	equal "$(yget "$P" events.2.step.late)" false
}

@test "the clock across the weekend: escalate Friday 15:30, wakor due Monday 08:00" {
	init_repo
	export UC3_NOW=2026-11-27T15:28:00+07:00
	new_ticket >/dev/null
	equal "$(yget "$P" deadline)" 2026-11-27T15:33:00+07:00
	run -0 at 2026-11-27T15:30:00+07:00 uc3 escalate "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-30 08:00"
	equal "$(yget "$P" deadline)" 2026-11-30T08:00:00+07:00
	equal "$(trailer Deadline)" 2026-11-30T08:00:00+07:00
	equal "$(yget "$P" events.1.step.late)" false
	# answered Friday 15:58: 2 minutes on Friday, 3 on Monday
	run -0 at 2026-11-27T15:58:00+07:00 uc3 answer -m x "$ID"
	equal "$(yget "$P" deadline)" 2026-11-30T07:33:00+07:00
	# delivered on Monday within the time: on time
	run -0 at 2026-11-30T07:32:00+07:00 uc3 deliver "$ID"
	equal "$(yget "$P" events.3.step.late)" false
	equal "$(yget "$P" deadline)" 2026-11-30T07:37:00+07:00
}

@test "a step done on Saturday: late, and the next clock starts on Monday 07:30" {
	repo_with_ticket
	run -0 at 2026-11-28T10:00:00+07:00 uc3 escalate "$ID"
	equal "$(yget "$P" deadline)" 2026-11-30T08:30:00+07:00
	equal "$(yget "$P" events.1.at)" 2026-11-28T10:00:00+07:00
	equal "$(yget "$P" events.1.step.late)" true
	# and before office hours on Monday: the clock starts at 07:30
	run -0 at 2026-11-30T06:00:00+07:00 uc3 answer -m x "$ID"
	equal "$(yget "$P" deadline)" 2026-11-30T07:35:00+07:00
	equal "$(yget "$P" events.2.step.late)" false
}

@test "the clock across a holiday: Monday 2026-11-30 off, wakor due Tuesday 08:00" {
	init_repo
	edit_policy 's/^  holidays:$/&\n    - 2026-11-30/' "policy: 30 November is a holiday"
	export UC3_NOW=2026-11-27T15:28:00+07:00
	new_ticket >/dev/null
	run -0 at 2026-11-27T15:30:00+07:00 uc3 escalate "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-12-01 08:00"
	equal "$(yget "$P" deadline)" 2026-12-01T08:00:00+07:00
	equal "$(trailer Deadline)" 2026-12-01T08:00:00+07:00
	# a step done on the holiday itself counts from Tuesday 07:30
	run -0 at 2026-11-30T10:00:00+07:00 uc3 answer -m x "$ID"
	equal "$(yget "$P" deadline)" 2026-12-01T07:35:00+07:00
	equal "$(yget "$P" events.2.step.late)" false
}

@test "the clock across a lunch break: 11:30 + 1h is 13:30" {
	init_repo
	edit_policy 's/^\(    [a-z][a-z][a-z]\): 07:30-16:00$/\1: 07:30-12:00,13:00-16:00/' "policy: lunch break"
	export UC3_NOW=2026-11-27T11:28:00+07:00
	new_ticket >/dev/null
	run -0 at 2026-11-27T11:30:00+07:00 uc3 escalate "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 13:30"
	equal "$(yget "$P" deadline)" 2026-11-27T13:30:00+07:00
	# answered at 11:58: 2 minutes before lunch, 3 after
	run -0 at 2026-11-27T11:58:00+07:00 uc3 answer -m x "$ID"
	equal "$(yget "$P" deadline)" 2026-11-27T13:03:00+07:00
	# delivered during lunch: the step is not late, the clock waits for 13:00
	run -0 at 2026-11-27T12:30:00+07:00 uc3 deliver "$ID"
	equal "$(yget "$P" events.3.step.late)" false
	equal "$(yget "$P" deadline)" 2026-11-27T13:05:00+07:00
	# a ticket received at 11:58 is due at 13:03
	UC3_NOW=2026-11-27T11:58:00+07:00 new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml deadline)" 2026-11-27T13:03:00+07:00
}

@test "close: the unit given at new is kept; --unit and -u set it" {
	init_repo
	new_ticket -u "Bagian Keuangan" >/dev/null
	new_ticket -u "Bagian Keuangan" >/dev/null
	new_ticket >/dev/null
	local id
	for id in UC3-2026-0001 UC3-2026-0002 UC3-2026-0003; do
		uc3 answer -m x "$id" >/dev/null
		uc3 deliver "$id" >/dev/null
	done
	run -0 uc3 close UC3-2026-0001
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Keuangan)"
	equal "$(yget "$P" unit)" "Bagian Keuangan"
	equal "$(trailer Unit)" "Bagian Keuangan"
	# --unit replaces the unit that was there
	run -0 uc3 close --unit "Fakultas Teknik" UC3-2026-0002
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml unit)" "Fakultas Teknik"
	equal "$(trailer Unit)" "Fakultas Teknik"
	run -0 uc3 close -u "LP2M" UC3-2026-0003
	equal "$(yget tickets/2026/11/UC3-2026-0003.yaml unit)" "LP2M"
	# the unit keeps its place in the file
	equal "$(grep -o '^[a-z]*:' tickets/2026/11/UC3-2026-0003.yaml | tr -d : | tr '\n' ' ')" \
		"id subject kind channel requester unit received status level body answer events "
}

@test "close --unit: blanks around the unit go" {
	repo_with_ticket
	uc3 answer -m x "$ID" >/dev/null
	uc3 deliver "$ID" >/dev/null
	run -0 uc3 close --unit "  Bagian Keuangan  " "$ID"
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Keuangan)"
	equal "$(yget "$P" unit)" "Bagian Keuangan"
	equal "$(trailer Unit)" "Bagian Keuangan"
}

@test "answer text from -m twice: two paragraphs" {
	repo_with_ticket
	run -0 uc3 answer -m "Paragraf satu." --message "Paragraf dua." "$ID"
	yis "$P" answer "Paragraf satu.

Paragraf dua.
"
}

@test "answer text from -F FILE and --file FILE" {
	init_repo
	new_ticket >/dev/null
	new_ticket >/dev/null
	printf 'Baris satu.\r\nBaris dua.   \n\n\n' >"$T/answer.txt"
	run -0 uc3 answer -F "$T/answer.txt" "$ID"
	yis "$P" answer "Baris satu.
Baris dua.
"
	run -0 uc3 answer --file "$T/answer.txt" UC3-2026-0002
	yis tickets/2026/11/UC3-2026-0002.yaml answer "Baris satu.
Baris dua.
"
}

@test "answer text from standard input: -F - and a pipe" {
	init_repo
	new_ticket >/dev/null
	new_ticket >/dev/null
	run -0 uc3 answer -F - "$ID" <<<"Dari -F -"
	yis "$P" answer "Dari -F -
"
	run -0 --separate-stderr bash -c 'printf "Dari pipa\nbaris dua\n" | uc3 answer UC3-2026-0002'
	equal "$output" "UC3-2026-0002: answered at staf; deliver it by 2026-11-27 09:05"
	equal "$stderr" ""
	yis tickets/2026/11/UC3-2026-0002.yaml answer "Dari pipa
baris dua
"
}

write_editor() {
	# $1: the script's name; the rest: the lines it puts above the template
	local f="$T/$1"
	shift
	{
		echo '#!/bin/sh'
		echo 'cp "$1" "$(dirname "$0")/seen-template"'
		echo 'echo "$1" >"$(dirname "$0")/seen-path"'
		printf "{ printf '%%s\\\\n'"
		printf " '%s'" "$@"
		echo '; cat "$1"; } >"$1.tmp" && mv "$1.tmp" "$1"'
	} >"$f"
	chmod +x "$f"
	echo "$f"
}

@test "answer text from the editor on a terminal: '#' lines stripped, the template names the ticket" {
	repo_with_ticket
	export EDITOR
	EDITOR="$(write_editor ed.sh 'Jawaban dari editor.' '# catatan petugas' 'Baris kedua.')"
	run -0 --separate-stderr with_tty uc3 answer "$ID"
	equal "$output" "UC3-2026-0001: answered at staf; deliver it by 2026-11-27 09:05"
	equal "$stderr" ""
	yis "$P" answer "Jawaban dari editor.
Baris kedua.
"
	grep -q "^# .*UC3-2026-0001" "$T/seen-template"
	# the editor's file does not outlive the command
	[ ! -e "$(cat "$T/seen-path")" ]
	equal "$(find .git/uc3 -name 'EDIT-*' | wc -l)" 0
}

@test "an editor that leaves only comments, or fails, aborts the answer: exit 2, nothing written" {
	repo_with_ticket
	snapshot
	export EDITOR=true
	run -2 --separate-stderr with_tty uc3 answer "$ID"
	equal "$output" ""
	one_line_error "uc3 answer" "empty"
	repo_unchanged
	EDITOR=false run -2 --separate-stderr with_tty uc3 answer "$ID"
	equal "$output" ""
	one_line_error "uc3 answer" "editor"
	repo_unchanged
	equal "$(find .git/uc3 -name 'EDIT-*' | wc -l)" 0
}

@test "the steps through the dispatcher, with -C from elsewhere and UC3_DIR" {
	repo_with_ticket
	cd "$T"
	run -0 uc3 -C r escalate "$ID"
	matches "$output" "^UC3-2026-0001: escalated staf -> wakor"
	run -0 uc3-answer -C r -m x "$ID"
	matches "$output" "^UC3-2026-0001: answered at wakor"
	UC3_DIR="$T/r" run -0 uc3 deliver "$ID"
	matches "$output" "^UC3-2026-0001: delivered"
	run -0 uc3 close -C r -u "Bagian Umum" "$ID"
	equal "$(yget r/$P status)" closed
	equal "$(commit_count r)" 6
	[ ! -e tickets ]
}

@test "a bare repository: the whole path with -C" {
	init_bare
	cd "$T"
	run -0 new_ticket -C "$BARE"
	equal "$output" "$ID"
	run -0 --separate-stderr at 2026-11-27T09:03:00+07:00 uc3 escalate -C "$BARE" -m "Tidak ada." "$ID"
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:03"
	equal "$stderr" ""
	run -0 at 2026-11-27T09:04:00+07:00 uc3 -C "$BARE" escalate "$ID"
	equal "$output" "UC3-2026-0001: escalated wakor -> koordinator (Koordinator PKIH), due 2026-11-27 11:04"
	run -0 --separate-stderr at 2026-11-27T09:10:00+07:00 uc3 answer -C "$BARE" -F - "$ID" <<<"Jawaban koordinator."
	equal "$output" "UC3-2026-0001: answered at koordinator; deliver it by 2026-11-27 09:15"
	run -0 at 2026-11-27T09:12:00+07:00 uc3 deliver -C "$BARE" -m "Lewat email." "$ID"
	equal "$output" "UC3-2026-0001: delivered; archive it by 2026-11-27 09:17"
	run -0 at 2026-11-27T09:20:00+07:00 uc3 close -C "$BARE" --unit "Bagian Keuangan" "$ID"
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Keuangan); the archive step was late by 3m"
	local f
	f="$(committed_ticket "$ID" "$BARE")"
	equal "$(yget "$f" status)" closed
	equal "$(yget "$f" level)" koordinator
	equal "$(yget "$f" unit)" "Bagian Keuangan"
	yis "$f" answer "Jawaban koordinator.
"
	run -3 yget "$f" deadline
	equal "$(events_table "$f")" "new ->- step=- - -
escalate staf>wakor step=staf 2026-11-27T09:05:00+07:00 false
escalate wakor>koordinator step=wakor 2026-11-27T10:03:00+07:00 false
answer ->- step=koordinator 2026-11-27T11:04:00+07:00 false
deliver ->- step=deliver 2026-11-27T09:15:00+07:00 false
close ->- step=archive 2026-11-27T09:17:00+07:00 true"
	equal "$(commit_count "$BARE")" 7
	equal "$(git -C "$BARE" log --format='%(trailers:key=Action,valueonly,separator=)' | tr '\n' ' ')" \
		"close deliver answer escalate escalate new init "
	equal "$(trailer Unit HEAD "$BARE")" "Bagian Keuangan"
	equal "$(git -C "$BARE" log -1 --format=%s HEAD~3)" "UC3-2026-0001: escalate wakor -> koordinator"
	# nothing was written beside the repository's own files
	[ ! -e "$BARE/tickets" ]
	[ ! -e "$T/tickets" ]
}

@test "a bare repository: UC3_DIR, and the editor for the answer" {
	init_bare
	cd "$T"
	new_ticket -C "$BARE" >/dev/null
	export EDITOR
	EDITOR="$(write_editor ed.sh 'Jawaban lewat editor.')"
	UC3_DIR="$BARE" run -0 --separate-stderr with_tty uc3 answer "$ID"
	equal "$output" "UC3-2026-0001: answered at staf; deliver it by 2026-11-27 09:05"
	equal "$stderr" ""
	yis "$(committed_ticket "$ID" "$BARE")" answer "Jawaban lewat editor.
"
	[ ! -e "$(cat "$T/seen-path")" ]
	UC3_DIR="$BARE" run -0 uc3 deliver "$ID"
	UC3_DIR="$BARE" run -0 uc3 close -u "Bagian Umum" "$ID"
	equal "$(commit_count "$BARE")" 5
}

# --- Two people stepping the same ticket at once ------------------------

# Run "uc3 escalate -C $1 -m $n $ID" as two background processes n = a, b;
# their stdout, stderr and exit status go to $T/{out,err,rc}.{a,b}.
two_escalations() {
	local n
	for n in a b; do
		(
			rc=0
			timeout 60 uc3 escalate -C "$1" -m "Dari $n." "$ID" >"$T/out.$n" 2>"$T/err.$n" 9>&- || rc=$?
			echo $rc >"$T/rc.$n"
		) 9>&- &
	done
}

# Exactly one of a and b escalated the ticket of repo $1; the other exited
# 2 with one line saying so, and recorded nothing.
one_escalation() {
	local d="$1" won lost f
	wait
	if [ "$(cat "$T/rc.a")" = 0 ]; then won=a lost=b; else won=b lost=a; fi
	equal "$(cat "$T/rc.$won")" 0
	equal "$(cat "$T/rc.$lost")" 2
	matches "$(cat "$T/out.$won")" "^UC3-2026-0001: escalated staf -> wakor"
	equal "$(cat "$T/err.$won")" ""
	equal "$(cat "$T/out.$lost")" ""
	equal "$(wc -l <"$T/err.$lost")" 1
	matches "$(cat "$T/err.$lost")" "^uc3 escalate: UC3-2026-0001 (changed while this command ran|is already)"
	# one escalation, one new commit: never a double step
	equal "$(commit_count "$d")" 3
	f="$(committed_ticket "$ID" "$d")"
	equal "$(yget "$f" level)" wakor
	equal "$(grep -c '^  action: escalate$' "$f")" 1
	equal "$(yget "$f" events.1.note)" "Dari $won."
	run -3 yget "$f" events.2
	equal "$(git -C "$d" log -1 --format='%(trailers:key=Action,valueonly,separator=)')" escalate
}

@test "two escalations of one ticket at once, with a work tree: one recorded, the other refused" {
	repo_with_ticket
	cd "$T"
	local lock="$T/r/.git/uc3/write.lock" n=0
	[ -e "$lock" ]
	# Hold the writers' lock, so that both read the ticket before either
	# writes; then let them go together.
	exec 9>>"$lock"
	flock 9
	two_escalations "$T/r"
	while [ "$(flock_waiters "$lock")" -lt 2 ] && [ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	equal "$(flock_waiters "$lock")" 2
	flock -u 9
	exec 9>&-
	one_escalation "$T/r"
	equal "$(cat "$T/r/$P")" "$(git -C "$T/r" show "HEAD:$P")"
}

@test "two escalations of one ticket at once, in a bare repository: one recorded, the other refused" {
	init_bare
	cd "$T"
	new_ticket -C "$BARE" >/dev/null
	local ref n=0
	ref="$(git -C "$BARE" symbolic-ref HEAD)"
	# Lock the branch as git does while moving it: both writers build their
	# commit on the same tip and retry; then let them go together.
	: >"$BARE/$ref.lock"
	two_escalations "$BARE"
	while [ "$(git -C "$BARE" cat-file --batch-all-objects --batch-check | grep -c ' commit ')" -lt 4 ] &&
		[ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	# init, new, and the commits of a and b, not yet on the branch
	equal "$(git -C "$BARE" cat-file --batch-all-objects --batch-check | grep -c ' commit ')" 4
	equal "$(commit_count "$BARE")" 2
	rm "$BARE/$ref.lock"
	one_escalation "$BARE"
}

# Free races: whatever the order, no step is recorded twice, and each
# command either recorded its step or said why not.
free_race() {
	local d="$1" f ok=0 n
	two_escalations "$d"
	wait
	for n in a b; do
		case "$(cat "$T/rc.$n")" in
		0)
			ok=$((ok + 1))
			equal "$(cat "$T/err.$n")" ""
			;;
		2)
			equal "$(wc -l <"$T/err.$n")" 1
			matches "$(cat "$T/err.$n")" "^uc3 escalate: UC3-2026-0001 (changed while this command ran|is already)"
			;;
		*)
			echo "writer $n exited $(cat "$T/rc.$n")" >&2
			cat "$T/err.$n" >&2
			return 1
			;;
		esac
	done
	[ $ok -ge 1 ]
	equal "$(commit_count "$d")" $((2 + ok))
	f="$(committed_ticket "$ID" "$d")"
	equal "$(grep -c '^  action: escalate$' "$f")" "$ok"
	# each level passed the ticket on once at most
	equal "$(grep '^  from: ' "$f" | sort | uniq -d)" ""
	if [ $ok = 1 ]; then
		equal "$(yget "$f" level)" wakor
	else
		# one after the other: the second found it at wakor
		equal "$(yget "$f" level)" koordinator
	fi
}

@test "free races of two escalations, with a work tree and bare" {
	repo_with_ticket
	init_bare
	cd "$T"
	new_ticket -C "$BARE" >/dev/null
	free_race "$T/r"
	free_race "$BARE"
}

# Start "uc3 answer $ID" in repo $1 with a slow editor in the background;
# returns once the editor has the text. Sets APID.
answer_in_editor() {
	EDITOR="$(slow_editor a 'Jawaban A.')" UC3_DIR="$1" \
		with_tty uc3 answer "$ID" >"$T/out.a" 2>"$T/err.a" &
	APID=$!
	wait_for "$T/a-ready"
}

# Let the editor return; the answer must be refused: the ticket changed.
answer_refused() {
	local rc=0
	touch "$T/a-go"
	wait "$APID" || rc=$?
	equal "$rc" 2
	equal "$(cat "$T/out.a")" ""
	equal "$(wc -l <"$T/err.a")" 1
	matches "$(cat "$T/err.a")" "^uc3 answer: UC3-2026-0001 (changed while this command ran|is already)"
}

@test "answered by another while the answer is in the editor: one answer, the other refused" {
	repo_with_ticket
	answer_in_editor "$T/r"
	run -0 uc3 answer -m "Jawaban B." "$ID"
	answer_refused
	yis "$P" answer "Jawaban B.
"
	equal "$(grep -c '^  action: answer$' "$P")" 1
	equal "$(commit_count)" 3
	equal "$(find .git/uc3 -name 'EDIT-*' | wc -l)" 0
}

@test "answered by another while the answer is in the editor, bare: one answer, the other refused" {
	init_bare
	cd "$T"
	new_ticket -C "$BARE" >/dev/null
	answer_in_editor "$BARE"
	run -0 uc3 answer -C "$BARE" -m "Jawaban B." "$ID"
	answer_refused
	yis "$(committed_ticket "$ID" "$BARE")" answer "Jawaban B.
"
	equal "$(commit_count "$BARE")" 3
}

@test "escalated by another while the answer is in the editor: the answer is not recorded at the new level" {
	repo_with_ticket
	answer_in_editor "$T/r"
	run -0 uc3 escalate -m "Naik ke Wakor." "$ID"
	answer_refused
	equal "$(yget "$P" status)" open
	equal "$(yget "$P" level)" wakor
	run -3 yget "$P" answer
	equal "$(commit_count)" 3
}
