#!/usr/bin/env bats
# uc3 attach (uc3-attach(1)): files kept with a ticket at
# tickets/YEAR/MM/ID/NAME, listed in the ticket, in one commit; uc3 show
# lists them and gives them back; uc3 verify and the pre-receive hook
# accept exactly what uc3 attach writes.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml
D=tickets/2026/11/UC3-2026-0001

# Two tickets received Friday 09:00: 0001 open at staf, 0002 closed.
make_tickets() {
	init_repo
	new_ticket >/dev/null
	new_ticket >/dev/null
	uc3 answer -m "Jawaban." UC3-2026-0002 >/dev/null
	uc3 deliver UC3-2026-0002 >/dev/null
	uc3 close -u "Bagian Keuangan" UC3-2026-0002 >/dev/null
}

# The files to attach, outside the repository: a PDF with NUL bytes, a
# text, a PNG, and two scans of the same name in two folders.
make_files() {
	F="$T/files"
	mkdir -p "$F/a" "$F/b" "$F/dir"
	printf '%%PDF-1.4\n\0\1\2\3 surat asli\n%%%%EOF\n' >"$F/surat.pdf"
	printf 'Catatan loket: surat diterima pukul 08.55.\n' >"$F/catatan.txt"
	printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$F/layar.png"
	printf '\xff\xd8\xff\xe0\0\x10JFIF one' >"$F/a/scan.jpg"
	printf '\xff\xd8\xff\xe0\0\x10JFIF two' >"$F/b/scan.jpg"
	: >"$F/kosong.txt"
}

setup_tickets() {
	fixture_repo make_tickets
	make_files
}

# $1: the ERE its one line must match; the rest: the command. Exit 2,
# nothing on stdout, one line, nothing changed.
refused() {
	local rx="$1"
	shift
	snapshot
	run -2 --separate-stderr "$@"
	equal "$output" ""
	one_line_error "uc3 attach" "$rx"
	repo_unchanged
}

# The attachments of the committed ticket $1 (default $ID) as
# "name type size blob" lines, from one --format json read.
attachments() {
	uc3 show --format json "${1:-$ID}" | python3 -c '
import json, sys
t = json.load(sys.stdin)
for a in t.get("attachments", []):
    assert isinstance(a["size"], int)
    print(a["name"], a["type"], a["size"], a["blob"])
'
}

@test "a binary file and a text in one call: one commit, listed in the ticket with the blob git holds, shown, given back, verified" {
	setup_tickets
	local before
	before="$(commit_count)"
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 --separate-stderr \
		uc3 attach "$ID" "$F/surat.pdf" "$F/catatan.txt" -m "Pindaian surat asli."
	equal "$stderr" ""
	equal "$output" "$ID: attached surat.pdf (application/pdf, 31 bytes), catatan.txt (text/plain, 43 bytes)"
	equal "$(commit_count)" "$((before + 1))"
	# one commit: the ticket file and the two files, nothing else
	equal "$(git show --format= --name-status HEAD)" "M	$P
A	$D/catatan.txt
A	$D/surat.pdf"
	equal "$(git log -1 --format=%B)" "$ID: attach 2 files

Pindaian surat asli.

Ticket: $ID
Action: attach
Attachment: surat.pdf
Attachment: catatan.txt"
	# stored byte for byte, in the tree and the work tree
	git show "HEAD:$D/surat.pdf" | cmp - "$F/surat.pdf"
	cmp "$D/surat.pdf" "$F/surat.pdf"
	cmp "$D/catatan.txt" "$F/catatan.txt"
	equal "$(attachments)" "surat.pdf application/pdf 31 $(git rev-parse "HEAD:$D/surat.pdf")
catatan.txt text/plain 43 $(git rev-parse "HEAD:$D/catatan.txt")"
	equal "$(events_table "$P")" "new ->- step=- - -
attach ->- step=- - -"
	yis "$P" events.1.note "Pindaian surat asli."
	yis "$P" events.1.files '["surat.pdf", "catatan.txt"]'
	# attaching ends no step
	yis "$P" status open
	yis "$P" deadline 2026-11-27T09:05:00+07:00
	run -0 uc3 show "$ID"
	matches "$output" "
Attachments:
  surat.pdf    application/pdf  31 bytes
  catatan.txt  text/plain       43 bytes
"
	matches "$output" "  2026-11-27 09:02  attach   humas1@unej.ac.id  surat.pdf, catatan.txt"
	uc3 show "$ID" --attachment surat.pdf | cmp - "$F/surat.pdf"
	uc3 show "$ID" --attachment catatan.txt | cmp - "$F/catatan.txt"
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	matches "${lines[0]}" "^2026-11-27 09:02  [0-9a-f]{7}  $ID  attach  +humas1@unej.ac.id  sig:none$"
	run -0 --separate-stderr uc3 verify --no-cache
	equal "${lines[${#lines[@]} - 1]}" "7 commits checked, 0 findings"
}

@test "names: a name taken gets a number, in the ticket and within one call; an unsafe name is made safe" {
	setup_tickets
	run -0 uc3 attach "$ID" "$F/surat.pdf" "$F/a/scan.jpg" "$F/b/scan.jpg"
	equal "$output" "$ID: attached surat.pdf (application/pdf, 31 bytes), scan.jpg (image/jpeg, 14 bytes), scan-2.jpg (image/jpeg, 14 bytes)"
	run -0 uc3 attach "$ID" "$F/surat.pdf"
	equal "$output" "$ID: attached surat-2.pdf (application/pdf, 31 bytes)"
	cp "$F/catatan.txt" "$F/"$'.\e[2Jnama\ttab.txt'
	cp "$F/catatan.txt" "$F/..."
	run -0 uc3 attach "$ID" "$F/"$'.\e[2Jnama\ttab.txt' "$F/..."
	equal "$output" "$ID: attached _[2Jnama_tab.txt (text/plain, 43 bytes), attachment (text/plain, 43 bytes)"
	equal "$(ls "$D")" "_[2Jnama_tab.txt
attachment
scan-2.jpg
scan.jpg
surat-2.pdf
surat.pdf"
	cmp "$D/scan-2.jpg" "$F/b/scan.jpg"
	equal "$(attachments | cut -d' ' -f1,2)" "surat.pdf application/pdf
scan.jpg image/jpeg
scan-2.jpg image/jpeg
surat-2.pdf application/pdf
_[2Jnama_tab.txt text/plain
attachment text/plain"
	run -0 uc3 verify --no-cache
	matches "$output" "0 findings$"
}

@test "a file over 8 MiB, more than a ticket file may hold: kept, given back and verified" {
	setup_tickets
	head -c 9437184 /dev/urandom >"$F/besar.bin"
	run -0 uc3 attach "$ID" "$F/besar.bin"
	equal "$output" "$ID: attached besar.bin (application/octet-stream, 9.0 MiB)"
	uc3 show "$ID" --attachment besar.bin | cmp - "$F/besar.bin"
	equal "$(attachments | cut -d' ' -f3)" 9437184
	run -0 --separate-stderr uc3 verify --no-cache
	equal "$stderr" ""
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
}

@test "the policy's limits.attachment: a file over it is refused, nothing written; one at it is kept" {
	setup_tickets
	at_time 09:00 edit_policy 's/^  attachment: .*/  attachment: 1KiB/'
	head -c 1025 /dev/zero >"$F/over.bin"
	head -c 1024 /dev/zero >"$F/at.bin"
	refused "^uc3 attach: $F/over\\.bin is 1025 bytes, over the limit of 1024 \\(1 KiB\\) \\(limits\\.attachment in uc3\\.yaml\\); nothing was written$" \
		uc3 attach "$ID" "$F/catatan.txt" "$F/over.bin"
	run -0 uc3 attach "$ID" "$F/at.bin"
	run -0 uc3 verify --no-cache
	matches "$output" "0 findings$"
}

@test "refused, nothing written: a missing file, a directory, an empty file, an unknown or closed ticket, a bad id, a bad note" {
	setup_tickets
	refused "^uc3 attach: cannot read $T/files/hilang\\.pdf: No such file or directory$" \
		uc3 attach "$ID" "$F/surat.pdf" "$F/hilang.pdf"
	refused "^uc3 attach: $F/dir is a directory: attach the files in it$" \
		uc3 attach "$ID" "$F/dir"
	refused "^uc3 attach: $F/kosong\\.txt is empty: there is nothing to keep$" \
		uc3 attach "$ID" "$F/kosong.txt"
	refused "^uc3 attach: $F/fifo is not a regular file$" \
		bash -c "mkfifo '$F/fifo' && exec uc3 attach $ID '$F/fifo'"
	refused '^uc3 attach: no ticket UC3-2026-0099$' \
		uc3 attach UC3-2026-0099 "$F/surat.pdf"
	refused "^uc3 attach: '\\.\\./x' is not a ticket id: give its number \\(42\\), year and number \\(2026-42\\) or the whole id \\(UC3-2026-0042\\)$" \
		uc3 attach ../x "$F/surat.pdf"
	refused '^uc3 attach: UC3-2026-0002 is closed; its record is final$' \
		uc3 attach UC3-2026-0002 "$F/surat.pdf"
	refused '^uc3 attach: the note contains a control character \(U\+001B\) on line 1$' \
		uc3 attach "$ID" "$F/surat.pdf" -m $'a\e[2J'
	refused "^uc3 attach: the time now is before $ID's last event" \
		env UC3_NOW=2026-11-27T08:00:00+07:00 uc3 attach "$ID" "$F/surat.pdf"
}

@test "refused, nothing written: no file, no id, an unknown option" {
	setup_tickets
	snapshot
	run -2 --separate-stderr uc3 attach "$ID"
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3 attach: which files\? give one or more$'
	matches "$stderr" "usage: uc3 attach \\[-C dir\\] \\[-m note\\] id file \\.\\.\\."
	run -2 --separate-stderr uc3 attach
	matches "${stderr_lines[0]}" '^uc3 attach: which ticket\? give its id and the files$'
	run -2 --separate-stderr uc3 attach --frobnicate "$ID" "$F/surat.pdf"
	matches "$stderr" "usage: uc3 attach "
	repo_unchanged
}

@test "an untracked file where an attachment would go stops the write" {
	setup_tickets
	mkdir -p "$D"
	cp "$F/catatan.txt" "$D/surat.pdf"
	refused "^uc3 attach: $D/surat\\.pdf is in the work tree but not committed; move it away first$" \
		uc3 attach "$ID" "$F/surat.pdf"
	rm -r "$D"
}

@test "a bare repository: attach, show and verify with -C" {
	init_bare
	new_ticket -C "$BARE" >/dev/null
	make_files
	run -0 uc3 attach -C "$BARE" "$ID" "$F/layar.png"
	equal "$output" "$ID: attached layar.png (image/png, 16 bytes)"
	uc3 show -C "$BARE" "$ID" --attachment layar.png | cmp - "$F/layar.png"
	run -0 uc3 verify -C "$BARE" --no-cache
	matches "$output" "0 findings$"
}

@test "uc3 show --attachment: an unknown name, --format, and a binary file to a terminal are refused" {
	setup_tickets
	uc3 attach "$ID" "$F/surat.pdf" "$F/catatan.txt" >/dev/null
	run -2 --separate-stderr uc3 show "$ID" --attachment nope.pdf
	equal "$output" ""
	one_line_error "uc3 show" "^uc3 show: $ID has no attachment 'nope\\.pdf' \\(it has surat\\.pdf, catatan\\.txt\\)$"
	run -2 --separate-stderr uc3 show UC3-2026-0002 --attachment surat.pdf
	one_line_error "uc3 show" "^uc3 show: UC3-2026-0002 has no attachment 'surat\\.pdf' \\(it has none\\)$"
	run -2 --separate-stderr uc3 show --format json "$ID" --attachment surat.pdf
	matches "${stderr_lines[0]}" '^uc3 show: --attachment writes the file as it is: no --format$'
	# standard output on a terminal: the PDF is refused, the text is shown
	run -2 python3 -c '
import os, pty, sys
m, s = pty.openpty()
pid = os.fork()
if pid == 0:
    os.dup2(s, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(s)
_, st = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(st))
' uc3 show "$ID" --attachment surat.pdf
	matches "$output" "^uc3 show: surat\\.pdf is application/pdf: send it to a file, as uc3 show $ID --attachment 'surat\\.pdf' > 'surat\\.pdf'$"
}

@test "with people: anyone listed may attach, whatever the level; someone not listed may not" {
	fixture_repo make_tickets
	make_files
	at_time 09:00 set_people <<'EOF'
  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: kabiro@unej.ac.id, name: Kepala Biro, roles: [kabiro]}
EOF
	run -0 env GIT_AUTHOR_EMAIL=kabiro@unej.ac.id uc3 attach "$ID" "$F/surat.pdf"
	equal "$(git log -1 --format=%ae)" kabiro@unej.ac.id
	refused '^uc3 attach: tamu@example\.com is not one of the people in uc3\.yaml; ask the head of the chain to add you$' \
		env GIT_AUTHOR_EMAIL=tamu@example.com uc3 attach "$ID" "$F/catatan.txt"
	run -0 uc3 verify --no-cache
	matches "$output" "0 findings$"
}

@test "uc3.remote: the files reach the central repository; a ticket another office changed meanwhile is refused" {
	init_bare central.git
	git clone -q "$BARE" "$T/a"
	git clone -q "$BARE" "$T/b"
	git -C "$T/a" config uc3.remote origin
	git -C "$T/b" config uc3.remote origin
	track_repo "$T/a"
	track_repo "$T/b"
	make_files
	uc3 -C "$T/a" new -s Surat -k keluhan -c surat --from Siti -m isi >/dev/null
	run -0 uc3 -C "$T/a" attach "$ID" "$F/surat.pdf"
	equal "$(git -C "$BARE" rev-parse HEAD)" "$(git -C "$T/a" rev-parse HEAD)"
	git -C "$BARE" show "HEAD:$D/surat.pdf" | cmp - "$F/surat.pdf"
	# b saw the ticket with one file; a escalates it before b attaches
	git -C "$T/b" pull -q --ff-only
	UC3_NOW=2026-11-27T09:02:00+07:00 uc3 -C "$T/a" escalate "$ID" >/dev/null
	snapshot "$BARE"
	UC3_NOW=2026-11-27T09:03:00+07:00 run -2 --separate-stderr uc3 -C "$T/b" attach "$ID" "$F/catatan.txt"
	one_line_error "uc3 attach" "^uc3 attach: $ID changed while this command ran \\(it is now open, step wakor\\); nothing was recorded"
	repo_unchanged
	# asked again, on the ticket as it is now
	UC3_NOW=2026-11-27T09:04:00+07:00 run -0 uc3 -C "$T/b" attach "$ID" "$F/catatan.txt"
	run -0 uc3 -C "$BARE" verify --no-cache
	matches "$output" "0 findings$"
}

# --- The audit: what uc3 attach does not write ---

# A bare central repository $T/central.git with this history and uc3
# verify as its pre-receive hook; "central" is its remote here.
central_with_hook() {
	git init -q --bare -b "$(git symbolic-ref --short HEAD)" "$T/central.git"
	track_repo "$T/central.git"
	git remote add central "$T/central.git"
	git push -q central HEAD
	central_hooks "$T/central.git"
	# The central's clock: the time of the tests, as the pushers'.
	export UC3_HOOK_NOW="$UC3_NOW"
}

# After run: a finding line for commit $1 naming ticket $2, its problem
# matching the ERE $3 from its start.
has_finding() {
	local c
	c="$(git rev-parse "$1")"
	matches "$output" "^${c:0:7} $2: $3"
}

@test "an attachment changed or removed later, or added by hand: found, and the hook refuses them" {
	setup_tickets
	uc3 attach "$ID" "$F/surat.pdf" "$F/catatan.txt" >/dev/null
	central_with_hook
	local base c1 c2 c3
	base="$(git rev-parse HEAD)"
	printf 'diubah\n' >>"$D/catatan.txt"
	git commit -q -am "fix catatan"
	c1="$(git rev-parse HEAD)"
	git rm -q "$D/surat.pdf"
	git commit -q -m "rm surat"
	c2="$(git rev-parse HEAD)"
	cp "$F/layar.png" "$D/layar.png"
	cp "$F/catatan.txt" "$D/.tersembunyi"
	git add "$D"
	git commit -q -m "more"
	c3="$(git rev-parse HEAD)"
	run -1 --separate-stderr uc3 verify --no-cache
	equal "$stderr" ""
	has_finding "$c1" "$ID" "changes the attachment $D/catatan\\.txt; an attachment is never changed or removed$"
	has_finding "$c2" "$ID" "removes the attachment $D/surat\\.pdf; an attachment is never changed or removed$"
	has_finding "$c3" "$ID" "adds $D/layar\\.png, which only uc3 attach adds \\(Action: attach\\)$"
	has_finding "$c3" - "$D/\\.tersembunyi is not an attachment uc3 writes \\(its name has a leading dot or a control character\\)$"
	matches "${lines[${#lines[@]} - 1]}" ", 4 findings$"
	run git push central HEAD
	[ "$status" -ne 0 ]
	matches "$output" "remote: ${c1:0:7} $ID: changes the attachment"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$base"
	git reset -q --hard "$base"
}

@test "an attach commit that adds under another ticket's folder, or whose entry names another blob or size: found, and the hook refuses it" {
	setup_tickets
	central_with_hook
	local base c
	base="$(git rev-parse HEAD)"
	# a file slipped in beside ticket 0002
	uc3 attach "$ID" "$F/surat.pdf" >/dev/null
	mkdir -p tickets/2026/11/UC3-2026-0002
	cp "$F/catatan.txt" tickets/2026/11/UC3-2026-0002/catatan.txt
	git add tickets
	git commit -q --amend --no-edit
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify --no-cache
	has_finding "$c" "$ID" "adds tickets/2026/11/UC3-2026-0002/catatan\\.txt, in the folder of another ticket than the one this commit attaches to \\($P\\)$"
	run git push central HEAD
	[ "$status" -ne 0 ]
	matches "$output" "remote: ${c:0:7} $ID: adds tickets/2026/11/UC3-2026-0002/catatan\\.txt"
	git reset -q --hard "$base"
	# the entry names the blob of another file
	uc3 attach "$ID" "$F/surat.pdf" >/dev/null
	local real other
	real="$(git rev-parse "HEAD:$D/surat.pdf")"
	other="$(git hash-object "$F/catatan.txt")"
	sed -i "s/^  blob: $real\$/  blob: $other/" "$P"
	git commit -q --amend --no-edit -a
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify --no-cache
	has_finding "$c" "$ID" "attachments\\[0\\] \\(surat\\.pdf\\) names blob $other, but the commit adds $D/surat\\.pdf as blob $real$"
	run git push central HEAD
	[ "$status" -ne 0 ]
	git reset -q --hard "$base"
	# the entry says another size
	uc3 attach "$ID" "$F/surat.pdf" >/dev/null
	sed -i 's/^  size: 31$/  size: 32/' "$P"
	git commit -q --amend --no-edit -a
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify --no-cache
	has_finding "$c" "$ID" "attachments\\[0\\] \\(surat\\.pdf\\) says 32 bytes, but the commit adds 31$"
	git reset -q --hard "$base"
	# a file the entries do not list
	uc3 attach "$ID" "$F/surat.pdf" >/dev/null
	cp "$F/layar.png" "$D/layar.png"
	git add "$D"
	git commit -q --amend --no-edit
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify --no-cache
	has_finding "$c" "$ID" "adds $D/layar\\.png, which the attachments it appends do not list$"
	git reset -q --hard "$base"
	# and what uc3 attach writes goes through
	uc3 attach "$ID" "$F/surat.pdf" >/dev/null
	run -0 git push -q central HEAD
}

@test "an attach commit over the policy's limit, or that drops an entry: found" {
	setup_tickets
	local base c
	base="$(git rev-parse HEAD)"
	head -c 2048 /dev/zero >"$F/nol.bin"
	at_time 09:00 edit_policy 's/^  attachment: .*/  attachment: 1KiB/'
	# what uc3 attach would write but for the limit, committed by hand
	local blob
	blob="$(git hash-object -w "$F/nol.bin")"
	mkdir -p "$D"
	cp "$F/nol.bin" "$D/nol.bin"
	python3 - "$P" "$blob" <<'PY'
import sys
p, blob = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s = s.replace("events:\n", "attachments:\n- name: nol.bin\n  type: application/octet-stream\n  size: 2048\n  blob: %s\nevents:\n" % blob, 1)
s += "- at: 2026-11-27T09:00:00+07:00\n  by: humas1@unej.ac.id\n  action: attach\n  files: [nol.bin]\n"
open(p, "w", encoding="utf-8").write(s)
PY
	git add -A
	printf '%s: attach nol.bin\n\nTicket: %s\nAction: attach\nAttachment: nol.bin\n' "$ID" "$ID" >"$T/msg"
	git commit -q -F "$T/msg"
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify --no-cache
	has_finding "$c" "$ID" "uc3 attach refuses it: nol\\.bin is 2048 bytes, over the limit of 1024 \\(1 KiB\\) \\(limits\\.attachment in uc3\\.yaml\\)$"
	git reset -q --hard "$base"
	# a later step that drops an entry
	uc3 attach "$ID" "$F/surat.pdf" >/dev/null
	uc3 escalate "$ID" >/dev/null
	python3 - "$P" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"attachments:\n(?:[- ] .*\n)+", "", s, count=1)
open(p, "w", encoding="utf-8").write(s)
PY
	git commit -q --amend --no-edit -a
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify --no-cache
	has_finding "$c" "$ID" "it lists 0 attachments where the step gives 1$"
	git reset -q --hard "$base"
}
