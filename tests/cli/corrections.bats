#!/usr/bin/env bats
# The corrections (uc3-edit(1), uc3-reopen(1), uc3-close(1) --as): each one
# commit with one event that carries its reason; an edit keeps the old and
# new values, a reopen puts the ticket back at staf with a new step and
# keeps the answer in its event, a close as spam or duplicate archives it
# without answer or unit. The policy's corrections say who may; uc3 verify
# replays each and refuses it done by the wrong role.

load helper

ID=UC3-2026-0001
ID2=UC3-2026-0002
P=tickets/2026/11/UC3-2026-0001.yaml
P2=tickets/2026/11/UC3-2026-0002.yaml
STAF=humas1@unej.ac.id
WAKOR=wakor@unej.ac.id
KOORD=koord@unej.ac.id
KABIRO=kabiro@unej.ac.id

# Two tickets received Friday 09:00 (due 09:05): UC3-2026-0001 addressed
# to Bagian Akademik (typed as its alias Akademik) with a phone, UC3-2026-0002 with neither.
two_tickets() {
	fixture_repo make_two_tickets
}

make_two_tickets() {
	init_repo
	new_ticket -u Akademik --phone 0812345678 >/dev/null
	new_ticket >/dev/null
}

# Ticket 1 answered at 09:02 and delivered at 09:03 (archive due 09:08).
delivered() {
	at_time 09:02 uc3 answer "$ID" -m "Pembayaran Anda sudah terverifikasi." >/dev/null
	at_time 09:03 uc3 deliver "$ID" >/dev/null
}

# $1: the tool, $2: the ERE of its one line; the rest: the command.
# Exit 2, nothing on stdout, one line on stderr, nothing changed.
refused() {
	local tool="$1" rx="$2"
	shift 2
	snapshot
	run -2 --separate-stderr "$@"
	equal "$output" ""
	one_line_error "uc3 $tool" "$rx"
	repo_unchanged
}

# A usage error: exit 2, the first line of stderr is $2 (ERE) after the
# tool's name, the usage follows; nothing changed.
usage_refused() {
	local tool="$1" rx="$2"
	shift 2
	snapshot
	run -2 --separate-stderr "$@"
	equal "$output" ""
	matches "${stderr_lines[0]}" "^uc3 $tool: $rx"
	matches "$stderr" "usage: uc3 $tool "
	repo_unchanged
}

# The usage of uc3 $1 --help is the SYNOPSIS of its man page.
usage_is_synopsis() {
	local usage synopsis
	usage="$(uc3 "$1" --help | sed -n '1,/^$/p' | sed 's/^usage: //; s/^ *uc3 /uc3 /' |
		tr -s ' \n' '  ' | sed 's/ *$//')"
	synopsis="$(mandoc -Tascii -O width=200 "$UC3_ROOT/man/uc3-$1.1" | sed "s/.\x08//g" |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' |
		sed 's/^ *//; s/ *$//')"
	equal "$synopsis" "$usage"
}

# --- uc3 edit ---

@test "uc3 edit: one commit whose event keeps each old and new value; status, level and deadline stay" {
	two_tickets
	local n
	n="$(commit_count)"
	run -0 --separate-stderr at_time 09:02 uc3 edit "$ID" -u "Bagian Keuangan" \
		-s "Pembayaran UKT semester 3" --phone 0813 --body-file - \
		-m "Salah ketik nama unit." <<<"Sudah bayar UKT tanggal 20.
Mohon dicek."
	equal "$output" "$ID: edited subject, requester.phone, unit, body"
	equal "$stderr" ""
	equal "$(commit_count)" $((n + 1))
	equal "$(git show --format= --name-status HEAD)" "M	$P"
	equal "$(git log -1 --format=%s)" "$ID: edit subject, requester.phone, unit, body"
	equal "$(trailer Action)" edit
	equal "$(trailer Fields)" "subject, requester.phone, unit, body"
	local json
	json="$(uc3 show --format json "$ID")"
	equal "$(jvals "$json" subject unit requester.phone body status level deadline \
		events.1.action events.1.note events.1.step \
		events.1.changes.0 events.1.changes.1 events.1.changes.2 events.1.changes.3 events.1.changes.4)" \
		'Pembayaran UKT semester 3
Bagian Keuangan
0813
Sudah bayar UKT tanggal 20.\nMohon dicek.\n
open
staf
2026-11-27T09:05:00+07:00
edit
Salah ketik nama unit.
-
{"field": "subject", "old": "Pembayaran UKT belum terverifikasi", "new": "Pembayaran UKT semester 3"}
{"field": "requester.phone", "old": "0812345678", "new": "0813"}
{"field": "unit", "old": "Bagian Akademik", "new": "Bagian Keuangan"}
{"field": "body", "old": "Sudah bayar UKT tanggal 20, status belum berubah.\n", "new": "Sudah bayar UKT tanggal 20.\nMohon dicek.\n"}
-'
	# the file: block style for the many-line values, and it reads back as written
	grep -q '^    old: |$' "$P"
	run -0 uc3 show "$ID"
	matches "$output" "  unit: Bagian Akademik -> Bagian Keuangan$"
	matches "$output" "  body: Sudah bayar UKT tanggal 20, status belum berubah. -> Sudah bayar UKT tanggal 20. ...$"
	run -0 uc3 log "$ID"
	matches "$output" "$ID  edit subject, requester.phone, unit, body  humas1@unej.ac.id"
	run -0 uc3 verify
}

@test "uc3 edit --from sets the name and email as uc3 new reads them; --phone '' and -u '' remove them; --body" {
	two_tickets
	run -0 at_time 09:01 uc3 edit "$ID" --from "siti.aminah@example.com" --phone '' -u '' \
		--body "Isi yang benar." -m "Alamat email yang benar." -m "Telepon salah."
	equal "$output" "$ID: edited requester.name, requester.email, requester.phone, unit, body"
	local json
	json="$(uc3 show --format json "$ID")"
	equal "$(jvals "$json" requester unit body events.1.note events.1.changes.0 events.1.changes.3)" \
		'{"email": "siti.aminah@example.com"}
-
Isi yang benar.\n
Alamat email yang benar.\n\nTelepon salah.\n
{"field": "requester.name", "old": "Siti Aminah"}
{"field": "unit", "old": "Bagian Akademik"}'
	# a kind and a channel of the policy
	run -0 at_time 09:02 uc3 edit "$ID" -k pertanyaan -c media-sosial -m "Lewat Instagram."
	equal "$(git log -1 --format=%s)" "$ID: edit kind, channel"
	run -0 uc3 verify
}

@test "uc3 edit --social, --address and --from @account: the contacts without email; verify clean" {
	two_tickets
	run -0 at_time 09:01 uc3 edit "$ID2" --from "@unej_fess" --address $'Jl. Kalimantan 37\nJember 68121' \
		-m "Datang lewat Instagram, balasan lewat surat."
	equal "$output" "$ID2: edited requester.social, requester.address"
	local json
	json="$(uc3 show --format json "$ID2")"
	equal "$(jvals "$json" requester.social requester.address events.1.changes.0 events.1.changes.1)" \
		'@unej_fess
Jl. Kalimantan 37\nJember 68121\n
{"field": "requester.social", "new": "@unej_fess"}
{"field": "requester.address", "new": "Jl. Kalimantan 37\nJember 68121\n"}'
	run -0 at_time 09:02 uc3 edit "$ID2" --social '' -m "Akun salah."
	equal "$(jvals "$(uc3 show --format json "$ID2")" requester.social)" -
	snapshot
	run -2 --separate-stderr at_time 09:03 uc3 edit "$ID2" --from "@a" --social "@b" -m x
	matches "${stderr_lines[0]}" "^uc3 edit: --from names a social account and so does --social"
	run -2 --separate-stderr at_time 09:03 uc3 edit "$ID2" --social $'a\nb' -m x
	equal "${#stderr_lines[@]}" 1
	repo_unchanged
	run -0 uc3 verify
}

@test "uc3 edit refusals: exit 2, one line, nothing changed" {
	two_tickets
	refused edit '^uc3 edit: a correction needs its reason: give -m WHY$' \
		uc3 edit "$ID" -u Rektorat
	refused edit '^uc3 edit: a correction needs its reason: give -m WHY$' \
		uc3 edit "$ID" -u Rektorat -m '  '
	refused edit "^uc3 edit: nothing to change: $ID already has the values given$" \
		uc3 edit "$ID" -u " akademik " -m "Sama."
	refused edit "^uc3 edit: kind 'pujian' is not one of the policy's kinds: pertanyaan, keluhan, saran, lainnya$" \
		uc3 edit "$ID" -k pujian -m "Jenis."
	refused edit "^uc3 edit: channel 'fax' is not one of the policy's channels: " \
		uc3 edit "$ID" -c fax -m "Saluran."
	refused edit '^uc3 edit: subject is empty$' uc3 edit "$ID" -s '' -m "Kosong."
	refused edit '^uc3 edit: subject contains a line break$' uc3 edit "$ID" -s $'dua\nbaris' -m "x"
	refused edit "^uc3 edit: the phone 'tidak ada' has no digits$" \
		uc3 edit "$ID" --phone 'tidak ada' -m "Telepon."
	refused edit '^uc3 edit: the body is empty$' uc3 edit "$ID" --body $'\n \n' -m "Isi."
	refused edit '--from' uc3 edit "$ID" --from "Siti <siti" -m "Pengirim."
	refused edit '^uc3 edit: --body and --body-file cannot be used together$' \
		uc3 edit "$ID" --body a --body-file b -m "Isi."
	refused edit '^uc3 edit: cannot read /nonexistent/isi.txt: No such file or directory$' \
		uc3 edit "$ID" --body-file /nonexistent/isi.txt -m "Isi."
	refused edit '^uc3 edit: no ticket UC3-2026-0042$' uc3 edit UC3-2026-0042 -u X -m "x"
	refused edit "^uc3 edit: the time now is before $ID's last event" \
		at_time 08:59 uc3 edit "$ID" -u X -m "x"
	usage_refused edit 'nothing to edit: give the fields to correct' uc3 edit "$ID" -m "x"
	usage_refused edit 'which ticket\? give its id' uc3 edit -u X -m "x"
	usage_refused edit 'one ticket id at a time' uc3 edit "$ID" "$ID2" -u X -m "x"
	usage_refused edit "unrecognized option '--status'|unknown option" uc3 edit "$ID" --status open -m x
}

@test "uc3 edit on a closed ticket corrects the archive; its unit may not go" {
	two_tickets
	delivered
	at_time 09:04 uc3 close "$ID" >/dev/null
	run -0 at_time 09:10 uc3 edit "$ID" -u "Bagian Keuangan" -m "Nama unit yang resmi."
	local json
	json="$(uc3 show --format json "$ID")"
	equal "$(jvals "$json" status unit deadline events.4.changes)" \
		'closed
Bagian Keuangan
-
[{"field": "unit", "old": "Bagian Akademik", "new": "Bagian Keuangan"}]'
	refused edit "^uc3 edit: $ID is archived under its unit: give the right unit, not none$" \
		at_time 09:11 uc3 edit "$ID" -u '' -m "Tanpa unit."
	run -0 uc3 verify
}

# --- uc3 reopen ---

@test "uc3 reopen: a delivered ticket back at staf with a new step; the answer stays in the event" {
	two_tickets
	delivered
	run -0 --separate-stderr at_time 09:20 uc3 reopen "$ID" -m "Pemohon menghubungi lagi: belum beres."
	equal "$output" "$ID: reopened (was delivered), open at staf (Staf Humas), due 2026-11-27 09:25; the archive step was late"
	equal "$(git log -1 --format=%s)" "$ID: reopen delivered -> open at staf (archive step late)"
	equal "$(git log -1 --format=%b)" "Pemohon menghubungi lagi: belum beres.

Ticket: $ID
Action: reopen
From-Status: delivered
From-Level: staf
To-Level: staf
Step: archive
Late: yes
Deadline: 2026-11-27T09:25:00+07:00"
	equal "$(git show --format= --name-status HEAD)" "M	$P"
	local json
	json="$(uc3 show --format json "$ID")"
	equal "$(jvals "$json" status level deadline answer events.3.action events.3.from events.3.to \
		events.3.step events.3.changes)" \
		'open
staf
2026-11-27T09:25:00+07:00
-
reopen
staf
staf
{"name": "archive", "due": "2026-11-27T09:08:00+07:00", "late": true}
[{"field": "status", "old": "delivered", "new": "open"}, {"field": "answer", "old": "Pembayaran Anda sudah terverifikasi.\n"}]'
	run -0 at_time 09:21 uc3 show "$ID"
	matches "$output" "Answer before the reopen of 2026-11-27 09:20:"
	matches "$output" "  status: delivered -> open"
	# on the chain again: a new answer, delivered, archived
	at_time 09:22 uc3 escalate "$ID" >/dev/null
	at_time 09:30 uc3 answer "$ID" -m "Sudah kami perbaiki." >/dev/null
	at_time 09:31 uc3 deliver "$ID" >/dev/null
	at_time 09:32 uc3 close "$ID" >/dev/null
	equal "$(yget "$P" answer)" "Sudah kami perbaiki."
	run -0 uc3 list --status closed
	matches "$output" "^$ID .* closed "
	run -0 uc3 verify
}

@test "uc3 reopen refusals: an open ticket, no reason, no ticket" {
	two_tickets
	refused reopen "^uc3 reopen: $ID is open: there is nothing to reopen$" uc3 reopen "$ID" -m "Lagi."
	delivered
	refused reopen '^uc3 reopen: a correction needs its reason: give -m WHY$' \
		at_time 09:10 uc3 reopen "$ID"
	refused reopen '^uc3 reopen: no ticket UC3-2026-0042$' uc3 reopen UC3-2026-0042 -m "x"
	usage_refused reopen 'which ticket\? give its id' uc3 reopen -m "x"
}

# --- uc3 close --as ---

@test "uc3 close --as spam: closed without answer, delivery or unit; the step that ran ends" {
	two_tickets
	# both late before; only the one left open after
	run -1 at_time 09:09 uc3 overdue
	matches "$output" "$ID2"
	run -0 at_time 09:10 uc3 close "$ID2" --as spam -m "Iklan pinjaman online."
	equal "$output" "$ID2: closed as spam; the staf step was late"
	equal "$(git log -1 --format=%B)" "$ID2: close as spam (staf step late)

Iklan pinjaman online.

Ticket: $ID2
Action: close
As: spam
Step: staf
Late: yes"
	local json
	json="$(uc3 show --format json "$ID2")"
	equal "$(jvals "$json" status closed_as duplicate_of deadline unit answer events.1.action \
		events.1.as events.1.step)" \
		'closed
spam
-
-
-
-
close
spam
{"name": "staf", "due": "2026-11-27T09:05:00+07:00", "late": true}'
	run -0 uc3 list --status closed
	matches "$output" "^$ID2 .* closed \(spam\) "
	run -0 uc3 list --status open
	matches "$output" "^$ID "
	[[ "$output" != *"$ID2"* ]]
	run -1 at_time 09:11 uc3 overdue
	matches "$output" "$ID"
	[[ "$output" != *"$ID2"* ]]
	run -0 uc3 show "$ID2"
	matches "$output" "  status    closed as spam$"
	refused close "^uc3 close: $ID2 is already closed$" at_time 09:11 uc3 close "$ID2" --as spam -m "x"
	run -0 uc3 verify
}

@test "uc3 close --as duplicate --of: another ticket of the records, from any status but closed" {
	two_tickets
	delivered
	run -0 at_time 09:05 uc3 close "$ID" --as duplicate --of "$ID2" -m "Sama dengan $ID2."
	equal "$output" "$ID: closed as a duplicate of $ID2"
	equal "$(git log -1 --format=%s)" "$ID: close as duplicate of $ID2"
	equal "$(trailer As)/$(trailer Of)/$(trailer Step)/$(trailer Late)" "duplicate/$ID2/archive/no"
	local json
	json="$(uc3 show --format json "$ID")"
	equal "$(jvals "$json" status closed_as duplicate_of answer events.3.of)" \
		"closed
duplicate
$ID2
Pembayaran Anda sudah terverifikasi.\\n
$ID2"
	run -0 uc3 log "$ID"
	matches "$output" "$ID  close as duplicate of $ID2  humas1"
	# reopened: no longer closed as anything
	run -0 at_time 09:05 uc3 overdue # the index of open tickets, before the reopen
	run -0 at_time 09:06 uc3 reopen "$ID" -m "Bukan duplikat."
	equal "$output" "$ID: reopened (was closed), open at staf (Staf Humas), due 2026-11-27 09:11"
	# open again, with a new step: late once its deadline passed
	run -1 at_time 09:12 uc3 overdue
	matches "$output" "^$ID +staf +2026-11-27 09:11 "
	json="$(uc3 log --format json "$ID" | sed -n 2p)"
	equal "$(jvals "${json%,}" action fields)" 'reopen
["status", "answer", "closed_as", "duplicate_of"]'
	json="$(uc3 show --format json "$ID")"
	equal "$(jvals "$json" status closed_as duplicate_of events.4.step events.4.changes.2)" \
		'open
-
-
-
{"field": "closed_as", "old": "duplicate"}'
	run -0 uc3 verify
}

@test "uc3 close --as refusals, and a plain close unchanged" {
	two_tickets
	refused close "^uc3 close: --as 'junk': a ticket is closed as spam or duplicate$" \
		uc3 close "$ID" --as junk -m "x"
	refused close '^uc3 close: a duplicate needs the ticket it repeats: give --of ID$' \
		uc3 close "$ID" --as duplicate -m "x"
	refused close "^uc3 close: $ID cannot be a duplicate of itself$" \
		uc3 close "$ID" --as duplicate --of "$ID" -m "x"
	refused close "^uc3 close: --of: '4x2' is not a ticket id: give its number \(42\), year and number \(2026-42\) or the whole id \(UC3-2026-0042\)$" \
		uc3 close "$ID" --as duplicate --of 4x2 -m "x"
	refused close '^uc3 close: --of UC3-2026-0042: there is no ticket UC3-2026-0042 in these records$' \
		uc3 close "$ID" --as duplicate --of 42 -m "x"
	refused close '^uc3 close: --of UC3-2026-0042: there is no ticket UC3-2026-0042 in these records$' \
		uc3 close "$ID" --as duplicate --of UC3-2026-0042 -m "x"
	refused close '^uc3 close: --of goes with --as duplicate, not spam$' \
		uc3 close "$ID" --as spam --of "$ID2" -m "x"
	refused close '^uc3 close: a correction needs its reason: give -m WHY$' \
		uc3 close "$ID" --as spam
	refused close '^uc3 close: --unit does not go with --as: a ticket closed as spam needs no unit$' \
		uc3 close "$ID" --as spam -u Keuangan -m "x"
	# a plain close takes neither a note nor --of, and still needs delivery
	refused close '^uc3 close: -m goes with --as: a plain close records no note$' \
		uc3 close "$ID" -m "x"
	refused close '^uc3 close: --of goes with --as duplicate$' uc3 close "$ID" --of "$ID2"
	refused close "^uc3 close: $ID is open, not answered yet$" uc3 close "$ID"
}

@test "--help of edit, reopen and close: the usage is the man page's SYNOPSIS" {
	local c
	for c in edit reopen close; do
		run -0 --separate-stderr uc3 "$c" --help
		equal "$stderr" ""
		matches "$output" "See uc3-$c\(1\)"
		usage_is_synopsis "$c"
	done
}

# --- who may, and the audit ---

# As the person with email $1, signing with the key $T/keys/$2.
as_() { sign_as "$1" "$T/keys/$2"; }

# A records repository started at 08:00 whose policy, signed by the
# kabiro at 08:30, lists four people with ssh keys (staf, wakor,
# koordinator, kabiro); the staf registers UC3-2026-0001 at 09:00.
signed_people() {
	at_time 08:00 init_repo
	local who
	for who in staf wakor koord kabiro; do
		throwaway_ssh_key "$who"
	done
	allowed_signers "$STAF staf" "$WAKOR wakor" "$KOORD koord" "$KABIRO kabiro"
	as_ "$KABIRO" kabiro
	for who in "$STAF staf staf" "$WAKOR wakor wakor" "$KOORD koordinator koord" "$KABIRO kabiro kabiro"; do
		set -- $who
		printf '  - {email: %s, roles: [%s], keys: ["%s"]}\n' "$1" "$2" "$(cat "$T/keys/$3.pub")"
	done | at_time 08:30 set_people
	as_ "$STAF" staf
	at_time 09:00 new_ticket >/dev/null
}

@test "roles: each correction refused to a role the policy's corrections do not name, done by one it names; verify clean" {
	signed_people
	run -0 at_time 09:01 uc3 edit "$ID" -u Keuangan -m "Unit."
	refused close "^uc3 close: $STAF cannot close $ID as spam: corrections.close_as in uc3.yaml gives that to wakor, koordinator, kabiro$" \
		at_time 09:02 uc3 close "$ID" --as spam -m "Iklan."
	as_ "$WAKOR" wakor
	run -0 at_time 09:03 uc3 close "$ID" --as spam -m "Iklan."
	refused reopen "^uc3 reopen: $WAKOR cannot reopen $ID: corrections.reopen in uc3.yaml gives that to koordinator, kabiro$" \
		at_time 09:04 uc3 reopen "$ID" -m "Bukan iklan."
	as_ "$KOORD" koord
	run -0 at_time 09:05 uc3 reopen "$ID" -m "Bukan iklan."
	# the kabiro narrows edit: the staf may not edit any more
	as_ "$KABIRO" kabiro
	sed -i 's/^  edit: \[staf, wakor, koordinator, kabiro\]$/  edit: [wakor, koordinator, kabiro]/' uc3.yaml
	at_time 09:06 git commit -q -am "policy: corrections.edit without the staf"
	as_ "$STAF" staf
	refused edit "^uc3 edit: $STAF cannot edit $ID: corrections.edit in uc3.yaml gives that to wakor, koordinator, kabiro$" \
		at_time 09:07 uc3 edit "$ID" -u "Bagian Keuangan" -m "Unit."
	run -0 --separate-stderr uc3 verify
	equal "${lines[${#lines[@]} - 1]}" "7 commits checked, 0 findings"
}

@test "verify: a correction committed by a person without the role is a ROLE finding" {
	signed_people
	# uc3 refuses the staf; so the staf makes the file uc3 would write in a
	# copy whose policy gives them the wakor role, and commits it here,
	# with uc3's message, signed with their own listed key
	git clone -q "$REPO" "$T/copy"
	(
		cd "$T/copy"
		sed -i "s/^  - {email: $STAF, roles: \[staf\]/  - {email: $STAF, roles: [staf, wakor]/" uc3.yaml
		git -c commit.gpgsign=false commit -q -am "copy: staf as wakor"
		at_time 09:10 uc3 close "$ID" --as spam -m "Iklan." >/dev/null
		git log -1 --format=%B >"$T/msg"
	)
	cp "$T/copy/$P" "$P"
	git add "$P"
	at_time 09:10 git commit -q -S -F "$T/msg"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	local c
	c="$(git rev-parse HEAD)"
	matches "$output" "^${c:0:7} $ID: $STAF cannot close $ID as spam: corrections.close_as in uc3.yaml gives that to wakor, koordinator, kabiro$"
	equal "${lines[${#lines[@]} - 1]}" "4 commits checked, 1 finding"
	run -0 uc3 log "$ID"
	matches "$output" "close as spam +$STAF +sig:not allowed"
}

@test "verify is clean after a run of corrections, single-user" {
	two_tickets
	at_time 09:01 uc3 edit "$ID" -s "Pembayaran UKT" -m "Judul." >/dev/null
	delivered
	at_time 09:04 uc3 reopen "$ID" -m "Belum beres." >/dev/null
	at_time 09:05 uc3 edit "$ID" --body "Isi baru." -u "Bagian Keuangan" -m "Isi." >/dev/null
	at_time 09:06 uc3 close "$ID2" --as duplicate --of "$ID" -m "Dobel." >/dev/null
	at_time 09:07 uc3 edit "$ID2" --phone 0812 -m "Telepon." >/dev/null
	at_time 09:08 uc3 reopen "$ID2" -m "Bukan dobel." >/dev/null
	at_time 09:09 uc3 close "$ID2" --as spam -m "Iklan." >/dev/null
	run -0 --separate-stderr uc3 verify
	equal "${lines[${#lines[@]} - 1]}" "12 commits checked, 0 findings"
}

@test "tamper: an edit whose event's old value is not what the ticket held" {
	two_tickets
	at_time 09:01 uc3 edit "$ID" -u "Bagian Keuangan" -m "Unit." >/dev/null
	sed -i 's/^    old: Bagian Akademik$/    old: BAK/' "$P"
	git add "$P"
	at_time 09:01 git commit -q --amend -C HEAD
	equal "$(yget "$P" events.1.changes.0.old)" BAK
	run -1 --separate-stderr uc3 verify
	local c
	c="$(git rev-parse HEAD)"
	matches "$output" "^${c:0:7} $ID: the event's old unit is 'BAK' where the ticket held 'Bagian Akademik'$"
	equal "${lines[${#lines[@]} - 1]}" "4 commits checked, 1 finding"
}

@test "tamper: a close as a duplicate of a ticket that is not in the records" {
	two_tickets
	at_time 09:01 uc3 close "$ID2" --as duplicate --of "$ID" -m "Dobel." >/dev/null
	sed -i "s/$ID\$/UC3-2026-0009/" "$P2"
	git log -1 --format=%B | sed "s/$ID\$/UC3-2026-0009/" >"$T/msg"
	git add "$P2"
	at_time 09:01 git commit -q --amend -F "$T/msg"
	equal "$(yget "$P2" duplicate_of)" UC3-2026-0009
	run -1 --separate-stderr uc3 verify
	local c
	c="$(git rev-parse HEAD)"
	matches "$output" "^${c:0:7} $ID2: closed as a duplicate of UC3-2026-0009, which is not in the records$"
}
