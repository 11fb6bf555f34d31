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
	python3 - "$output" <<'PY'
import sys
lines = sys.argv[1].split("\n")
head = lines[0]
names = ["ID", "RECEIVED", "KIND", "STATUS", "LEVEL", "HOLDER", "DEADLINE", "LEFT", "SUBJECT"]
starts = [head.index(n) for n in names]
for l in lines[1:]:
    for i, s in enumerate(starts):
        if s and l[s - 1] != " ":
            sys.exit("column %s does not start at %d in %r" % (names[i], s, l))
        if l[s] == " ":
            sys.exit("column %s is empty at %d in %r" % (names[i], s, l))
    # fields of the row split on the column starts
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
	UC3_NOW=2026-11-27T09:10:00+07:00 run -0 --separate-stderr uc3 list --format json
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
