#!/usr/bin/env bats
# uc3 show: one ticket, its state and its current deadline (DESIGN 2b, 4).

load helper

@test "uc3 show: the text has the subject, requester, status, deadline, body and history" {
	init_repo
	new_ticket -u "Bagian Keuangan" --phone 0812-1 >/dev/null
	run -0 --separate-stderr uc3 show UC3-2026-0001
	equal "$stderr" ""
	equal "${lines[0]}" "UC3-2026-0001  Pembayaran UKT belum terverifikasi"
	matches "$output" '^  kind +keluhan$'
	matches "$output" '^  channel +email$'
	matches "$output" '^  from +Siti Aminah <siti@example\.com>$'
	matches "$output" '^  phone +0812-1$'
	matches "$output" '^  unit +Bagian Keuangan$'
	matches "$output" '^  received +2026-11-27 09:00$'
	matches "$output" '^  status +open, held by staf \(Staf Humas\)$'
	matches "$output" '^  deadline +2026-11-27 09:05, 5m left$'
	matches "$output" '^  step +staf \(Staf Humas\)$'
	matches "$output" '^  who +anyone \(single-user mode: the policy lists no people\)$'
	matches "$output" '^  file +tickets/2026/11/UC3-2026-0001\.yaml$'
	matches "$output" '^  Sudah bayar UKT tanggal 20, status belum berubah\.$'
	matches "$output" '^  2026-11-27 09:00  new +humas1@unej\.ac\.id$'
}

@test "uc3 show: a social account and an address, the address's lines one under the other, escaped" {
	init_repo
	new_ticket --social "@siti_a" --address $'Jl. Jawa 7\nJember 68121' >/dev/null
	run -0 uc3 show UC3-2026-0001
	equal "$(sed -n '/^  from /,/^  unit /p' <<<"$output")" "  from      Siti Aminah <siti@example.com>
  social    @siti_a
  address   Jl. Jawa 7
            Jember 68121
  unit      (not set yet)"
	# a hand edit cannot drive the terminal, nor break the layout with a CR
	python3 - tickets/2026/11/UC3-2026-0001.yaml <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("  address: |\n    Jl. Jawa 7\n    Jember 68121\n",
              '  address: "Jl. Jawa 7\\n\\x1b[2JJember\\r68121\\n"\n')
open(p, "w", encoding="utf-8").write(s)
PY
	git commit -q -am "address edited by hand"
	run -0 uc3 show UC3-2026-0001
	[[ "$output" != *$'\e'* ]]
	equal "$(sed -n '/^  address /,/^  unit /p' <<<"$output")" '  address   Jl. Jawa 7
            \x1b[2JJember 68121
  unit      (not set yet)'
}

@test "uc3 show: the deadline on the business calendar, in the policy's zone" {
	init_repo
	export UC3_NOW=2026-11-28T10:00:00+07:00
	new_ticket --received 2026-11-27T15:58:00+07:00 >/dev/null
	run -0 uc3 show UC3-2026-0001
	matches "$output" '^  received +2026-11-27 15:58$'
	matches "$output" '^  deadline +2026-11-30 07:33, 3m left$'
}

@test "uc3 show --format json: valid JSON with the file's field names" {
	init_repo
	new_ticket -u "Bagian Keuangan" --phone 0812 >/dev/null
	run -0 --separate-stderr uc3 show --format json UC3-2026-0001
	equal "$stderr" ""
	python3 - "$output" <<'PY'
import json, sys
t = json.loads(sys.argv[1])
# after the file's fields, where it stands: who acts next, minutes left at 09:00
if (t.pop("holder", None), t.pop("left_minutes", None)) != ("staf", 5):
    sys.exit("holder, left_minutes: got %r" % t)
want = {
    "id": "UC3-2026-0001",
    "subject": "Pembayaran UKT belum terverifikasi",
    "kind": "keluhan",
    "channel": "email",
    "requester": {"name": "Siti Aminah", "email": "siti@example.com", "phone": "0812"},
    "unit": "Bagian Keuangan",
    "received": "2026-11-27T09:00:00+07:00",
    "status": "open",
    "level": "staf",
    "deadline": "2026-11-27T09:05:00+07:00",
    "body": "Sudah bayar UKT tanggal 20, status belum berubah.\n",
    "events": [{"at": "2026-11-27T09:00:00+07:00", "by": "humas1@unej.ac.id", "action": "new"}],
}
if t != want:
    sys.exit("got %r" % t)
PY
	# --format=json works too, and text is the default
	run -0 uc3 show --format=json UC3-2026-0001
	python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$output"
	run -0 uc3 show --format text UC3-2026-0001
	local text="$output"
	run -0 uc3 show UC3-2026-0001
	equal "$output" "$text"
}

@test "uc3 show reads the committed tree, not the work tree" {
	init_repo
	new_ticket >/dev/null
	sed -i 's/^subject: .*/subject: diubah tangan/' tickets/2026/11/UC3-2026-0001.yaml
	run -0 uc3 show UC3-2026-0001
	equal "${lines[0]}" "UC3-2026-0001  Pembayaran UKT belum terverifikasi"
	git checkout -q -- tickets
}

@test "uc3 show of an unknown id: exit 2, no ticket" {
	init_repo
	new_ticket >/dev/null
	run -2 --separate-stderr uc3 show UC3-2026-0099
	equal "$output" ""
	one_line_error "uc3 show" "no ticket UC3-2026-0099"
	run -2 --separate-stderr uc3 show UC3-2025-0001
	one_line_error "uc3 show" "no ticket UC3-2025-0001"
}

@test "uc3 show of an id that is a path: exit 2, nothing read" {
	init_repo
	new_ticket >/dev/null
	for id in ../../etc/passwd /etc/passwd UC3-2026-0001/.. ../UC3-2026-0001 \
		tickets/2026/11/UC3-2026-0001.yaml UC3-2026-0001.yaml 'UC3-2026-*' ''; do
		run -2 --separate-stderr uc3 show "$id"
		equal "$output" ""
		one_line_error "uc3 show" "not a ticket id"
	done
}

@test "uc3 show of malformed ids: exit 2, one line each" {
	init_repo
	for id in UC3-2026-0x1 UC3-26-0001 'UC3-2026-0001 ' UC3-2026-99999999999999999999999 \
		x 0 2026- 20x6-1; do
		run -2 --separate-stderr uc3 show "$id"
		equal "$output" ""
		one_line_error "uc3 show" "not a ticket id"
	done
	run -2 --separate-stderr uc3 show ABC-2026-0001
	one_line_error "uc3 show" "^uc3 show: 'ABC-2026-0001' is not an id of these records: theirs start UC3-$"
	# a number alone is this year's
	run -2 --separate-stderr uc3 show 2026
	one_line_error "uc3 show" "^uc3 show: no ticket UC3-2026-2026$"
}

@test "uc3 show with no id or an unknown format: exit 2" {
	init_repo
	new_ticket >/dev/null
	run -2 --separate-stderr uc3 show
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3 show: which ticket'
	run -2 --separate-stderr uc3 show --format xml UC3-2026-0001
	equal "$output" ""
	one_line_error "uc3 show" "unknown format 'xml'"
}

@test "uc3 show works on a bare repository" {
	init_bare
	UC3_DIR="$BARE" run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	run -0 --separate-stderr uc3 -C "$BARE" show UC3-2026-0001
	equal "$stderr" ""
	equal "${lines[0]}" "UC3-2026-0001  Pembayaran UKT belum terverifikasi"
	matches "$output" '^  status +open, held by staf'
	UC3_DIR="$BARE" run -0 uc3 show --format json UC3-2026-0001
	python3 -c 'import json,sys; assert json.load(sys.stdin)["id"]=="UC3-2026-0001"' <<<"$output"
	cd "$BARE"
	run -0 uc3 show UC3-2026-0001
	equal "${lines[0]}" "UC3-2026-0001  Pembayaran UKT belum terverifikasi"
}

@test "uc3 show of a ticket of another year and month" {
	init_repo
	new_ticket --received 2025-12-31T10:00:00+07:00 >/dev/null
	new_ticket --received 2026-01-05T10:00:00+07:00 >/dev/null
	run -0 uc3 show UC3-2025-0001
	matches "$output" '^  file +tickets/2025/12/UC3-2025-0001\.yaml$'
	run -0 uc3 show UC3-2026-0001
	matches "$output" '^  file +tickets/2026/01/UC3-2026-0001\.yaml$'
}

@test "uc3 show: the holder, who must act next: the level while open, the front desk once answered, nobody once closed" {
	init_repo
	at_time 09:00 new_ticket >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0001 >/dev/null
	UC3_NOW=2026-11-27T09:01:00+07:00 run -0 --separate-stderr uc3 show UC3-2026-0001
	equal "$stderr" ""
	matches "$output" '^  holder    wakor \(Wakil Koordinator PKIH\)$'
	at_time 09:02 uc3 answer -m "Sudah." UC3-2026-0001 >/dev/null
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  status    answered, answered at wakor'
	matches "$output" '^  step      deliver$'
	matches "$output" '^  holder    staf \(Staf Humas\)$'
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 show --format json UC3-2026-0001
	equal "$(python3 -c 'import json,sys; t = json.load(sys.stdin); print(t["holder"], t["left_minutes"])' <<<"$output")" "staf 5"
	at_time 09:03 uc3 deliver UC3-2026-0001 >/dev/null
	at_time 09:04 uc3 close --unit Keuangan UC3-2026-0001 >/dev/null
	run -0 uc3 show UC3-2026-0001
	! grep -q '^  holder ' <<<"$output"
	run -0 uc3 show --format json UC3-2026-0001
	equal "$(python3 -c 'import json,sys; t = json.load(sys.stdin); print(t["holder"], "left_minutes" in t)' <<<"$output")" "None False"
}

@test "uc3 show, log: a follow-up by mail with its text, and the fields of a ticket from a mail" {
	init_repo
	new_ticket >/dev/null
	P=tickets/2026/11/UC3-2026-0001.yaml
	# the follow-up as uc3 writes it: note a literal block, then sender and message_id
	cat >>"$P" <<'YAML'
- at: 2026-11-27T09:01:00+07:00
  by: humas1@unej.ac.id
  action: followup
  note: |
    Sudah seminggu.

    Mohon kabar.
  sender: siti@example.com
  message_id: <b.2@mail.example.com>
YAML
	at_time 09:01 git commit -q -am $'UC3-2026-0001: followup from siti@example.com\n\nTicket: UC3-2026-0001\nAction: followup\nMessage-ID: <b.2@mail.example.com>'
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 verify
	matches "${lines[-1]}" ", 0 findings$"
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 show 1
	equal "$(sed -n '/^History:/,$p' <<<"$output")" "History:
  2026-11-27 09:00  new      humas1@unej.ac.id
  2026-11-27 09:01  followup humas1@unej.ac.id  follow-up by mail from siti@example.com
      Sudah seminggu.

      Mohon kabar."
	# the step and its deadline are the staf's still
	matches "$output" '^  deadline +2026-11-27 09:05, 3m left$'
	run -0 uc3 log 1
	matches "${lines[0]}" ' followup by mail from siti@example\.com +humas1@unej\.ac\.id '
	equal "${lines[1]}" "    Message-ID <b.2@mail.example.com>"
	equal "${lines[2]}" "    Sudah seminggu."
	run -0 uc3 show --format json 1
	equal "$(jvals "$output" events.1.sender events.1.message_id)" $'siti@example.com\n<b.2@mail.example.com>'
	# a ticket from a mail: when it was sent, what it follows, that it was automatic
	sed -i 's/^received: .*/&\nmessage_id: <a.1@mail.example.com>\nsent: 2026-11-27T08:55:00+07:00\nfollows: UC3-2026-0040\nautomatic: auto-reply/' "$P"
	git commit -q -am "mail fields"
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 show 1
	matches "$output" '^  sent +2026-11-27 08:55$'
	matches "$output" '^  follows +UC3-2026-0040, closed$'
	matches "$output" '^  mail +automatic mail \(auto-reply\): no acknowledgement$'
	run -0 uc3 show --format json 1
	equal "$(jvals "$output" sent follows automatic)" $'2026-11-27T08:55:00+07:00\nUC3-2026-0040\nauto-reply'
	# a word that is not one of them does not read
	sed -i 's/^automatic: .*/automatic: vacation/' "$P"
	git commit -q -am "bad word"
	run -2 --separate-stderr uc3 show 1
	matches "$stderr" "automatic 'vacation' is not one of auto-reply, bounce, bulk, list, loop"
}
