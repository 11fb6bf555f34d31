#!/usr/bin/env bats
# uc3 list: tickets, one a line, filtered (DESIGN 2b, 8).

load helper

# Three tickets: a complaint about UKT, a question whose body alone says
# "ukt", and a suggestion from Budi by phone.
three_tickets() {
	uc3 new -s "Pembayaran UKT belum terverifikasi" -k keluhan -c email \
		--from "Siti Aminah <siti@example.com>" -m "Sudah bayar tanggal 20." >/dev/null
	uc3 new -s "Jadwal wisuda" -k pertanyaan -c web \
		--from "Rina <rina@example.org>" -m "Apakah pembayaran Ukt semester depan sudah dibuka?" >/dev/null
	uc3 new -s "Parkir motor" -k saran -c telepon --from "Budi Santoso" --phone "0812-555" \
		-m "Tambah atap parkir." >/dev/null
}

ids_of() {
	# the ids of a text listing (first column, after the header)
	sed 1d <<<"$1" | awk '{print $1}' | tr '\n' ' '
}

@test "uc3 list: a header and aligned columns, one ticket a line" {
	init_repo
	three_tickets
	run -0 --separate-stderr uc3 list
	equal "$stderr" ""
	equal "${#lines[@]}" 4
	matches "${lines[0]}" '^ID +RECEIVED +KIND +STATUS +LEVEL +HOLDER +DEADLINE +LEFT +SUBJECT$'
	matches "${lines[1]}" '^UC3-2026-0001  2026-11-27 09:00  keluhan +open +staf +staf +2026-11-27 09:05  [0-9hm ]+  Pembayaran UKT belum terverifikasi$'
	matches "${lines[2]}" '^UC3-2026-0002  .*  pertanyaan  .*  Jadwal wisuda$'
	matches "${lines[3]}" '^UC3-2026-0003  .*  saran  .*  Parkir motor$'
	# every column starts where its heading starts, on every line
	columns_line_up "$output" ID RECEIVED KIND STATUS LEVEL HOLDER DEADLINE LEFT SUBJECT
	# fields of each row split on the column starts
	python3 - "$output" <<'PY'
import sys
lines = sys.argv[1].split("\n")
names = ["ID", "RECEIVED", "KIND", "STATUS", "LEVEL", "HOLDER", "DEADLINE", "LEFT", "SUBJECT"]
starts = [lines[0].index(n) for n in names]
for l in lines[1:]:
    cells = [l[a:b].strip() for a, b in zip(starts, starts[1:] + [len(l)])]
    assert cells[0].startswith("UC3-2026-"), cells
    assert cells[1] == "2026-11-27 09:00", cells
    assert cells[3] == "open" and cells[4] == "staf" and cells[5] == "staf", cells
PY
}

@test "uc3 list: oldest received first, whatever the ids" {
	init_repo
	export UC3_NOW=2026-11-27T15:00:00+07:00
	new_ticket >/dev/null
	new_ticket --received "2026-11-27 08:00" >/dev/null
	new_ticket --received "2025-12-01 08:00" >/dev/null 2>&1
	# how late the 2025 ticket is counts office days of 2025, which has no holidays
	run -0 --separate-stderr uc3 list
	equal "$(ids_of "$output")" "UC3-2025-0001 UC3-2026-0002 UC3-2026-0001 "
	matches "$stderr" "^uc3 list: warning: uc3\.yaml lists no holidays for 2025 "
	run -0 --separate-stderr uc3 list --format json
	python3 -c 'import json,sys; print(" ".join(t["id"] for t in json.load(sys.stdin)))' <<<"$output" >"$T/ids"
	equal "$(cat "$T/ids")" "UC3-2025-0001 UC3-2026-0002 UC3-2026-0001"
}

@test "uc3 list --status and --level" {
	init_repo
	three_tickets
	run -0 uc3 list --status open
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0002 UC3-2026-0003 "
	for s in answered delivered closed; do
		run -0 --separate-stderr uc3 list --status "$s"
		equal "$output" ""
		equal "$stderr" ""
	done
	run -0 uc3 list --level staf
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0002 UC3-2026-0003 "
	for l in wakor koordinator kabiro; do
		run -0 uc3 list --level "$l"
		equal "$output" ""
	done
	run -0 uc3 list --status open --level staf --grep Parkir
	equal "$(ids_of "$output")" "UC3-2026-0003 "
}

@test "uc3 list --grep: PCRE over subject, body and requester" {
	init_repo
	three_tickets
	# (?i): the subject of one, the body of another
	run -0 --separate-stderr uc3 list --grep '(?i)ukt'
	equal "$stderr" ""
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0002 "
	# case matters without (?i)
	run -0 uc3 list --grep 'UKT'
	equal "$(ids_of "$output")" "UC3-2026-0001 "
	# the requester's name, email and phone
	run -0 uc3 list --grep 'Budi'
	equal "$(ids_of "$output")" "UC3-2026-0003 "
	run -0 uc3 list --grep 'rina@example\.org'
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	run -0 uc3 list --grep '0812-\d{3}'
	equal "$(ids_of "$output")" "UC3-2026-0003 "
	# Perl syntax: anchors, alternation, lookahead
	run -0 uc3 list --grep '^(Jadwal|Parkir) (?=w)'
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	# no match: nothing, exit 0
	run -0 --separate-stderr uc3 list --grep 'tidak ada yang cocok'
	equal "$output" ""
	equal "$stderr" ""
}

@test "uc3 list --grep matches UTF-8 text as characters" {
	init_repo
	uc3 new -s "Ruang kuliah ÜNÏ terlalu panas" -k keluhan -c langsung --from "Ana" -m "AC rusak." >/dev/null
	new_ticket >/dev/null
	run -0 uc3 list --grep '(?i)ünï'
	equal "$(ids_of "$output")" "UC3-2026-0001 "
	run -0 uc3 list --grep 'Ruang kuliah .{3} terlalu'
	equal "$(ids_of "$output")" "UC3-2026-0001 "
}

@test "uc3 list --format json: an array of the tickets" {
	init_repo
	three_tickets
	run -0 --separate-stderr uc3 list --format json
	equal "$stderr" ""
	python3 - "$output" <<'PY'
import json, sys
a = json.loads(sys.argv[1])
assert isinstance(a, list) and len(a) == 3, a
assert [t["id"] for t in a] == ["UC3-2026-0001", "UC3-2026-0002", "UC3-2026-0003"], a
for t in a:
    for k in ("id", "subject", "kind", "channel", "requester", "received", "status",
              "level", "deadline", "body", "events"):
        assert k in t, (k, t)
assert a[2]["requester"] == {"name": "Budi Santoso", "phone": "0812-555"}, a[2]
PY
	run -0 uc3 list --format json --grep '(?i)ukt'
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0001","UC3-2026-0002"], a' <<<"$output"
	# each element is what show --format json prints
	run -0 uc3 show --format json UC3-2026-0002
	local one="$output"
	run -0 uc3 list --format json
	python3 - "$output" "$one" <<'PY'
import json, sys
assert json.loads(sys.argv[1])[1] == json.loads(sys.argv[2])
PY
}

@test "uc3 list --format ids: the ids alone, one a line, in the listing's order" {
	init_repo
	three_tickets
	run -0 --separate-stderr uc3 list --format ids
	equal "$stderr" ""
	equal "$output" "$(printf 'UC3-2026-0001\nUC3-2026-0002\nUC3-2026-0003')"
	run -0 uc3 list --format ids --grep '(?i)ukt'
	equal "$output" "$(printf 'UC3-2026-0001\nUC3-2026-0002')"
	run -0 --separate-stderr uc3 list --format ids --grep nothing-matches
	equal "$output" ""
	run -2 --separate-stderr uc3 list --format yaml
	equal "$stderr" "uc3 list: unknown format 'yaml': use text, json or ids"
}

@test "uc3 list with no tickets: no output, exit 0; json: []" {
	init_repo
	run -0 --separate-stderr uc3 list
	equal "$output" ""
	equal "$stderr" ""
	run -0 --separate-stderr uc3 list --format json
	python3 -c 'import json,sys; assert json.load(sys.stdin)==[]' <<<"$output"
	equal "$stderr" ""
}

@test "uc3 list: an unknown status or level: exit 2, one line" {
	init_repo
	new_ticket >/dev/null
	run -2 --separate-stderr uc3 list --status pending
	equal "$output" ""
	one_line_error "uc3 list" "unknown status 'pending'"
	run -2 --separate-stderr uc3 list --level rektor
	equal "$output" ""
	one_line_error "uc3 list" "unknown level 'rektor'.*staf, wakor, koordinator, kabiro"
	run -2 --separate-stderr uc3 list --format xml
	equal "$output" ""
	one_line_error "uc3 list" "unknown format 'xml'"
	run -2 --separate-stderr uc3 list extra
	equal "$output" ""
	matches "${stderr_lines[0]}" "^uc3 list: unexpected argument 'extra'"
}

@test "uc3 list --grep with an invalid regex: exit 2, one line" {
	init_repo
	new_ticket >/dev/null
	for rx in '(' '[a-' '(?<name' 'a{2,1}' '\'; do
		run -2 --separate-stderr uc3 list --grep "$rx"
		equal "$output" ""
		one_line_error "uc3 list" "--grep"
	done
}

@test "uc3 list: a ticket file broken by hand is named with line:column; the others are listed; exit 2" {
	init_repo
	for s in satu dua tiga; do SUBJECT="$s" new_ticket >/dev/null; done
	local f=tickets/2026/11/UC3-2026-0002.yaml
	echo "  bad: [" >>"$f"
	git commit -q -am "broken by hand"
	run -2 --separate-stderr uc3 list
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0003 "
	matches "${lines[0]}" '^ID +RECEIVED'
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
	# no other ticket is blamed
	! grep -q 'UC3-2026-000[13]' <<<"$stderr"
	# json too
	run -2 --separate-stderr uc3 list --format json
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0001","UC3-2026-0003"], a' <<<"$output"
	matches "$stderr" "$f:[0-9]+:[0-9]+: "
	# the broken ticket itself: exit 2 naming the place
	run -2 --separate-stderr uc3 show UC3-2026-0002
	equal "$output" ""
	one_line_error "uc3 show" "$f:[0-9]+:[0-9]+: "
	# and the others are still shown
	run -0 uc3 show UC3-2026-0003
}

@test "uc3 list: a duplicate key is named with its line:column" {
	init_repo
	for s in satu dua; do SUBJECT="$s" new_ticket >/dev/null; done
	local f=tickets/2026/11/UC3-2026-0001.yaml n
	n=$(($(wc -l <"$f") + 1))
	echo "subject: lagi" >>"$f"
	git commit -q -am "duplicate key by hand"
	run -2 --separate-stderr uc3 list
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	matches "${stderr_lines[0]}" "^uc3 list: $f:$n:1: .*duplicate key 'subject'"
}

@test "uc3 list: a ticket file that is valid YAML but not a ticket is named" {
	init_repo
	for s in satu dua; do SUBJECT="$s" new_ticket >/dev/null; done
	local f=tickets/2026/11/UC3-2026-0001.yaml
	# status is not a status word; received is not a time
	sed -i 's/^status: open$/status: sedang diproses/' "$f"
	git commit -q -am "bad status by hand"
	run -2 --separate-stderr uc3 list
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
	git checkout -q HEAD~ -- "$f"
	sed -i 's/^received: .*/received: kemarin sore/' "$f"
	git commit -q -am "bad time by hand"
	run -2 --separate-stderr uc3 list
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
}

@test "uc3 list on a bare repository" {
	init_bare
	UC3_DIR="$BARE" new_ticket >/dev/null
	UC3_DIR="$BARE" SUBJECT="Kedua" new_ticket >/dev/null
	run -0 --separate-stderr uc3 -C "$BARE" list
	equal "$stderr" ""
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0002 "
	UC3_DIR="$BARE" run -0 uc3 list --grep Kedua --format json
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0002"], a' <<<"$output"
}

@test "uc3 list reads the committed tree: an uncommitted ticket file is not listed" {
	init_repo
	new_ticket >/dev/null
	cp tickets/2026/11/UC3-2026-0001.yaml tickets/2026/11/UC3-2026-0009.yaml
	sed -i 's/0001/0009/' tickets/2026/11/UC3-2026-0009.yaml
	run -0 uc3 list
	equal "$(ids_of "$output")" "UC3-2026-0001 "
	rm tickets/2026/11/UC3-2026-0009.yaml
}

# --- who must act next: --holder and --mine ---

# Tickets at every holder (Friday 2026-11-27), then people:
#   0001 open at staf                  holder staf
#   0002 open at wakor                 holder wakor
#   0003 answered at wakor             holder staf (delivering is the front desk's)
#   0004 delivered                     holder staf (so is archiving)
#   0005 closed                        nobody
#   0006 open at koordinator           holder koordinator
make_holders() {
	init_repo
	local i
	for i in 1 2 3 4 5 6; do
		SUBJECT="Tiket $i" at_time 09:00 new_ticket >/dev/null
	done
	at_time 09:01 uc3 escalate UC3-2026-0002 >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0003 >/dev/null
	at_time 09:02 uc3 answer -m "Sudah." UC3-2026-0003 >/dev/null
	at_time 09:02 uc3 answer -m "Sudah." UC3-2026-0004 >/dev/null
	at_time 09:03 uc3 deliver UC3-2026-0004 >/dev/null
	at_time 09:02 uc3 answer -m "Sudah." UC3-2026-0005 >/dev/null
	at_time 09:03 uc3 deliver UC3-2026-0005 >/dev/null
	at_time 09:04 uc3 close --unit Keuangan UC3-2026-0005 >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0006 >/dev/null
	at_time 09:02 uc3 escalate UC3-2026-0006 >/dev/null
	at_time 09:05 set_people <<<'  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: wakor@unej.ac.id, name: Wakil Satu, roles: [wakor]}
  - {email: pimpinan@unej.ac.id, name: Pimpinan, roles: [koordinator, kabiro]}'
}

@test "uc3 list --holder: the level while open, the bottom of the chain once answered or delivered, nobody once closed" {
	fixture_repo make_holders
	run -0 --separate-stderr uc3 list --holder staf
	equal "$stderr" ""
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0003 UC3-2026-0004 "
	matches "${lines[0]}" '^ID +RECEIVED +KIND +STATUS +LEVEL +HOLDER +DEADLINE +LEFT +SUBJECT$'
	matches "${lines[2]}" '^UC3-2026-0003  .*  answered +wakor +staf +2026-11-27 09:07  '
	run -0 uc3 list --holder wakor
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	run -0 uc3 list --holder koordinator
	equal "$(ids_of "$output")" "UC3-2026-0006 "
	run -0 --separate-stderr uc3 list --holder kabiro
	equal "$output" ""
	equal "$stderr" ""
	# --level is where it stands, not who acts next
	run -0 uc3 list --level wakor
	equal "$(ids_of "$output")" "UC3-2026-0002 UC3-2026-0003 "
	# with the other filters
	run -0 uc3 list --holder staf --status delivered
	equal "$(ids_of "$output")" "UC3-2026-0004 "
	run -0 uc3 list --holder staf --status closed
	equal "$output" ""
	# JSON: holder (null once closed) and the minutes left in the step, from one read
	UC3_NOW=2026-11-27T09:10:00+07:00 run -0 --separate-stderr uc3 list --all --format json
	equal "$stderr" ""
	equal "$(python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["id"], t["holder"], t.get("left_minutes", "-"))' <<<"$output")" "UC3-2026-0001 staf -5
UC3-2026-0002 wakor 51
UC3-2026-0003 staf -3
UC3-2026-0004 staf -2
UC3-2026-0005 None -
UC3-2026-0006 koordinator 112"
}

@test "uc3 list --mine: the tickets the roles of git's identity must act on" {
	fixture_repo make_holders
	run -0 --separate-stderr uc3 list --mine
	equal "$stderr" ""
	equal "$(ids_of "$output")" "UC3-2026-0001 UC3-2026-0003 UC3-2026-0004 "
	GIT_AUTHOR_EMAIL=wakor@unej.ac.id run -0 uc3 list --mine
	equal "$(ids_of "$output")" "UC3-2026-0002 "
	# two roles: either; the address in any case
	git config user.email PIMPINAN@unej.ac.id
	run -0 uc3 list --mine
	equal "$(ids_of "$output")" "UC3-2026-0006 "
	run -0 uc3 list --mine --holder kabiro
	equal "$output" ""
	run -0 uc3 list --mine --format json
	equal "$(python3 -c 'import json,sys; print(" ".join(t["id"] for t in json.load(sys.stdin)))' <<<"$output")" UC3-2026-0006
}

@test "uc3 list --holder and --mine refused: unknown role, single-user mode, a stranger, no identity; exit 2, one line" {
	fixture_repo make_holders
	run -2 --separate-stderr uc3 list --holder rektor
	equal "$output" ""
	one_line_error "uc3 list" "unknown holder 'rektor': the chain is staf, wakor, koordinator, kabiro$"
	GIT_AUTHOR_EMAIL=tamu@example.com run -2 --separate-stderr uc3 list --mine
	equal "$output" ""
	one_line_error "uc3 list" "^uc3 list: --mine: tamu@example\.com is not one of the people in uc3\.yaml; .*user\.email.*uc3 person add"
	git config --global --unset user.email
	run -2 --separate-stderr uc3 list --mine
	equal "$output" ""
	one_line_error "uc3 list" "^uc3 list: --mine: .*user\.email"
	git config --global user.email humas1@unej.ac.id
	# single-user mode: nobody has roles
	init_repo single
	new_ticket >/dev/null
	run -2 --separate-stderr uc3 list --mine
	equal "$output" ""
	one_line_error "uc3 list" "^uc3 list: --mine needs people in uc3\.yaml.*single-user mode.*--holder ROLE$"
}

@test "uc3 list and show: three office days late reads 3d; JSON gives minutes" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	# due Friday 09:05; Wednesday 10:30 is 3 x 8.5 office hours and 1h 25m later
	export UC3_NOW=2026-12-02T10:30:00+07:00
	run -0 --separate-stderr uc3 list
	equal "$stderr" ""
	matches "${lines[1]}" '  2026-11-27 09:05  late 3d 1h 25m  Pembayaran UKT'
	run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 09:05, late by 3d 1h 25m$'
	run -0 uc3 list --format json
	equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["left_minutes"])' <<<"$output")" -1615
	run -0 uc3 show --format json UC3-2026-0001
	equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["left_minutes"])' <<<"$output")" -1615
	# one whole office day: Monday 09:05
	UC3_NOW=2026-11-30T09:05:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 09:05, late by 1d$'
}

# --- the desk's questions: filters, the default, the order ---

# Five tickets over two months (the clock of the tests: Friday 2026-11-27
# 09:00 in Jakarta):
#   0001  2026-10-15 09:00  keluhan     email     Fakultas Hukum   closed; answer "Sudah diinput dosen."
#   0002  2026-11-02 10:00  pertanyaan  telepon   Bagian Keuangan  open at wakor, due 11-02 11:03: late;
#                                                                  escalated with the note "Menunggu data pembayaran."
#   0003  2026-11-26 06:30  keluhan     web       Fakultas Hukum   answered, deliver due 11-27 08:55: late;
#                                                                  answer "Silakan hubungi Bagian Akademik."
#   0004  2026-11-27 08:30  saran       langsung  (none)           open at staf, due 08:35: late
#   0005  2026-11-27 09:00  keluhan     email     Fakultas Hukum   open at staf, due 09:05
# 0003 was received before 07:00 in Jakarta, which is still the day
# before in UTC: a date is a day of the policy's zone.
make_desk() {
	init_repo
	local d=2026-11
	UC3_NOW=2026-10-15T09:00:00+07:00 SUBJECT="Nilai belum keluar" new_ticket -u FH >/dev/null
	UC3_NOW=2026-10-15T09:02:00+07:00 uc3 answer UC3-2026-0001 -m "Sudah diinput dosen." >/dev/null
	UC3_NOW=2026-10-15T09:03:00+07:00 uc3 deliver UC3-2026-0001 >/dev/null
	UC3_NOW=2026-10-15T09:04:00+07:00 uc3 close UC3-2026-0001 >/dev/null
	UC3_NOW=$d-02T10:00:00+07:00 SUBJECT="Pembayaran UKT ganda" KIND=pertanyaan CHANNEL=telepon \
		FROM="Budi Santoso <budi@students.unej.ac.id>" new_ticket -u bak >/dev/null
	UC3_NOW=$d-02T10:03:00+07:00 uc3 escalate UC3-2026-0002 -m "Menunggu data pembayaran." >/dev/null
	UC3_NOW=$d-26T06:30:00+07:00 SUBJECT="Jadwal sidang skripsi" CHANNEL=web \
		new_ticket -u "fakultas hukum" >/dev/null
	UC3_NOW=$d-26T07:40:00+07:00 uc3 escalate UC3-2026-0003 >/dev/null
	UC3_NOW=$d-27T08:50:00+07:00 uc3 answer UC3-2026-0003 -m "Silakan hubungi Bagian Akademik." >/dev/null
	UC3_NOW=$d-27T08:30:00+07:00 SUBJECT="Tambah loket sore" KIND=saran CHANNEL=langsung \
		new_ticket >/dev/null
	UC3_NOW=$d-27T09:00:00+07:00 SUBJECT="AC ruang baca rusak" new_ticket -u "Fakultas Hukum" >/dev/null
}

# Assert that `uc3 list --format ids` with the options $2... lists exactly
# the tickets $1 ("0002 0003", the numbers of UC3-2026-NNNN), in that
# order, exit 0 and nothing on stderr.
lists() {
	local want="$1" got
	shift
	run -0 --separate-stderr uc3 list --format ids "$@"
	equal "$stderr" "" || return
	got="$(sed 's/^UC3-2026-//' <<<"$output" | tr '\n' ' ')"
	equal "${got% }" "$want"
}

# Assert that `uc3 list` with the options $2... is refused: exit 2,
# nothing on stdout, one line on stderr matching the ERE $1.
list_refused() {
	local re="$1"
	shift
	run -2 --separate-stderr uc3 list "$@"
	equal "$output" "" || return
	one_line_error "uc3 list" "$re"
}

@test "uc3 list: by default the tickets not yet closed; --all every ticket" {
	fixture_repo make_desk
	lists "0002 0003 0004 0005"
	lists "0001 0002 0003 0004 0005" --all
	# the text table too: the closed ticket is not there
	run -0 --separate-stderr uc3 list
	equal "${#lines[@]}" 5
	! grep -q 'UC3-2026-0001' <<<"$output"
	run -0 uc3 list --all
	matches "${lines[1]}" '^UC3-2026-0001  2026-10-15 09:00  keluhan +closed +- +- +- +- +Nilai belum keluar$'
	# a closed ticket is passed over unread: broken after its status
	# line, it stops nothing until --all reads it
	local f=tickets/2026/10/UC3-2026-0001.yaml
	grep -q '^status: closed$' "$f"
	echo "  bad: [" >>"$f"
	git commit -q -am "broken by hand"
	lists "0002 0003 0004 0005"
	run -2 --separate-stderr uc3 list --all --format ids
	equal "$(tr '\n' ' ' <<<"$output")" "UC3-2026-0002 UC3-2026-0003 UC3-2026-0004 UC3-2026-0005 "
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
}

@test "uc3 list --status: several, comma-separated or repeated; --status wins over --all" {
	fixture_repo make_desk
	lists "0002 0004 0005" --status open
	lists "0002 0003 0004 0005" --status open,answered
	lists "0001 0003" --status answered --status closed
	lists "0001 0003" --status closed,answered
	lists "" --status delivered
	lists "0001" --status closed
	# --all adds nothing to the statuses asked for
	lists "0001" --status closed --all
	lists "0002 0004 0005" --all --status open
	# --level, --holder and --late need a running step: never a closed ticket
	lists "" --status closed --level staf
	lists "0004 0005" --all --holder staf --status open
}

@test "uc3 list --status refused: an unknown or empty value; exit 2, one line" {
	fixture_repo make_desk
	list_refused "unknown status 'pending': use open, answered, delivered or closed, or several separated by commas$" --status open,pending
	list_refused "unknown status 'Open'" --status Open
	list_refused "unknown status '':" --status ''
	list_refused "unknown status '':" --status open,
	list_refused "unknown status '':" --status ,open
	list_refused "unknown status ' answered'" --status "open, answered"
}

@test "uc3 list --kind, --channel: the policy's words; an unknown one names them, exit 2" {
	fixture_repo make_desk
	lists "0003 0005" --kind keluhan
	lists "0001 0003 0005" --kind keluhan --all
	lists "0002" --kind pertanyaan
	lists "0004" --kind saran --channel langsung
	lists "" --kind lainnya
	lists "0005" --channel email
	lists "0001 0005" --channel email --all
	lists "0002" --channel telepon
	lists "0003" --channel web --kind keluhan
	lists "" --channel web --kind saran
	list_refused "^uc3 list: unknown kind 'complaint': uc3\.yaml lists pertanyaan, keluhan, saran, lainnya$" --kind complaint
	list_refused "unknown kind 'Keluhan'" --kind Keluhan
	list_refused "^uc3 list: unknown channel 'fax': uc3\.yaml lists email, telepon, langsung, surat, web, media-sosial$" --channel fax
	list_refused "unknown channel ''" --channel ''
}

@test "uc3 list --unit: a unit of the policy by its name or an alias, in any case" {
	fixture_repo make_desk
	lists "0003 0005" --unit "Fakultas Hukum"
	lists "0003 0005" --unit fh
	lists "0003 0005" --unit "  FAKULTAS hukum "
	lists "0001 0003 0005" --unit FH --all
	lists "0002" --unit Keuangan
	lists "0002" --unit BAK --kind pertanyaan
	lists "" --unit TIK
	list_refused '^uc3 list: --unit "Keuangn" is not a unit of uc3\.yaml; did you mean "Bagian Keuangan"\?' --unit Keuangn
	list_refused '^uc3 list: --unit "Rektorat" is not a unit of uc3\.yaml' --unit Rektorat
	list_refused '^uc3 list: --unit is empty' --unit "  "
}

@test "uc3 list --unit: free text when the policy lists no units, in any case" {
	init_repo
	edit_policy '/^  - {name: /d; s/^units:$/units: []/' "policy: units as free text"
	SUBJECT=satu new_ticket -u "Lab Komputer" >/dev/null
	SUBJECT=dua new_ticket -u "Ruang Baca" >/dev/null
	SUBJECT=tiga new_ticket >/dev/null
	lists "0001" --unit "Lab Komputer"
	lists "0001" --unit " lab KOMPUTER"
	lists "0002" --unit "ruang baca"
	lists "" --unit "Lab"
	list_refused '^uc3 list: --unit is empty' --unit ""
}

@test "uc3 list --since, --until: the receipt, [since, until), a day in the policy's zone" {
	fixture_repo make_desk
	lists "0002 0003 0004 0005" --since 2026-11-01
	lists "0001" --all --since 2026-10-01 --until 2026-11-01
	lists "0001 0002" --all --until 2026-11-26
	# a day starts at midnight in Jakarta, not in UTC: 0003 came at 06:30
	lists "0003 0004 0005" --since 2026-11-26
	lists "0002" --until 2026-11-26
	lists "0003" --since 2026-11-26 --until 2026-11-27
	# a time: since is inclusive, until exclusive
	lists "0004 0005" --since 2026-11-27T08:30:00+07:00
	lists "0005" --since 2026-11-27T01:30:01Z
	lists "0002 0003 0004" --until "2026-11-27 09:00"
	lists "0002 0003 0004 0005" --until "2026-11-27 09:00:01"
	# with the other filters; an empty range lists nothing
	lists "0001 0005" --all --since 2026-10-01 --unit fh --channel email
	lists "" --since 2026-11-27 --until 2026-11-27
	lists "" --since 2026-12-01
}

@test "uc3 list --since, --until refused: not a date; exit 2, one line" {
	fixture_repo make_desk
	list_refused "^uc3 list: --since 'kemarin' is not a date: use a day such as 2026-11-01, a local time such as '2026-11-01 09:00', or an RFC 3339 time such as 2026-11-01T09:00:00\+07:00$" --since kemarin
	list_refused "^uc3 list: --until '2026-02-29' is not a date" --until 2026-02-29
	list_refused "^uc3 list: --until '2026-11' is not a date" --until 2026-11
	list_refused "^uc3 list: --since '27/11/2026' is not a date" --since 27/11/2026
	list_refused "^uc3 list: --since '2026-11-27T25:00:00\+07:00' is not a date" --since 2026-11-27T25:00:00+07:00
	list_refused "^uc3 list: --since '' is not a date" --since ''
}

@test "uc3 list --late: the steps past their deadline now, the ones uc3 overdue names" {
	fixture_repo make_desk
	lists "0002 0003 0004" --late
	lists "0002 0003 0004" --late --all
	lists "0003 0004" --late --holder staf
	lists "" --late --status closed
	# the LEFT column says late for exactly these: one JSON read
	run -0 uc3 list --all --format json
	equal "$(python3 -c '
import json, sys
print(" ".join(t["id"][-4:] for t in json.load(sys.stdin) if t.get("left_minutes", 0) < 0))' <<<"$output")" "0002 0003 0004"
	# uc3 overdue names the same tickets, at its deadline and just after
	local at want
	for at in 2026-11-27T09:00:00+07:00 2026-11-27T09:05:00+07:00 2026-11-27T09:05:30+07:00 \
		2026-11-28T10:00:00+07:00; do
		UC3_NOW=$at run -0 uc3 list --late --format ids
		want="$(sort <<<"$output")"
		UC3_NOW=$at run uc3 overdue --format json
		equal "$(python3 -c 'import json,sys; print("\n".join(sorted(x["id"] for x in json.load(sys.stdin))))' <<<"$output")" "$want"
	done
	UC3_NOW=2026-11-27T09:05:00+07:00 lists "0002 0003 0004" --late
	UC3_NOW=2026-11-27T09:05:30+07:00 lists "0002 0003 0004 0005" --late
}

@test "uc3 list --grep: the answer, the unit and the notes of the history too" {
	fixture_repo make_desk
	# the unit
	lists "0003 0005" --grep Hukum
	lists "0002" --grep Keuangan
	# the answer
	lists "0003" --grep 'Bagian Akademik'
	lists "" --grep 'diinput'
	lists "0001" --grep 'diinput' --all
	# an escalation's note
	lists "0002" --grep '^Menunggu'
	# the requester, the subject and the body, as before
	lists "0002" --grep '@students\.unej\.ac\.id$'
	lists "0002 0003 0004 0005" --grep '(?i)ukt'
	# with the other filters
	lists "0005" --grep Hukum --status open
}

@test "uc3 list --sort received|deadline|id, --reverse and -n" {
	fixture_repo make_desk
	lists "0002 0003 0004 0005" --sort received
	# deadlines: 0002 11-02 11:03, 0004 08:35, 0003 08:55, 0005 09:05; closed last
	lists "0002 0004 0003 0005" --sort deadline
	lists "0002 0004 0003 0005 0001" --sort deadline --all
	lists "0001 0005 0003 0004 0002" --sort deadline --all --reverse
	lists "0005 0004 0003 0002" --reverse
	lists "0002 0003 0004 0005" --sort id
	# -n: the first N of the order
	lists "0002 0004" --sort deadline -n 2
	lists "0005" --reverse -n 1
	lists "0002 0003 0004 0005" --max-count 9
	lists "0003" --late --sort deadline --reverse --max-count=1
	# the same in the text table and in JSON
	run -0 uc3 list --sort deadline -n 2
	equal "${#lines[@]}" 3
	matches "${lines[2]}" '^UC3-2026-0004 '
	run -0 uc3 list --sort deadline -n 3 --format json
	equal "$(python3 -c 'import json,sys; print(" ".join(t["id"][-4:] for t in json.load(sys.stdin)))' <<<"$output")" "0002 0004 0003"
}

@test "uc3 list --sort id: by year, then number as a number; ties of receipt by id too" {
	init_repo
	new_ticket >/dev/null
	new_ticket --received "2026-11-27 08:00" >/dev/null
	# two more filed by hand, received with 0001: 9999 and 10000
	local f=tickets/2026/11/UC3-2026-0001.yaml n
	for n in 9999 10000; do
		sed "s/UC3-2026-0001/UC3-2026-$n/" "$f" >"tickets/2026/11/UC3-2026-$n.yaml"
	done
	git add tickets
	git commit -q -m "filed by hand"
	lists "0001 0002 9999 10000" --sort id
	lists "10000 9999 0002 0001" --sort id --reverse
	lists "0002 0001 9999 10000"
	lists "0002 0001 9999 10000" --sort deadline
}

@test "uc3 list --sort and -n refused: exit 2, one line" {
	fixture_repo make_desk
	list_refused "^uc3 list: unknown sort 'due': use received, deadline or id$" --sort due
	list_refused "^uc3 list: unknown sort ''" --sort ''
	local n
	for n in 0 -1 x 1.5 ''; do
		list_refused "^uc3 list: -n needs a positive number, not '$n'$" -n "$n"
	done
	list_refused "^uc3 list: -n needs a positive number, not '0'$" --max-count 0
}
