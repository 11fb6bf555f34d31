#!/usr/bin/env bats
# uc3 new: register a ticket, one file and one commit (DESIGN 2b, 3, 4, 6, 7).

load helper

P=tickets/2026/11/UC3-2026-0001.yaml

@test "uc3 new prints only the id, numbered from 0001" {
	init_repo
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0002"
	equal "$stderr" ""
	run -0 new_ticket
	equal "$output" "UC3-2026-0003"
	equal "$(git ls-tree -r --name-only HEAD tickets)" "tickets/2026/11/UC3-2026-0001.yaml
tickets/2026/11/UC3-2026-0002.yaml
tickets/2026/11/UC3-2026-0003.yaml"
}

@test "what uc3 keeps beside the repository is its owner's alone, whatever the umask" {
	init_repo
	umask 022
	run -0 new_ticket
	run -0 uc3 overdue
	run -0 uc3 verify
	for f in ids open-index verified worktree; do
		[ -f ".git/uc3/$f" ] || { echo "no .git/uc3/$f" >&2; false; }
		equal "$f $(stat -c %a ".git/uc3/$f")" "$f 600"
	done
	# and no temporary file is left beside them
	equal "$(ls -a .git/uc3 | grep -c '\.uc3-')" 0
	# the ticket in the work tree is an ordinary file, as git would write it
	equal "$(stat -c %a "$P")" 644
}

@test "the ticket file has the fields of the contract" {
	init_repo
	run -0 uc3 new -s "Pembayaran UKT belum terverifikasi" -k keluhan -c email \
		--from "Siti Aminah <siti@example.com>" -m "Sudah bayar UKT."
	[ -f "$P" ]
	# the work tree holds what was committed
	equal "$(cat "$P")" "$(git show "HEAD:$P")"
	equal "$(yget "$P" id)" "UC3-2026-0001"
	equal "$(yget "$P" subject)" "Pembayaran UKT belum terverifikasi"
	equal "$(yget "$P" kind)" "keluhan"
	equal "$(yget "$P" channel)" "email"
	equal "$(yget "$P" requester.name)" "Siti Aminah"
	equal "$(yget "$P" requester.email)" "siti@example.com"
	equal "$(yget "$P" received)" "2026-11-27T09:00:00+07:00"
	equal "$(yget "$P" status)" "open"
	equal "$(yget "$P" level)" "staf"
	equal "$(yget "$P" deadline)" "2026-11-27T09:05:00+07:00"
	equal "$(yget "$P" body)" "Sudah bayar UKT."
	equal "$(yget "$P" events.0.action)" "new"
	equal "$(yget "$P" events.0.by)" "humas1@unej.ac.id"
	equal "$(yget "$P" events.0.at)" "2026-11-27T09:00:00+07:00"
	# one event, and no unit until one is given
	run -3 yget "$P" events.1
	run -3 yget "$P" unit
	# the key order of DESIGN 4
	equal "$(grep -o '^[a-z]*:' "$P" | tr -d : | tr '\n' ' ')" \
		"id subject kind channel requester received status level deadline body events "
}

@test "one commit per new: message, trailers, author, the one file it touches" {
	init_repo
	new_ticket >/dev/null
	equal "$(commit_count)" 2
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: new keluhan: Pembayaran UKT belum terverifikasi"
	equal "$(git log -1 --format='%(trailers:key=Ticket,valueonly)')" "UC3-2026-0001"
	equal "$(git log -1 --format='%(trailers:key=Action,valueonly)')" "new"
	equal "$(git log -1 --format='%(trailers:key=To-Level,valueonly)')" "staf"
	equal "$(git log -1 --format='%(trailers:key=Deadline,valueonly)')" "2026-11-27T09:05:00+07:00"
	equal "$(git log -1 --format='%an <%ae>')" "Staf Satu <humas1@unej.ac.id>"
	equal "$(git log -1 --format='%cn <%ce>')" "Staf Satu <humas1@unej.ac.id>"
	equal "$(git log -1 --format=%aI)" "$NOW_FRIDAY"
	equal "$(git show --format= --name-status HEAD)" "A	$P"
	# the parent is the previous tip: history stays linear
	equal "$(git rev-parse HEAD^)" "$(git rev-list --max-parents=0 HEAD)"
	SUBJECT="Jadwal wisuda" KIND=pertanyaan new_ticket >/dev/null
	equal "$(commit_count)" 3
	equal "$(git log -1 --format=%s)" "UC3-2026-0002: new pertanyaan: Jadwal wisuda"
	equal "$(git show --format= --name-only HEAD)" "tickets/2026/11/UC3-2026-0002.yaml"
	equal "$(git log --format='%(trailers:key=Action,valueonly)' | sed '/^$/d' | tr '\n' ' ')" "new new init "
}

@test "the deadline runs on the business calendar: Friday 15:58 + 5m is Monday 07:33" {
	init_repo
	export UC3_NOW=2026-11-28T10:00:00+07:00
	run -0 new_ticket --received 2026-11-27T15:58:00+07:00
	equal "$(yget "$P" received)" "2026-11-27T15:58:00+07:00"
	equal "$(yget "$P" deadline)" "2026-11-30T07:33:00+07:00"
	equal "$(git log -1 --format='%(trailers:key=Deadline,valueonly)')" "2026-11-30T07:33:00+07:00"
	# the event is when it was recorded, not when it was received
	equal "$(yget "$P" events.0.at)" "2026-11-28T10:00:00+07:00"
}

@test "received on a Saturday: the clock starts on Monday at 07:30" {
	init_repo
	export UC3_NOW=2026-11-28T11:00:00+07:00
	run -0 new_ticket
	equal "$(yget "$P" received)" "2026-11-28T11:00:00+07:00"
	equal "$(yget "$P" deadline)" "2026-11-30T07:35:00+07:00"
}

@test "--received in the local form '2026-11-27 10:00' is in the policy's zone" {
	init_repo
	export UC3_NOW=2026-11-28T10:00:00+07:00
	run -0 new_ticket --received "2026-11-27 10:00"
	equal "$(yget "$P" received)" "2026-11-27T10:00:00+07:00"
	equal "$(yget "$P" deadline)" "2026-11-27T10:05:00+07:00"
	# an instant in another offset is written with the policy's offset
	run -0 new_ticket --received 2026-11-27T03:00:00Z
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml received)" "2026-11-27T10:00:00+07:00"
}

@test "ids are numbered per year of receipt, in the policy's zone" {
	init_repo
	# the default policy lists no holidays for 2025: said on stderr
	run -0 --separate-stderr new_ticket --received 2025-12-31T10:00:00+07:00
	equal "$output" "UC3-2025-0001"
	matches "$stderr" "^uc3 new: warning: uc3.yaml lists no holidays for 2025 "
	[ -f tickets/2025/12/UC3-2025-0001.yaml ]
	run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	run -0 --separate-stderr new_ticket --received "2025-12-30 14:00"
	equal "$output" "UC3-2025-0002"
	# 20:00 UTC on 31 December is 03:00 on 1 January in Jakarta
	run -0 new_ticket --received 2025-12-31T20:00:00Z
	equal "$output" "UC3-2026-0002"
	[ -f tickets/2026/01/UC3-2026-0002.yaml ]
	equal "$(yget tickets/2026/01/UC3-2026-0002.yaml received)" "2026-01-01T03:00:00+07:00"
}

@test "body from two -m: two paragraphs" {
	init_repo
	run -0 new_ticket -m "Paragraf dua."
	yis "$P" body "Sudah bayar UKT tanggal 20, status belum berubah.

Paragraf dua.
"
	# readable without uc3: a literal block, not an escaped string
	grep -qx 'body: |' "$P"
	grep -qx '  Paragraf dua.' "$P"
}

@test "body from -F FILE" {
	init_repo
	printf 'Baris satu.\nBaris dua.\n' >"$T/body.txt"
	run -0 uc3 new -s "Dari berkas" -k saran -c surat --from "Budi <budi@example.com>" -F "$T/body.txt"
	yis "$P" body "Baris satu.
Baris dua.
"
	run -0 uc3 new -s "Dari berkas" -k saran -c surat --from "Budi <budi@example.com>" --file "$T/body.txt"
	yis tickets/2026/11/UC3-2026-0002.yaml body "Baris satu.
Baris dua.
"
}

@test "body from -F - and from a pipe on standard input" {
	init_repo
	run -0 uc3 new -s "Dari stdin" -k pertanyaan -c web --from budi@example.com -F - <<<"Isi dari -F -"
	yis "$P" body "Isi dari -F -
"
	run -0 --separate-stderr bash -c 'printf "Isi dari pipa\r\nbaris dua   \r\n\n\n" | uc3 new -s "Dari pipa" -k pertanyaan -c web --from budi@example.com'
	equal "$output" "UC3-2026-0002"
	# CRLF becomes LF, trailing blanks and empty lines go
	yis tickets/2026/11/UC3-2026-0002.yaml body "Isi dari pipa
baris dua
"
}

@test "-m and -F together: exit 2" {
	init_repo
	echo x >"$T/b"
	snapshot
	run -2 --separate-stderr new_ticket -F "$T/b"
	equal "$output" ""
	one_line_error "uc3 new" "-m and -F"
	repo_unchanged
}

@test "-F of a missing file: exit 2, nothing written" {
	init_repo
	snapshot
	run -2 --separate-stderr uc3 new -s x -k saran -c web --from a@example.com -F "$T/nope"
	equal "$output" ""
	one_line_error "uc3 new" "nope"
	repo_unchanged
}

write_editor() {
	# $1: the script's name; the rest: the lines it puts above the template
	local f="$T/$1"
	shift
	{
		echo '#!/bin/sh'
		echo 'cp "$1" "$(dirname "$0")/seen-template"'
		printf "{ printf '%%s\\\\n'"
		printf " '%s'" "$@"
		echo '; cat "$1"; } >"$1.tmp" && mv "$1.tmp" "$1"'
	} >"$f"
	chmod +x "$f"
	echo "$f"
}

@test "body from the editor on a terminal: '#' lines are stripped" {
	init_repo
	export EDITOR
	EDITOR="$(write_editor ed.sh 'Isi dari editor.' '# komentar petugas' 'Baris kedua.')"
	run -0 --separate-stderr with_tty uc3 new -s "Lewat editor" -k keluhan -c langsung --from "Siti <siti@example.com>"
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	yis "$P" body "Isi dari editor.
Baris kedua.
"
	# the editor was shown the template, with the subject
	grep -q '^# Subject: Lewat editor$' "$T/seen-template"
	# and the template file does not outlive the command
	[ ! -e .git/uc3/NEW_TICKET ]
}

@test "VISUAL wins over EDITOR" {
	init_repo
	export VISUAL EDITOR=false
	VISUAL="$(write_editor vis.sh 'Dari VISUAL.')"
	run -0 with_tty uc3 new -s "Lewat VISUAL" -k keluhan -c langsung --from "Siti <siti@example.com>"
	yis "$P" body "Dari VISUAL.
"
}

@test "an editor that leaves only comments aborts: exit 2, nothing written" {
	init_repo
	export EDITOR=true
	snapshot
	run -2 --separate-stderr with_tty uc3 new -s "Batal" -k keluhan -c langsung --from "Siti <siti@example.com>"
	equal "$output" ""
	one_line_error "uc3 new" "empty"
	repo_unchanged
	EDITOR="$(write_editor blank.sh '' '# hanya komentar' '   ')"
	run -2 --separate-stderr with_tty uc3 new -s "Batal" -k keluhan -c langsung --from "Siti <siti@example.com>"
	one_line_error "uc3 new" "empty"
	repo_unchanged
}

@test "an editor that fails: exit 2, nothing written" {
	init_repo
	export EDITOR=false
	snapshot
	run -2 --separate-stderr with_tty uc3 new -s "Gagal" -k keluhan -c langsung --from "Siti <siti@example.com>"
	equal "$output" ""
	one_line_error "uc3 new" "editor"
	repo_unchanged
}

@test "--unit and --phone" {
	init_repo
	run -0 uc3 new -s "Telepon masuk" -k pertanyaan -c telepon --phone "+62 812-3456-7890" \
		-u "Bagian Keuangan" -m "Menanyakan jadwal."
	equal "$(yget "$P" requester.phone)" "+62 812-3456-7890"
	equal "$(yget "$P" unit)" "Bagian Keuangan"
	# a phone alone is a requester
	run -3 yget "$P" requester.name
	run -3 yget "$P" requester.email
	run -0 uc3 new -s "Dengan unit" -k saran -c web --from "Budi" --unit "Fakultas Teknik" -m x
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml unit)" "Fakultas Teknik"
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml requester.name)" "Budi"
}

@test "--from forms: 'Name <email>', '<email>', 'email', 'Name', quoted name" {
	init_repo
	new_ticket >/dev/null
	equal "$(yget "$P" requester.name)" "Siti Aminah"
	equal "$(yget "$P" requester.email)" "siti@example.com"
	FROM="<a@example.com>" new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml requester.email)" "a@example.com"
	run -3 yget tickets/2026/11/UC3-2026-0002.yaml requester.name
	FROM="b@example.com" new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0003.yaml requester.email)" "b@example.com"
	FROM="Pak Budi" new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0004.yaml requester.name)" "Pak Budi"
	FROM='"Aminah, Siti" <siti@example.com>' new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0005.yaml requester.name)" "Aminah, Siti"
	equal "$(yget tickets/2026/11/UC3-2026-0005.yaml requester.email)" "siti@example.com"
}

@test "GIT_AUTHOR_EMAIL and GIT_AUTHOR_NAME override user.email and user.name" {
	init_repo
	GIT_AUTHOR_EMAIL=humas2@unej.ac.id GIT_AUTHOR_NAME="Staf Dua" run -0 new_ticket
	equal "$(yget "$P" events.0.by)" "humas2@unej.ac.id"
	equal "$(git log -1 --format='%an <%ae>')" "Staf Dua <humas2@unej.ac.id>"
}

@test "the identity is read from GIT_CONFIG_GLOBAL, as git reads it" {
	init_repo
	# a HOME of its own with no configuration, and the identity elsewhere
	export HOME="$T/home2"
	mkdir -p "$HOME"
	export GIT_CONFIG_GLOBAL="$T/other.gitconfig"
	git config --global user.name "Staf Tiga"
	git config --global user.email humas3@unej.ac.id
	equal "$(git config user.email)" "humas3@unej.ac.id"
	run -0 --separate-stderr new_ticket
	equal "$(yget "$P" events.0.by)" "humas3@unej.ac.id"
	equal "$(git log -1 --format='%an <%ae>')" "Staf Tiga <humas3@unej.ac.id>"
}

@test "the repository's own user.email wins over the global one" {
	init_repo
	git config user.email loket@unej.ac.id
	run -0 new_ticket
	equal "$(yget "$P" events.0.by)" "loket@unej.ac.id"
}

@test "a ticket file round-trips: YAML file, show --format json and list agree" {
	init_repo
	# a unit as free text, to be quoted in the file
	edit_policy '/^  - {name: /d; s/^units:$/units: []/' "policy: no units"
	local s='- "q" : #h '\''s'\'' 50% {b} [c] &a *b !t | Ünïcödé 日本語'
	local b=$'  indented first line\nsecond line\n# not a comment\nlast: line   '
	run -0 uc3 new -s "$s" -k saran -c media-sosial --from "Ñame Ü <u@example.com>" \
		--phone "0812" -u "Bagian: Keuangan" -m "$b"
	run -0 uc3 new -s "null" -k saran -c web --from u@example.com -m "yes"
	run -0 uc3 new -s "0042" -k saran -c web --from u@example.com -m "~"
	for id in UC3-2026-0001 UC3-2026-0002 UC3-2026-0003; do
		uc3 show --format json "$id" >"$T/$id.json"
		python3 -c 'import json,sys; json.load(sys.stdin)' <"$T/$id.json"
		# same field names, same nesting, same values as the file
		python3 - "tickets/2026/11/$id.yaml" "$T/$id.json" <<'PY'
import json, sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    y = yaml.load(f, Loader=yaml.BaseLoader)
with open(sys.argv[2], encoding="utf-8") as f:
    j = json.load(f)
if y != j:
    sys.exit("file and json differ:\n%r\n%r" % (y, j))
PY
	done
	equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["subject"])' <"$T/UC3-2026-0001.json")" "$s"
	python3 -c 'import json,sys; b=json.load(sys.stdin)["body"]; assert b==sys.argv[1], repr(b)' \
		$'  indented first line\nsecond line\n# not a comment\nlast: line\n' <"$T/UC3-2026-0001.json"
	# plain YAML readers see strings, not null, booleans or numbers
	python3 - <<'PY'
import yaml
for n, want in (("0002", ("null", "yes\n")), ("0003", ("0042", "~\n"))):
    with open("tickets/2026/11/UC3-2026-%s.yaml" % n, encoding="utf-8") as f:
        d = yaml.safe_load(f)
    assert (d["subject"], d["body"]) == want, (n, d["subject"], d["body"])
PY
	run -0 uc3 list --format json
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0001","UC3-2026-0002","UC3-2026-0003"], a' <<<"$output"
}

@test "uc3 new through the dispatcher and with -C from elsewhere" {
	init_repo
	cd "$T"
	run -0 uc3 -C r new -s "Dari luar" -k saran -c web --from a@example.com -m x
	equal "$output" "UC3-2026-0001"
	run -0 uc3-new -C r -s "Dari luar" -k saran -c web --from a@example.com -m x
	equal "$output" "UC3-2026-0002"
	[ -f r/tickets/2026/11/UC3-2026-0002.yaml ]
	[ ! -e tickets ]
}

@test "uc3 new in a subdirectory of the work tree writes at the top" {
	init_repo
	cd templates
	run -0 new_ticket
	[ -f "$T/r/$P" ]
	[ ! -e tickets ]
}

@test "uc3 new on a bare repository through UC3_DIR and -C" {
	init_bare
	UC3_DIR="$BARE" run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	run -0 new_ticket -C "$BARE"
	equal "$output" "UC3-2026-0002"
	equal "$(git -C "$BARE" ls-tree -r --name-only HEAD tickets)" "$P
tickets/2026/11/UC3-2026-0002.yaml"
	equal "$(commit_count "$BARE")" 3
	[ ! -e "$BARE/tickets" ]
}

@test "the kinds and channels of the policy are all accepted" {
	init_repo
	for k in pertanyaan keluhan saran lainnya; do
		KIND=$k new_ticket >/dev/null
	done
	for c in email telepon langsung surat web media-sosial; do
		CHANNEL=$c new_ticket >/dev/null
	done
	equal "$(git ls-tree -r --name-only HEAD tickets | wc -l)" 10
}
